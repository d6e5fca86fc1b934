package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/faasprobe/faasprobe"
	"github.com/faasprobe/faasprobe/coldstart"
	"github.com/faasprobe/faasprobe/hostinfo"
	"github.com/faasprobe/faasprobe/internal/envswitch"
	"github.com/faasprobe/faasprobe/internal/logline"
	"github.com/faasprobe/faasprobe/internal/vmstat"
)

// Bounds of the extension's own calls: none of them can hold the
// function's init or its shutdown longer than this.
const (
	registerTimeout = 2 * time.Second
	reportTimeout   = 500 * time.Millisecond
	// Lambda gives extensions 2 s after SHUTDOWN (less when the function
	// registers none: its deadlineMs says); the queue drains within this
	// or what the deadline leaves, whichever is shorter.
	drainLimit  = time.Second
	drainMargin = 200 * time.Millisecond
	queueLines  = 256
)

// Error types posted to exit/error.
const (
	errorTypeEvent = "Extension.EventError"
)

// MsgError is the message of the extension's one line when it gives up.
const MsgError = "faasprobe.extension.error"

// Source marks the extension's lines ("source":"extension"); the library's
// lines have no "source".
const Source = logline.SourceExtension

func main() {
	os.Exit(run(context.Background(), runConfig{
		name:   filepath.Base(os.Args[0]),
		lookup: os.LookupEnv,
		stdout: os.Stdout,
		stderr: os.Stderr,
	}))
}

// runConfig is what run reads and writes: all injected, so tests run it
// in-process against a fake API.
type runConfig struct {
	name   string // Lambda-Extension-Name: the file name in /opt/extensions
	lookup func(string) (string, bool)
	stdout io.Writer
	stderr io.Writer
	// detect detects the facts. Default: faasprobe.Detect with lookup.
	detect func() faasprobe.Facts
}

// run is the extension: register, detect, log the startup line, then one
// line per INVOKE until SHUTDOWN. It returns the exit code.
func run(ctx context.Context, c runConfig) int {
	start := time.Now()
	errLog := logline.NewLogger(c.stderr)
	fail := func(err error) int {
		logline.Log(ctx, errLog, slog.LevelError, MsgError, slog.String("error", err.Error()))
		return 1
	}
	api, _ := c.lookup("AWS_LAMBDA_RUNTIME_API")
	if _, _, err := net.SplitHostPort(api); err != nil || len(api) > 256 {
		return fail(errors.New("AWS_LAMBDA_RUNTIME_API is not a host:port: " + clipQuote(api)))
	}
	cl := newClient(api)
	rctx, cancel := context.WithTimeout(ctx, registerTimeout)
	err := cl.register(rctx, c.name)
	cancel()
	if err != nil {
		return fail(err)
	}

	// The extension's init ends at registration: detection runs while the
	// function's runtime starts (Lambda's init waits for every extension's
	// first next), and the startup line is written when it is done.
	tracker := coldstart.New(coldstart.WithEnv(c.lookup))
	tracker.InitDone()
	var vm *vmstat.Sampler // FAASPROBE_VM_STATS=1; a bad value is a problem of the startup line (Detect reads the switch too)
	if on, _ := envswitch.Bool(c.lookup, faasprobe.EnvVMStats); on {
		vm = vmstat.Open("")
	}
	q := newLineQueue(c.stdout, queueLines)
	logger := logline.NewLogger(q)
	src := slog.String(logline.KeySource, Source)
	detected := make(chan faasprobe.Facts, 1)
	go func() {
		detectStart := time.Now()
		var facts faasprobe.Facts
		if c.detect != nil {
			facts = c.detect()
		} else {
			facts, _ = faasprobe.Detect(faasprobe.WithEnv(c.lookup)) // the error repeats facts.Problems
		}
		took := time.Since(detectStart)
		logline.Startup(logger, hostinfo.Host{Platform: facts.Platform, Machine: facts.Host}, facts.Sandbox, facts.Problems, took, src)
		detected <- facts
	}()
	// sandboxID waits for detection the first time (it is done long before
	// the first INVOKE, but a line must never precede the startup line).
	var facts *faasprobe.Facts
	sandboxID := func() string {
		if facts == nil {
			f := <-detected
			facts = &f
		}
		return facts.Sandbox.ID
	}

	for {
		ev, err := cl.next(ctx)
		if err != nil {
			sandboxID() // the detection goroutine has ended
			q.Close(drainLimit)
			rctx, cancel := context.WithTimeout(ctx, reportTimeout)
			rerr := cl.reportError(rctx, "/exit/error", errorTypeEvent, err)
			cancel()
			return fail(errors.Join(err, rerr))
		}
		if ev.EventType == eventInvoke {
			inv := tracker.Observe()
			inv.RequestID = ev.RequestID
			if vm != nil {
				logline.Invocation(ctx, logger, slog.LevelInfo, sandboxID(), inv, src, logline.VM(vm.Sample()))
			} else {
				logline.Invocation(ctx, logger, slog.LevelInfo, sandboxID(), inv, src)
			}
			continue
		}
		// SHUTDOWN
		now := time.Now()
		stats := tracker.Stats()
		from := stats.ProcessStart
		if from.IsZero() {
			from = start
		}
		end := shutdown{Reason: ev.ShutdownReason, Lifetime: now.Sub(from)}
		attrs := []slog.Attr{slog.Any("shutdown", end), src}
		if n := q.Dropped(); n > 0 {
			attrs = append(attrs, slog.Uint64("dropped_lines", n))
		}
		logline.Shutdown(logger, sandboxID(), stats, attrs...)
		q.Close(drainWait(now, ev.DeadlineMs))
		return 0
	}
}

// drainWait is how long the lines may take to drain after SHUTDOWN at now:
// drainLimit, or less when the deadline (ms since the epoch; 0 unknown)
// leaves less.
func drainWait(now time.Time, deadlineMs int64) time.Duration {
	wait := drainLimit
	if deadlineMs > 0 {
		left := time.UnixMilli(deadlineMs).Sub(now) - drainMargin
		wait = max(min(wait, left), 0)
	}
	return wait
}

// clipQuote quotes s, cut to 64 bytes.
func clipQuote(s string) string {
	if s == "" {
		return `""`
	}
	return `"` + clip(s, 64) + `"`
}

// shutdown is the shutdown line's "shutdown" object: why and when the
// sandbox ended, as the SHUTDOWN event says.
type shutdown struct {
	Reason   string        // shutdownReason: spindown, timeout or failure; "unknown" for any other
	Lifetime time.Duration // from the extension process's start to SHUTDOWN
}

// LogValue renders {"reason","lifetime_ms"}, the reason in lower case; a
// reason Lambda does not document is "unknown", with the raw one (cut to 64 bytes) as "reason_raw".
func (s shutdown) LogValue() slog.Value {
	attrs := make([]slog.Attr, 0, 3)
	reason := "unknown"
	for _, r := range [...]string{"spindown", "timeout", "failure"} { // the reasons Lambda sends
		if strings.EqualFold(s.Reason, r) { // the emulator sends "Timeout"
			reason = r
		}
	}
	attrs = append(attrs, slog.String("reason", reason))
	if reason == "unknown" {
		attrs = append(attrs, slog.String("reason_raw", clip(s.Reason, maxReasonBytes)))
	}
	attrs = append(attrs, slog.Float64("lifetime_ms", logline.Millis(max(s.Lifetime, 0))))
	return slog.GroupValue(attrs...)
}
