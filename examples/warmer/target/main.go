// Command target is examples/hello's kind of handler wrapped with
// warmer.Wrap: the function a warmer keeps warm, and the one the warmer's
// end-to-end tests run under the Runtime Interface Emulator (alone, and as
// a fleet of sandboxes behind examples/internal/multisandbox).
//
// A normal event is answered by the user handler, wrapped with coldstart,
// with the invocation facts at top level plus the sandbox id (as hello
// answers):
//
//	{"first":true,"cold":true,"reason":"on-demand","seq":1,…,"sandbox_id":"…","sandbox_id_scope":"process","event_bytes":11}
//
// A ping is answered by warmer.Wrap (warmer.Reply) and logged as one JSON
// line "faasprobe.invocation" with the reply under "ping"; the user handler
// never sees it, so its seq
// counts user invocations only.
//
// Environment switches, read once at init (a value that does not parse is
// reported on stderr and the default is kept):
//
//   - FAASPROBE_WARMER_HOLD_MS: warmer.WithHold in milliseconds (default 75).
//   - FAASPROBE_WARMER_MAX_CONCURRENCY: warmer.WithMaxConcurrency (default 10).
//   - FAASPROBE_WARMER_FANOUT=1: warmer.WithFanOut through the Lambda API
//     (aws-sdk-go-v2 default configuration; the role needs
//     lambda:InvokeFunction on the function itself).
//   - FAASPROBE_WARMER_FANOUT_ENDPOINT=URL: the same, with the Lambda
//     endpoint overridden (tests: the multisandbox dispatcher).
//
// Build for provided.al2023:
//
//	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go build -tags lambda.norpc -o bootstrap ./examples/warmer/target
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/faasprobe/faasprobe/coldstart"
	"github.com/faasprobe/faasprobe/sandbox"
	"github.com/faasprobe/faasprobe/warmer"
	"github.com/faasprobe/faasprobe/warmer/lambdainvoke"
)

// Environment switches.
const (
	envHold           = "FAASPROBE_WARMER_HOLD_MS"
	envMaxConcurrency = "FAASPROBE_WARMER_MAX_CONCURRENCY"
	envFanOut         = "FAASPROBE_WARMER_FANOUT"
	envFanOutEndpoint = "FAASPROBE_WARMER_FANOUT_ENDPOINT"
)

// response is the answer to a user event.
type response struct {
	coldstart.Invocation
	SandboxID      string `json:"sandbox_id"`
	SandboxIDScope string `json:"sandbox_id_scope"`
	EventBytes     int    `json:"event_bytes"`
}

type app struct{ sb sandbox.Sandbox }

func (a *app) handle(ctx context.Context, event json.RawMessage) (response, error) {
	inv, _ := coldstart.FromContext(ctx)
	return response{Invocation: inv, SandboxID: a.sb.ID, SandboxIDScope: a.sb.IDScope, EventBytes: len(event)}, nil
}

// options reads the environment switches into warmer options.
func options(ctx context.Context, lookup func(string) (string, bool), stderr io.Writer, logger *slog.Logger) []warmer.Option {
	opts := []warmer.Option{warmer.WithLogger(logger)}
	if ms, ok := envInt(lookup, envHold, 0, 10_000, stderr); ok {
		opts = append(opts, warmer.WithHold(time.Duration(ms)*time.Millisecond))
	}
	if n, ok := envInt(lookup, envMaxConcurrency, 1, 1000, stderr); ok {
		opts = append(opts, warmer.WithMaxConcurrency(n))
	}
	endpoint, _ := lookup(envFanOutEndpoint)
	fanOut, _ := lookup(envFanOut)
	if endpoint == "" && fanOut != "1" {
		return opts
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "target: fan-out off: load AWS configuration: %v\n", err)
		return opts
	}
	client := awslambda.NewFromConfig(cfg, func(o *awslambda.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
		// No idle connections: nothing outlives an invocation.
		o.HTTPClient = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	})
	return append(opts, warmer.WithFanOut(lambdainvoke.New(client)))
}

// envInt reads a whole number in [lo, hi]; unset is (0, false) silently,
// anything else that does not parse is reported and ignored.
func envInt(lookup func(string) (string, bool), name string, lo, hi int, stderr io.Writer) (int, bool) {
	v, ok := lookup(name)
	if !ok || v == "" {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		fmt.Fprintf(stderr, "target: %s: want a whole number from %d to %d; default kept\n", name, lo, hi)
		return 0, false
	}
	return n, true
}

func main() {
	logger := slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: lambdacontext.ReplaceAttr}))
	sb, _ := sandbox.Detect() // problems are not this example's subject
	a := &app{sb: sb}
	opts := append(options(context.Background(), os.LookupEnv, os.Stderr, logger), warmer.WithSandbox(sb))
	// Wrap last: it marks the end of init for both trackers.
	lambda.Start(warmer.Wrap(lambda.NewHandler(coldstart.Wrap(a.handle)), opts...))
}
