// Package logline writes faasprobe's log lines — the startup, invocation
// and shutdown lines of docs/schema.md — for the root package, warmer and
// the extension: one writer per line, so that every producer writes the
// same keys.
//
// Lines are written as Logger.LogAttrs writes them, less two costs a cold
// start would pay for nothing: the caller's program counter (the source is
// not printed) and the local time zone (times are UTC, as Lambda's own log
// timestamps are). A handler that fails to write is ignored: logging never
// fails an invocation.
package logline

import (
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/faasprobe/faasprobe/coldstart"
	"github.com/faasprobe/faasprobe/hostinfo"
	"github.com/faasprobe/faasprobe/internal/vmstat"
	"github.com/faasprobe/faasprobe/sandbox"
)

// Messages ("message", or slog's "msg") of the lines.
const (
	MsgStartup    = "faasprobe.startup"
	MsgInvocation = "faasprobe.invocation"
	MsgShutdown   = "faasprobe.shutdown"
)

// SourceExtension is the KeySource of the Lambda extension's lines.
const SourceExtension = "extension"

// Keys of the lines' top-level attributes.
const (
	KeyRequestID = "requestId" // as lambdacontext.NewLogHandler names it
	KeySandboxID = "sandbox_id"
	// KeySource marks a line written by the Lambda extension, with the
	// value SourceExtension; the library's lines have no source.
	KeySource = "source"
	KeyVM     = "vm" // the invocation line's VM sample (internal/vmstat)
)

// NewLogger returns a logger that writes JSON lines to w in Lambda's JSON
// log format: "timestamp", "level", "message" (lambdacontext.ReplaceAttr);
// each line is one Write. Its output is slog.NewJSONHandler's with that
// ReplaceAttr, written faster (see handler).
func NewLogger(w io.Writer) *slog.Logger {
	return slog.New(newHandler(w))
}

// replaceAttr is lambdacontext.ReplaceAttr with the level written as the
// string it is ("INFO"): with any ReplaceAttr, slog hands the level over as
// a slog.Level value, which the JSON handler then writes through
// encoding/json (Level.MarshalJSON): one more type for encoding/json to set
// up inside the cold start. The output is the same.
func replaceAttr(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == slog.LevelKey {
		if l, ok := a.Value.Any().(slog.Level); ok {
			return slog.String(slog.LevelKey, l.String())
		}
	}
	return lambdacontext.ReplaceAttr(groups, a)
}

// Log writes one line at level, if the logger is enabled for it.
func Log(ctx context.Context, logger *slog.Logger, level slog.Level, msg string, attrs ...slog.Attr) {
	if logger == nil || !logger.Enabled(ctx, level) {
		return
	}
	r := slog.NewRecord(time.Now().UTC(), level, msg, 0)
	r.AddAttrs(attrs...)
	_ = logger.Handler().Handle(ctx, r) // a failed write never fails the caller
}

// Startup writes the startup line: the facts' "platform", "host" and
// "sandbox" objects, every problem once under "problems", and how long
// detection took ("detect_ms").
//
// It is stamped when detection began, not when it ended: detection may
// run in the background past the first invocation's start, and a reader
// takes the startup line's time as the sandbox's start.
func Startup(logger *slog.Logger, host hostinfo.Host, sb sandbox.Sandbox, problems []hostinfo.Problem, detect time.Duration, extra ...slog.Attr) {
	StartupAt(logger, time.Now().Add(-max(detect, 0)), host, sb, problems, detect, extra...)
}

// StartupAt is Startup stamped at: a time no later than the first
// invocation's start (the probe's creation, when detection waits for the
// function's init to end).
func StartupAt(logger *slog.Logger, at time.Time, host hostinfo.Host, sb sandbox.Sandbox, problems []hostinfo.Problem, detect time.Duration, extra ...slog.Attr) {
	if logger == nil || !logger.Enabled(context.Background(), slog.LevelInfo) {
		return
	}
	r := slog.NewRecord(at.UTC(), slog.LevelInfo, MsgStartup, 0)
	r.AddAttrs(StartupAttrs(host, sb, problems, detect)...)
	r.AddAttrs(extra...)
	_ = logger.Handler().Handle(context.Background(), r) // a failed write never fails the caller
}

