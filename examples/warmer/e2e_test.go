package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/faasprobe/faasprobe/examples/internal/multisandbox"
	"github.com/faasprobe/faasprobe/internal/rietest"
	"github.com/faasprobe/faasprobe/warmer"
	"github.com/faasprobe/faasprobe/warmer/lambdainvoke"
)

// End-to-end: examples/warmer/target (a hello-style handler wrapped with
// warmer.Wrap) and this scheduler, built as `bootstrap` (-tags lambda.norpc)
// and run under the real AWS Lambda Runtime Interface Emulator: alone, and
// as a fleet of sandboxes behind examples/internal/multisandbox. Pings go
// through the aws-sdk-go-v2 Lambda client (warmer/lambdainvoke) with its
// endpoint pointed at the emulator. Fails (not skips) in CI when the
// emulator is missing; install: .ci/install-rie.sh.

const (
	targetPkg    = "github.com/faasprobe/faasprobe/examples/warmer/target"
	schedulerPkg = "github.com/faasprobe/faasprobe/examples/warmer"
)

var (
	buildDir    string
	buildMu     sync.Mutex
	builtByPath = map[string]string{}
)

// TestMain builds into one temporary directory, removes it, and fails the
// package if any test left a goroutine behind.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "warmer-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	buildDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	os.Exit(code)
}

// build builds pkg once per test binary.
func build(t *testing.T, pkg string) string {
	t.Helper()
	rietest.Require(t)
	buildMu.Lock()
	defer buildMu.Unlock()
	if p, ok := builtByPath[pkg]; ok {
		return p
	}
	dir, err := os.MkdirTemp(buildDir, "bootstrap-")
	require.NoError(t, err)
	p, err := rietest.BuildBootstrap(context.Background(), rietest.BuildConfig{Package: pkg, Dir: dir})
	require.NoError(t, err)
	builtByPath[pkg] = p
	return p
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// sdkInvoker is the aws-sdk-go-v2 invoker pointed at endpoint (unsigned
// requests, no retries, no idle connections).
func sdkInvoker(endpoint string) *lambdainvoke.Invoker {
	return lambdainvoke.New(awslambda.New(awslambda.Options{
		Region:           "us-east-1",
		Credentials:      aws.AnonymousCredentials{},
		BaseEndpoint:     aws.String(endpoint),
		HTTPClient:       &http.Client{Transport: &http.Transport{DisableKeepAlives: true}},
		RetryMaxAttempts: 1,
	}))
}

// fakeSecret is the fake secret key given to functions: no output may
// contain it.
const fakeSecret = "fake-secret-for-the-emulator"

// fakeAWSEnv is what a function needs to build an SDK client under the
// emulator: a region and credentials (fake: nothing leaves 127.0.0.1).
func fakeAWSEnv(extra map[string]string) map[string]string {
	env := map[string]string{
		"AWS_REGION":            "us-east-1",
		"AWS_ACCESS_KEY_ID":     "AKIAFAKEFAKEFAKEFAKE",
		"AWS_SECRET_ACCESS_KEY": fakeSecret,
	}
	for k, v := range extra {
		env[k] = v
	}
	return env
}

// userAnswer is the part of the target's user answer the tests read.
type userAnswer struct {
	First      bool   `json:"first"`
	Cold       bool   `json:"cold"`
	Reason     string `json:"reason"`
	Seq        uint64 `json:"seq"`
	SandboxID  string `json:"sandbox_id"`
	EventBytes int    `json:"event_bytes"`
}

func invokeJSON[T any](t *testing.T, ctx context.Context, inv warmer.Invoker, payload string) T {
	t.Helper()
	body, err := inv.Invoke(ctx, warmer.Request{Function: "function", Payload: []byte(payload)})
	require.NoError(t, err)
	var v T
	require.NoError(t, json.Unmarshal(body, &v), "%s", body)
	return v
}

func TestTargetUnderTheEmulator(t *testing.T) {
	bootstrap := build(t, targetPkg)
	emu := rietest.Start(t, rietest.Config{Bootstrap: bootstrap, Env: map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "target"}})
	ctx := testCtx(t)
	inv := sdkInvoker(emu.Endpoint())

	// The first invocation of the sandbox is a ping: it pays the cold start.
	rep, err := warmer.Ping(ctx, inv, warmer.Plan{Targets: []warmer.Target{{Function: "function"}}})
	require.NoError(t, err)
	tr := rep.Targets[0]
	require.Equal(t, 1, tr.Reached, tr.Summary)
	assert.Equal(t, 1, tr.Cold, "the ping paid the sandbox's cold start")
	id := tr.SandboxIDs[0]
	require.NotEmpty(t, id)

	r := invokeJSON[warmer.Reply](t, ctx, inv, `{"warmer":true}`)
	assert.Equal(t, id, r.SandboxID, "the reply carries the sandbox id")
	assert.Equal(t, "process", r.SandboxIDScope, `the emulator's log stream "$LATEST" names no sandbox`)
	assert.False(t, r.First)
	assert.Equal(t, uint64(2), r.Seq)
	assert.Equal(t, uint64(2), r.Pings)
	assert.Zero(t, r.UserInvocations)
	assert.Equal(t, warmer.FormatLambdaWarmer, r.Format)

	// A normal event still gets its normal answer. One tracker counts
	// pings and user invocations alike: the first ping was the sandbox's
	// only first invocation.
	a := invokeJSON[userAnswer](t, ctx, inv, `{"order":42}`)
	assert.Equal(t, uint64(3), a.Seq)
	assert.False(t, a.First, "the ping was the sandbox's first invocation")
	assert.Equal(t, id, a.SandboxID)
	assert.Equal(t, len(`{"order":42}`), a.EventBytes)
	assert.False(t, a.Cold, "the ping paid the cold start, not this request")
	assert.Equal(t, "warm", a.Reason)

	r = invokeJSON[warmer.Reply](t, ctx, inv, `{"warmer":true}`)
	assert.Equal(t, uint64(4), r.Seq)
	assert.Equal(t, uint64(3), r.Pings)
	assert.Equal(t, uint64(1), r.UserInvocations)

	// serverless-plugin-warmup through the client context, whatever the payload.
	got, err := emu.Invoke(ctx, []byte(`{"order":7}`), rietest.WithClientContext([]byte(`{"custom":{"source":"serverless-plugin-warmup"}}`)))
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, got.Status, "%s", got.Body)
	require.NoError(t, json.Unmarshal(got.Body, &r), "%s", got.Body)
	assert.Equal(t, warmer.FormatPluginWarmup, r.Format)

	// A forged concurrency is capped (no fan-out is configured here).
	r = invokeJSON[warmer.Reply](t, ctx, inv, `{"warmer":true,"concurrency":10000}`)
	assert.True(t, r.Capped)
	assert.Equal(t, 10000, r.Requested)
	assert.Equal(t, warmer.DefaultMaxConcurrency, r.Concurrency)
	assert.GreaterOrEqual(t, r.HeldMs, float64(warmer.DefaultHold.Milliseconds()))
	assert.Empty(t, r.FanOut)

	a = invokeJSON[userAnswer](t, ctx, inv, `{"order":43}`)
	assert.Equal(t, uint64(7), a.Seq, "five pings, then the second user invocation")
	assert.False(t, a.First)

	pingLines := 0
	for _, l := range emu.Lines() {
		if strings.Contains(l.Text, `"message":"faasprobe.invocation"`) && strings.Contains(l.Text, `"ping":{`) {
			pingLines++
		}
	}
	assert.Equal(t, 5, pingLines, "one log line per ping")
}

