package rietest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// The end-to-end tests here exercise the harness itself against the real
// emulator, with examples/bare as the function.

const barePkg = "github.com/faasprobe/faasprobe/examples/bare"

var (
	bareDir  string
	bareOnce = sync.OnceValues(func() (string, error) {
		return BuildBootstrap(context.Background(), BuildConfig{Package: barePkg, Dir: bareDir})
	})
)

// TestMain checks, after all tests, that the harness left nothing behind:
// no goroutine (reader, waiter, HTTP) and no child process.
func TestMain(m *testing.M) {
	var err error
	bareDir, err = os.MkdirTemp("", "rietest-bare-")
	if err != nil {
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(bareDir)
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "goroutines left behind:", err)
			code = 1
		}
		if runtime.GOOS == "linux" {
			kids, err := childrenOf(os.Getpid())
			if err != nil || len(kids) > 0 {
				fmt.Fprintf(os.Stderr, "child processes left behind: %+v (%v)\n", kids, err)
				code = 1
			}
		}
	}
	os.Exit(code)
}

// bare builds examples/bare once for all tests.
func bare(t *testing.T) string {
	t.Helper()
	p, err := bareOnce()
	require.NoError(t, err)
	return p
}

// testCtx bounds a test's emulator work; build first, then call it.
func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestEmulatorLifecycle(t *testing.T) {
	t.Parallel()
	rie := Require(t)
	bootstrap := bare(t) // before the deadline: a cold build may be slow
	ctx := testCtx(t)
	emu := Start(t, Config{
		RIE:       rie,
		Bootstrap: bootstrap,
		Env: map[string]string{
			"AWS_LAMBDA_FUNCTION_NAME":  "bare-lifecycle",
			"AWS_LAMBDA_METADATA_TOKEN": "not-settable",
			"AWS_REGION":                "eu-west-1",
		},
	})

	// The bootstrap starts with the first invocation, not with RIE.
	assert.Zero(t, emu.RuntimePID())
	_, err := emu.RuntimeEnv()
	require.Error(t, err)

	cold, err := emu.Invoke(ctx, []byte(`{"n":1}`))
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, cold.Status, "body: %s", cold.Body)
	assert.JSONEq(t, `{"message":"hello","event_bytes":7}`, string(cold.Body))
	require.True(t, cold.HasReport)
	assert.Equal(t, cold.RequestID, cold.Report.RequestID)
	assert.True(t, cold.Report.HasInit, "first invocation runs the init")
	assert.Positive(t, cold.InitDuration)
	assert.Less(t, cold.InitDuration, 10*time.Second)
	assert.Equal(t, 3008, cold.Report.MemorySizeMB, "the emulator's default memory size")

	warm, err := emu.Invoke(ctx, []byte(`{}`), WithRequestID("req-two"))
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, warm.Status)
	assert.Equal(t, "req-two", warm.Report.RequestID)
	assert.False(t, warm.Report.HasInit)
	assert.Zero(t, warm.InitDuration)

	reports, err := emu.Reports()
	require.NoError(t, err)
	require.Len(t, reports, 2)
	assert.Equal(t, cold.Report, reports[0])
	assert.Equal(t, warm.Report, reports[1])

	// Streams: RIE's START/REPORT on stdout, its INIT REPORT log on stderr.
	var sawStart, sawInitReport bool
	for _, l := range emu.Lines() {
		sawStart = sawStart || l.Stream == Stdout && strings.HasPrefix(l.Text, "START RequestId: "+cold.RequestID)
		sawInitReport = sawInitReport || l.Stream == Stderr && IsInitReport(l.Text)
	}
	assert.True(t, sawStart)
	assert.True(t, sawInitReport)

	require.Positive(t, emu.RuntimePID())
	env, err := emu.RuntimeEnv()
	require.NoError(t, err)
	assert.Equal(t, "bare-lifecycle", env["AWS_LAMBDA_FUNCTION_NAME"], "our Env reaches the function")
	assert.Equal(t, "eu-west-1", env["AWS_REGION"])
	assert.Equal(t, "3008", env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"])
	assert.Equal(t, "$LATEST", env["AWS_LAMBDA_LOG_STREAM_NAME"])
	assert.Equal(t, emu.RuntimeAPI(), env["AWS_LAMBDA_RUNTIME_API"])
	assert.Equal(t, emu.RuntimeAPI(), env["AWS_LAMBDA_METADATA_API"], "metadata API shares the Runtime API address")
	assert.NotEmpty(t, env["AWS_LAMBDA_METADATA_TOKEN"])
	assert.NotEqual(t, "not-settable", env["AWS_LAMBDA_METADATA_TOKEN"], "RIE sets its own token")
	assert.Equal(t, "/usr/bin:/bin", env["PATH"], "nothing inherited from the test process")
	_, hasHome := env["HOME"]
	assert.False(t, hasHome)

	require.NoError(t, emu.Stop())
	require.NoError(t, emu.Stop(), "Stop is idempotent")
	select {
	case <-emu.Done():
	default:
		t.Fatal("emulator still running after Stop")
	}
	assert.False(t, stillRunning(emu.runtime), "runtime %d still running after Stop", emu.runtime.PID)
}

