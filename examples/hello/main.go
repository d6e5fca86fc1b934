// Command hello is a Lambda handler that knows where it runs and whether
// each invocation is cold. It is the example of issue 3 and the function the
// end-to-end tests run under the Runtime Interface Emulator
// (e2e_test.go; examples/bare is its baseline).
//
// At init it logs one startup line with the host and sandbox facts; each
// invocation is answered with the invocation facts at top level plus the
// sandbox id, and logged as one invocation line. Both lines are JSON in
// Lambda's JSON log format (lambdacontext.ReplaceAttr: "timestamp",
// "level", "message"), on stdout:
//
//	{"timestamp":"…","level":"INFO","message":"faasprobe.startup","host":{"platform":{…},"arch":"arm64",…},"sandbox":{"id":"…",…},"detect_ms":0.41,"problems":[]}
//	{"timestamp":"…","level":"INFO","message":"faasprobe.invocation","requestId":"…","sandbox_id":"…","invocation":{"first":true,"cold":true,"reason":"on-demand","seq":1,…}}
//
// The response:
//
//	{"first":true,"cold":true,"reason":"on-demand","seq":1,…,"sandbox_id":"…","sandbox_id_scope":"sandbox","event_bytes":2}
//
// Environment switches, read once at init (a value strconv.ParseBool does
// not accept counts as off and is listed in the startup line's problems):
//
//   - FAASPROBE_METADATA=1: also ask the Lambda metadata API for the
//     availability-zone id (sandbox.WithMetadataAPI, bounded by
//     sandbox.DefaultMetadataTimeout). Off by default: it is a network call
//     inside the cold start.
//   - FAASPROBE_SHUTDOWN_STATS=1: log the sandbox's lifetime stats at
//     shutdown (coldstart.LogStatsOnShutdown). Off by default: aws-lambda-go
//     then registers an internal extension at init and keeps a goroutine.
//
// Build for provided.al2023 (GOARCH amd64 or arm64):
//
//	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go build -tags lambda.norpc -o bootstrap ./examples/hello
package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/faasprobe/faasprobe/coldstart"
	"github.com/faasprobe/faasprobe/hostinfo"
	"github.com/faasprobe/faasprobe/sandbox"
)

// Log messages (the "message" key) of the two lines hello writes.
const (
	msgStartup    = "faasprobe.startup"
	msgInvocation = "faasprobe.invocation"
)

// Environment switches.
const (
	envMetadata      = "FAASPROBE_METADATA"
	envShutdownStats = "FAASPROBE_SHUTDOWN_STATS"
)

// response is the answer to every invocation: the invocation facts at top
// level, then the sandbox's identity.
type response struct {
	coldstart.Invocation
	SandboxID      string `json:"sandbox_id"`       // sandbox.Sandbox.ID
	SandboxIDScope string `json:"sandbox_id_scope"` // "sandbox" or "process"
	// AvailabilityZoneID is the metadata API's answer ("use1-az1"); only
	// with FAASPROBE_METADATA=1.
	AvailabilityZoneID string `json:"availability_zone_id,omitempty"`
	EventBytes         int    `json:"event_bytes"` // size of the event received
}

// app holds what init learned, for the handler.
type app struct {
	logger *slog.Logger
	sb     sandbox.Sandbox
}

func (a *app) handle(ctx context.Context, event json.RawMessage) (response, error) {
	inv, _ := coldstart.FromContext(ctx)
	logInfo(ctx, a.logger, msgInvocation, requestID(ctx),
		slog.String("sandbox_id", a.sb.ID), slog.Any("invocation", inv))
	return response{
		Invocation:         inv,
		SandboxID:          a.sb.ID,
		SandboxIDScope:     a.sb.IDScope,
		AvailabilityZoneID: a.sb.AvailabilityZoneID,
		EventBytes:         len(event),
	}, nil
}

// requestID is the Lambda request id as lambdacontext.NewLogHandler names
// it ("requestId"), or an empty attr (dropped by slog) outside a request.
func requestID(ctx context.Context) slog.Attr {
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		return slog.String("requestId", lc.AwsRequestID)
	}
	return slog.Attr{}
}

// startup detects the host and sandbox once and logs the startup line.
func startup(logger *slog.Logger, lookup func(string) (string, bool)) *app {
	start := time.Now()
	var problems []hostinfo.Problem
	metadata, p := envBool(lookup, envMetadata)
	problems = append(problems, p...)

	host, _ := hostinfo.Detect() // the error repeats host.Problems
	opts := []sandbox.Option{sandbox.WithHost(host)}
	if metadata {
		opts = append(opts, sandbox.WithMetadataAPI(0))
	}
	sb, _ := sandbox.Detect(opts...) // the error repeats sb.Problems
	detect := time.Since(start)

	problems = append(problems, host.Problems...)
	problems = append(problems, sb.Problems...)
	// An empty list is written as the []string the host facts already use:
	// the same "[]", without building a JSON encoder for []Problem inside
	// the cold start.
	problemsAttr := slog.Any("problems", []string{})
	if len(problems) > 0 {
		problemsAttr = slog.Any("problems", problems)
	}
	logInfo(context.Background(), logger, msgStartup,
		slog.Any("host", host),
		slog.Any("sandbox", sb),
		slog.Float64("detect_ms", float64(detect.Microseconds())/1000),
		problemsAttr)
	return &app{logger: logger, sb: sb}
}

// logInfo logs one line at Info level as Logger.LogAttrs does, less two
// costs a cold start would pay for nothing: the caller's program counter
// (runtime.Callers; the handler does not print the source) and the local
// time zone (the time is UTC, as Lambda's own log timestamps are; a local
// time would first load the zone, e.g. /etc/localtime when TZ is unset).
func logInfo(ctx context.Context, logger *slog.Logger, msg string, attrs ...slog.Attr) {
	if !logger.Enabled(ctx, slog.LevelInfo) {
		return
	}
	r := slog.NewRecord(time.Now().UTC(), slog.LevelInfo, msg, 0)
	r.AddAttrs(attrs...)
	_ = logger.Handler().Handle(ctx, r)
}

// envBool reads a boolean switch: unset or empty is false; a value
// strconv.ParseBool rejects is false plus a problem naming the variable
// (not its value).
func envBool(lookup func(string) (string, bool), name string) (bool, []hostinfo.Problem) {
	v, ok := lookup(name)
	if !ok || v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, []hostinfo.Problem{{Source: name, Error: "not a boolean (want 1, true, 0, false…); taken as off"}}
	}
	return b, nil
}

// newLogger writes JSON lines to stdout with Lambda's JSON log keys.
func newLogger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: replaceAttr}))
}

// replaceAttr is lambdacontext.ReplaceAttr ("timestamp", "message") with
// the level written as the string it is ("INFO"): with any ReplaceAttr,
// slog hands the level over as a slog.Level value, which the JSON handler
// then writes through encoding/json (Level.MarshalJSON): one more type for
// encoding/json to set up inside the cold start. The output is the same.
func replaceAttr(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == slog.LevelKey {
		if l, ok := a.Value.Any().(slog.Level); ok {
			return slog.String(slog.LevelKey, l.String())
		}
	}
	return lambdacontext.ReplaceAttr(groups, a)
}

func main() {
	logger := newLogger()
	a := startup(logger, os.LookupEnv)
	// Wrap marks the end of init: call it after the startup work.
	h := coldstart.Wrap(a.handle)
	if on, _ := envBool(os.LookupEnv, envShutdownStats); on {
		lambda.StartWithOptions(h, coldstart.LogStatsOnShutdown(logger))
		return
	}
	lambda.Start(h)
}
