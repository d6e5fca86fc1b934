// Command warmer is a keep-warm scheduler: a Lambda function meant to be
// triggered by an EventBridge rule (rate(4 minutes), see `faasprobe
// warm-plan` for the rule, the IAM policy and the cost) that pings its
// targets with warmer.Ping and logs the report as one JSON line. Outside
// Lambda (no AWS_LAMBDA_RUNTIME_API) it runs warmer.Start's loop instead,
// until SIGINT or SIGTERM.
//
// Targets and settings come from the environment:
//
//   - FAASPROBE_WARM_TARGETS (required): targets separated by commas or
//     spaces, each function[:qualifier][=N] as warmer.ParseTarget reads it,
//     e.g. "orders:live=3,arn:aws:lambda:us-east-1:123456789012:function:api=1".
//   - FAASPROBE_WARM_FANOUT=1: send one fan-out ping per target and let the
//     first receiver invoke the others (targets need warmer.WithFanOut).
//   - FAASPROBE_WARM_TIMEOUT_MS: per-ping timeout (default 10000).
//   - FAASPROBE_WARM_ENDPOINT: Lambda API endpoint override (tests: the
//     Runtime Interface Emulator or the multisandbox dispatcher).
//   - FAASPROBE_WARM_EVERY: loop interval outside Lambda, a Go duration
//     (default 4m; jitter ±10%).
//
// Region and credentials are aws-sdk-go-v2's default configuration (the
// function's role in Lambda); the role needs lambda:InvokeFunction on the
// targets. The log line (Lambda's JSON log keys, on stdout):
//
//	{"timestamp":"…","level":"INFO","message":"faasprobe.warmer.round","report":{"targets":[…],"requested":3,"reached":3,"cold":0,"errors":0,…,"summary":"best-effort: reached 3 of 3 requested sandboxes (0 cold starts paid by the pings, 0 errors)"}}
//
// A round with errors logs at WARN with an "error" key. The invocation
// returns the report too, and fails only when the configuration is
// unusable (a failed ping is in the report, not a function error: the next
// round will try again).
//
// Build for provided.al2023:
//
//	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go build -tags lambda.norpc -o bootstrap ./examples/warmer
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/faasprobe/faasprobe"
	"github.com/faasprobe/faasprobe/warmer"
	"github.com/faasprobe/faasprobe/warmer/lambdainvoke"
)

// Environment.
const (
	envTargets  = "FAASPROBE_WARM_TARGETS"
	envFanOut   = "FAASPROBE_WARM_FANOUT"
	envTimeout  = "FAASPROBE_WARM_TIMEOUT_MS"
	envEndpoint = "FAASPROBE_WARM_ENDPOINT"
	envEvery    = "FAASPROBE_WARM_EVERY"
)

// msgRound is the log message of a round: warmer.Start's.
const msgRound = "faasprobe.warmer.round"

// planFromEnv builds the plan from the environment.
func planFromEnv(lookup func(string) (string, bool)) (warmer.Plan, error) {
	var plan warmer.Plan
	raw, _ := lookup(envTargets)
	specs := strings.FieldsFunc(raw, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\t' })
	if len(specs) == 0 {
		return plan, fmt.Errorf("%s is empty: want function[:qualifier][=N], comma-separated", envTargets)
	}
	fanOut := false
	if v, ok := lookup(envFanOut); ok && v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return plan, fmt.Errorf("%s: want 1 or 0", envFanOut)
		}
		fanOut = b
	}
	for _, s := range specs {
		t, err := warmer.ParseTarget(s)
		if err != nil {
			return plan, err
		}
		t.FanOut = fanOut
		plan.Targets = append(plan.Targets, t)
	}
	if v, ok := lookup(envTimeout); ok && v != "" {
		ms, err := strconv.Atoi(v)
		if err != nil || ms < 1 || ms > 900_000 {
			return plan, fmt.Errorf("%s: want milliseconds from 1 to 900000", envTimeout)
		}
		plan.Timeout = time.Duration(ms) * time.Millisecond
	}
	if v, ok := lookup(envEvery); ok && v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Second {
			return plan, fmt.Errorf("%s: want a Go duration of at least 1s (4m)", envEvery)
		}
		plan.Every = d
	}
	return plan, nil
}