func TestFleetPlanReachesDistinctSandboxes(t *testing.T) {
	bootstrap := build(t, targetPkg)
	fleet := multisandbox.Start(t, multisandbox.Config{
		Sandboxes: 3,
		Emulator:  rietest.Config{Bootstrap: bootstrap, Env: map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "target"}},
	})
	ctx := testCtx(t)
	inv := sdkInvoker(fleet.URL())
	plan := func(n int) warmer.Plan {
		return warmer.Plan{Targets: []warmer.Target{{Function: "target", Qualifier: "live", Concurrency: n}}}
	}
	rounds := []struct {
		n, reached, cold int
	}{
		{n: 1, reached: 1, cold: 1}, // sandbox 0 starts
		{n: 1, reached: 1, cold: 0}, // and is reused while idle
		{n: 3, reached: 3, cold: 2}, // the hold spreads three pings over three sandboxes
		{n: 3, reached: 3, cold: 0},
		{n: 1, reached: 1, cold: 0},
	}
	all := map[string]bool{}
	for i, rd := range rounds {
		rep, err := warmer.Ping(ctx, inv, plan(rd.n))
		require.NoError(t, err, "round %d", i)
		tr := rep.Targets[0]
		assert.Equal(t, rd.reached, tr.Reached, "round %d: %s", i, tr.Summary)
		assert.Equal(t, rd.cold, tr.Cold, "round %d: %s", i, tr.Summary)
		assert.Zero(t, tr.Errors)
		for _, id := range tr.SandboxIDs {
			all[id] = true
		}
	}
	assert.Len(t, all, 3, "three sandboxes, three ids")
	assert.Equal(t, []int{5, 2, 2}, fleet.Served(), "idle-first routing: sandbox 0 takes every lone ping")
}