// TestMetadataAPI pins what the emulator serves at AWS_LAMBDA_METADATA_API.
func TestMetadataAPI(t *testing.T) {
	t.Parallel()
	bootstrap := bare(t) // before the deadline: a cold build may be slow
	ctx := testCtx(t)
	emu := Start(t, Config{Bootstrap: bootstrap})
	_, err := emu.Invoke(ctx, []byte(`{}`))
	require.NoError(t, err)
	env, err := emu.RuntimeEnv()
	require.NoError(t, err)
	url := "http://" + env["AWS_LAMBDA_METADATA_API"] + MetadataPath
	token := env["AWS_LAMBDA_METADATA_TOKEN"]

	tests := []struct {
		name       string
		method     string
		auth       string
		wantStatus int
	}{
		{"right token", http.MethodGet, "Bearer " + token, http.StatusOK},
		{"wrong token", http.MethodGet, "Bearer nope", http.StatusUnauthorized},
		{"no bearer prefix", http.MethodGet, token, http.StatusUnauthorized},
		{"no header", http.MethodGet, "", http.StatusUnauthorized},
		{"POST", http.MethodPost, "Bearer " + token, http.StatusMethodNotAllowed},
	}
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 5 * time.Second}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequestWithContext(ctx, tt.method, url, nil)
			require.NoError(t, err)
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			resp, err := client.Do(req)
			require.NoError(t, err)
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			require.NoError(t, err)
			assert.Equal(t, tt.wantStatus, resp.StatusCode, "body: %s", body)
			if tt.wantStatus == http.StatusOK {
				var md struct{ AvailabilityZoneID string }
				require.NoError(t, json.Unmarshal(body, &md))
				assert.Equal(t, "use1-az1", md.AvailabilityZoneID, "RIE's fixed answer")
				assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
			}
		})
	}
}

// TestConcurrentInvokesAreSerialised: the emulator crashes on concurrent
// invocations; the harness must queue them instead.
func TestConcurrentInvokesAreSerialised(t *testing.T) {
	t.Parallel()
	bootstrap := bare(t) // before the deadline: a cold build may be slow
	ctx := testCtx(t)
	emu := Start(t, Config{Bootstrap: bootstrap})
	const n = 4
	invs := make([]Invocation, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { invs[i], errs[i] = emu.Invoke(ctx, []byte(`{}`)) })
	}
	wg.Wait()
	cold := 0
	for i := range n {
		require.NoError(t, errs[i])
		assert.Equal(t, http.StatusOK, invs[i].Status, "body: %s", invs[i].Body)
		if invs[i].Report.HasInit {
			cold++
		}
	}
	assert.Equal(t, 1, cold, "exactly one invocation ran the init")
	select {
	case <-emu.Done():
		t.Fatal("emulator exited")
	default:
	}
}