// StartupAttrs are the startup line's attributes (for writers that stamp
// their own time, such as a log generator).
func StartupAttrs(host hostinfo.Host, sb sandbox.Sandbox, problems []hostinfo.Problem, detect time.Duration) []slog.Attr {
	return []slog.Attr{
		slog.String(KeySandboxID, sb.ID),
		slog.Any("platform", host.Platform),
		slog.Any("host", host.Machine),
		slog.Any("sandbox", sb),
		hostinfo.ProblemsAttr(problems),
		slog.Float64("detect_ms", Millis(detect)),
	}
}

// Invocation writes the invocation line of inv: the request id (from inv,
// else the Lambda context), the sandbox id, and the facts under
// "invocation". A ping's line adds its "ping" object (extra), a sampled
// one its "vm" object (VM); a line that
// reports a failure is written at level Warn.
func Invocation(ctx context.Context, logger *slog.Logger, level slog.Level, sandboxID string, inv coldstart.Invocation, extra ...slog.Attr) {
	InvocationAt(ctx, logger, level, time.Now(), sandboxID, inv, extra...)
}

// InvocationAt is Invocation stamped at: the invocation's start, for a
// line written when the handler has returned.
func InvocationAt(ctx context.Context, logger *slog.Logger, level slog.Level, at time.Time, sandboxID string, inv coldstart.Invocation, extra ...slog.Attr) {
	if logger == nil || !logger.Enabled(ctx, level) {
		return
	}
	r := slog.NewRecord(at.UTC(), level, MsgInvocation, 0)
	if id := RequestID(ctx, inv); id != "" {
		r.AddAttrs(slog.String(KeyRequestID, id))
	}
	// The group itself, not slog.Any(inv): boxing the struct would cost an
	// allocation per invocation.
	r.AddAttrs(slog.String(KeySandboxID, sandboxID), slog.Attr{Key: "invocation", Value: inv.LogValue()})
	r.AddAttrs(extra...)
	_ = logger.Handler().Handle(ctx, r)
}

// InvocationAttrs appends the invocation line's attributes to dst: the
// request id (left out when ""), the sandbox id and the facts.
func InvocationAttrs(dst []slog.Attr, requestID, sandboxID string, inv coldstart.Invocation) []slog.Attr {
	if requestID != "" {
		dst = append(dst, slog.String(KeyRequestID, requestID))
	}
	return append(dst, slog.String(KeySandboxID, sandboxID), slog.Any("invocation", inv))
}

// VM is the invocation line's "vm" attribute: a sample of the VM's memory
// and CPU time (faasprobe.WithVMStats, the extension's FAASPROBE_VM_STATS),
// passed to Invocation as an extra attribute.
func VM(s vmstat.Sample) slog.Attr { return slog.Any(KeyVM, s) }

// RequestID is the invocation's request id: inv's, else the Lambda
// context's, else "".
func RequestID(ctx context.Context, inv coldstart.Invocation) string {
	if inv.RequestID != "" {
		return inv.RequestID
	}
	if ctx != nil {
		if lc, ok := lambdacontext.FromContext(ctx); ok && lc != nil {
			return lc.AwsRequestID
		}
	}
	return ""
}

// Shutdown writes the shutdown line: the sandbox id and the tracker's
// lifetime figures under "stats", plus what the caller knows of the end
// (extra: the extension adds the reason and the exact lifetime).
func Shutdown(logger *slog.Logger, sandboxID string, stats coldstart.SandboxStats, extra ...slog.Attr) {
	attrs := make([]slog.Attr, 0, 2+len(extra))
	attrs = append(attrs, slog.String(KeySandboxID, sandboxID), slog.Any("stats", stats))
	attrs = append(attrs, extra...)
	Log(context.Background(), logger, slog.LevelInfo, MsgShutdown, attrs...)
}

// Millis is d in milliseconds, to the microsecond.
func Millis(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