func TestFanOutThroughTheFleet(t *testing.T) {
	bootstrap := build(t, targetPkg)
	fleet := multisandbox.Start(t, multisandbox.Config{
		Sandboxes:   3,
		Emulator:    rietest.Config{Bootstrap: bootstrap, Env: fakeAWSEnv(map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "target"})},
		EndpointEnv: "FAASPROBE_WARMER_FANOUT_ENDPOINT",
	})
	ctx := testCtx(t)
	rep, err := warmer.Ping(ctx, sdkInvoker(fleet.URL()), warmer.Plan{Targets: []warmer.Target{{Function: "target", Concurrency: 3, FanOut: true}}})
	require.NoError(t, err)
	tr := rep.Targets[0]
	assert.Equal(t, 3, tr.Reached, "%s %v", tr.Summary, tr.ErrorSamples)
	assert.Equal(t, 3, tr.Sent, "one ping, two fanned out by the first receiver")
	assert.Equal(t, 3, tr.Cold)
	assert.Equal(t, []int{1, 1, 1}, fleet.Served())
	for i, e := range fleet.Emulators() {
		assert.NotContains(t, e.Output(), fakeSecret, "sandbox %d leaked the secret key", i)
	}
}

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// roundLine is the scheduler's log line.
type roundLine struct {
	Level   string        `json:"level"`
	Message string        `json:"message"`
	Report  warmer.Report `json:"report"`
	Error   string        `json:"error"`
}

func roundLines(t *testing.T, text string) []roundLine {
	t.Helper()
	var out []roundLine
	for _, l := range strings.Split(text, "\n") {
		if !strings.Contains(l, `"message":"`+msgRound+`"`) {
			continue
		}
		var r roundLine
		require.NoError(t, json.Unmarshal([]byte(l), &r), "%s", l)
		out = append(out, r)
	}
	return out
}

func TestSchedulerUnderTheEmulator(t *testing.T) {
	target, scheduler := build(t, targetPkg), build(t, schedulerPkg)
	fleet := multisandbox.Start(t, multisandbox.Config{
		Sandboxes: 3,
		Emulator:  rietest.Config{Bootstrap: target, Env: map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "target"}},
	})
	emu := rietest.Start(t, rietest.Config{Bootstrap: scheduler, Env: fakeAWSEnv(map[string]string{
		"AWS_LAMBDA_FUNCTION_NAME": "warmer",
		envTargets:                 "target:live=3",
		envEndpoint:                fleet.URL(),
	})})
	ctx := testCtx(t)
	event := `{"version":"0","id":"1","detail-type":"Scheduled Event","source":"aws.events","account":"123456789012","time":"2026-11-25T12:00:00Z","region":"us-east-1","resources":["arn:aws:events:us-east-1:123456789012:rule/faasprobe-warm-schedule"],"detail":{}}`
	for round, cold := range []int{3, 0} {
		inv, err := emu.Invoke(ctx, []byte(event))
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, inv.Status, "%s", inv.Body)
		var rep warmer.Report
		require.NoError(t, json.Unmarshal(inv.Body, &rep), "%s", inv.Body)
		assert.Equal(t, 3, rep.Reached, "round %d: %s", round, rep.Summary)
		assert.Equal(t, cold, rep.Cold, "round %d", round)
		lines := roundLines(t, emu.Output())
		require.Len(t, lines, round+1, "one log line per round")
		last := lines[round]
		assert.Equal(t, "INFO", last.Level)
		assert.Equal(t, rep.Summary, last.Report.Summary)
		assert.Equal(t, 3, last.Report.Targets[0].Reached)
	}
	assert.NotContains(t, emu.Output(), fakeSecret)
}

// Outside Lambda the scheduler runs warmer.Start's loop until its context
// ends.
func TestSchedulerLoopMode(t *testing.T) {
	target := build(t, targetPkg)
	fleet := multisandbox.Start(t, multisandbox.Config{
		Sandboxes: 2,
		Emulator:  rietest.Config{Bootstrap: target, Env: map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "target"}},
	})
	env := fakeAWSEnv(map[string]string{envTargets: "target=2", envEndpoint: fleet.URL(), envEvery: "1s"})
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	// The SDK's default configuration reads the process environment.
	for k, v := range fakeAWSEnv(map[string]string{"AWS_EC2_METADATA_DISABLED": "true"}) {
		t.Setenv(k, v)
	}
	ctx, cancel := context.WithCancel(testCtx(t))
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, lookup, &stdout, &stderr) }()
	deadline := time.Now().Add(time.Minute)
	for len(roundLines(t, stdout.String())) < 2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	select {
	case code := <-done:
		assert.Equal(t, 0, code, "stderr: %s", stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatal("the loop did not stop with its context")
	}
	lines := roundLines(t, stdout.String())
	require.GreaterOrEqual(t, len(lines), 2, "stderr: %s", stderr.String())
	assert.Equal(t, 2, lines[0].Report.Reached)
	assert.Equal(t, 2, lines[0].Report.Cold)
	assert.Equal(t, 2, lines[1].Report.Reached)
	assert.Zero(t, lines[1].Report.Cold)
}