// TestSeveralEmulators: several sandboxes at once (a dispatcher),
// each on its own pair of ports with its own runtime process.
func TestSeveralEmulators(t *testing.T) {
	t.Parallel()
	bootstrap := bare(t) // before the deadline: a cold build may be slow
	ctx := testCtx(t)
	const n = 3
	addrs := map[string]bool{}
	pids := map[int]bool{}
	for range n {
		emu := Start(t, Config{Bootstrap: bootstrap})
		inv, err := emu.Invoke(ctx, []byte(`{}`))
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, inv.Status)
		assert.True(t, inv.Report.HasInit, "each emulator is a fresh sandbox")
		addrs[emu.Endpoint()] = true
		addrs[emu.RuntimeAPI()] = true
		pids[emu.RuntimePID()] = true
	}
	assert.Len(t, addrs, 2*n, "all ports distinct")
	assert.Len(t, pids, n, "one runtime process per emulator")
}

func TestLaunchErrors(t *testing.T) {
	t.Parallel()
	_, err := Launch(context.Background(), Config{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Bootstrap")

	rie := Require(t)
	_, err = Launch(context.Background(), Config{RIE: rie, Bootstrap: bare(t), StartTimeout: time.Nanosecond})
	require.Error(t, err, "a start timeout is reported, and the process stopped")
}

// TestMissingBootstrap: a bootstrap that cannot be executed fails the
// invocation; it neither hangs nor crashes the harness.
func TestMissingBootstrap(t *testing.T) {
	t.Parallel()
	ctx := testCtx(t)
	emu := Start(t, Config{Bootstrap: t.TempDir() + "/no-such-bootstrap", Dir: t.TempDir()})
	inv, err := emu.Invoke(ctx, []byte(`{}`))
	require.NoError(t, err)
	assert.Equal(t, http.StatusBadGateway, inv.Status, "init failure; body: %s", inv.Body)
	assert.False(t, inv.HasReport)
}

func TestFind(t *testing.T) {
	dir := t.TempDir()
	exe := dir + "/aws-lambda-rie"
	require.NoError(t, os.WriteFile(exe, []byte("#!/bin/sh\n"), 0o755))
	plain := dir + "/plain"
	require.NoError(t, os.WriteFile(plain, nil, 0o644))

	t.Setenv("FAASPROBE_RIE", exe)
	got, err := Find()
	require.NoError(t, err)
	assert.Equal(t, exe, got)

	t.Setenv("FAASPROBE_RIE", plain)
	_, err = Find()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not an executable")
}

// recorder stands in for a test to see whether Require skips or fails.
// Unlike a real test it returns from Skipf and Fatalf, so it records the
// first outcome only.
type recorder struct {
	testing.TB
	skipped, failed bool
}

func (r *recorder) Helper() {}

func (r *recorder) Skip(...any) { r.record(true) }

func (r *recorder) Skipf(string, ...any) { r.record(true) }

func (r *recorder) Fatalf(string, ...any) { r.record(false) }

func (r *recorder) record(skip bool) {
	if r.skipped || r.failed {
		return
	}
	r.skipped, r.failed = skip, !skip
}

func TestRequireMissingEmulator(t *testing.T) {
	if testing.Short() {
		t.Skip("environment-changing test")
	}
	t.Setenv("FAASPROBE_RIE", t.TempDir()+"/missing")
	tests := []struct {
		name        string
		ci          string
		wantSkipped bool
		wantFailed  bool
	}{
		{name: "developer machine skips", ci: "", wantSkipped: true},
		{name: "CI fails", ci: "true", wantFailed: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("CI", tt.ci)
			r := &recorder{TB: t}
			Require(r)
			assert.Equal(t, tt.wantSkipped, r.skipped)
			assert.Equal(t, tt.wantFailed, r.failed)
		})
	}
}