// newInvoker is the aws-sdk-go-v2 invoker, endpoint overridable.
func newInvoker(ctx context.Context, lookup func(string) (string, bool)) (*lambdainvoke.Invoker, error) {
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("load AWS configuration: %w", err)
	}
	endpoint, _ := lookup(envEndpoint)
	client := awslambda.NewFromConfig(cfg, func(o *awslambda.Options) {
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
		o.HTTPClient = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	})
	return lambdainvoke.New(client), nil
}

// logRound writes the one JSON line of a round: the report as its JSON
// form (not its slog group).
func logRound(logger *slog.Logger, rep warmer.Report, err error) {
	b, mErr := json.Marshal(rep)
	if mErr != nil { // a Report always marshals; keep the line regardless
		b = []byte(`null`)
	}
	attrs := []slog.Attr{slog.Any("report", json.RawMessage(b))}
	level := slog.LevelInfo
	if err != nil {
		level = slog.LevelWarn
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	logger.LogAttrs(context.Background(), level, msgRound, attrs...)
}

// handler pings once per scheduled invocation.
type handler struct {
	plan   warmer.Plan
	inv    warmer.Invoker
	logger *slog.Logger
}

func (h *handler) handle(ctx context.Context, _ json.RawMessage) (warmer.Report, error) {
	rep, err := warmer.Ping(ctx, h.inv, h.plan)
	logRound(h.logger, rep, err)
	return rep, nil
}

func run(ctx context.Context, lookup func(string) (string, bool), stdout, stderr io.Writer) int {
	logger := slog.New(slog.NewJSONHandler(stdout, &slog.HandlerOptions{ReplaceAttr: lambdacontext.ReplaceAttr}))
	plan, err := planFromEnv(lookup)
	if err == nil {
		var inv *lambdainvoke.Invoker
		if inv, err = newInvoker(ctx, lookup); err == nil {
			h := &handler{plan: plan, inv: inv, logger: logger}
			if api, _ := lookup("AWS_LAMBDA_RUNTIME_API"); api != "" {
				// faasprobe's startup and invocation lines as well, so the
				// scheduler's own sandboxes show in `faasprobe fleet`; its
				// trigger (a "faasprobe-warm" rule) is not a ping to it.
				faasprobe.New(faasprobe.WithLogger(logger), faasprobe.WithEnv(lookup), faasprobe.WithoutPings()).Start(h.handle, lambda.WithContext(ctx))
				return 0
			}
			return loop(ctx, h, stderr)
		}
	}
	fmt.Fprintf(stderr, "warmer: %v\n", err)
	if api, _ := lookup("AWS_LAMBDA_RUNTIME_API"); api != "" {
		// Report the configuration error on every invocation.
		lambda.StartWithOptions(func(context.Context, json.RawMessage) (warmer.Report, error) {
			return warmer.Report{}, fmt.Errorf("warmer: %w", err)
		}, lambda.WithContext(ctx))
	}
	return 2
}

// loop runs warmer.Start until ctx ends.
func loop(ctx context.Context, h *handler, stderr io.Writer) int {
	l, err := warmer.Start(ctx, h.inv, h.plan, func(rep warmer.Report, err error) { logRound(h.logger, rep, err) })
	if err != nil {
		fmt.Fprintf(stderr, "warmer: %v\n", err)
		return 2
	}
	<-l.Done()
	l.Stop()
	if errors.Is(ctx.Err(), context.Canceled) {
		return 0
	}
	return 1
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.LookupEnv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
