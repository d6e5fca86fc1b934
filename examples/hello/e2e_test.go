package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/internal/rietest"
)

// End-to-end: examples/hello built as `bootstrap` (-tags lambda.norpc) and
// run under the real AWS Lambda Runtime Interface Emulator. Fails (not
// skips) in CI when the emulator is missing; install: .ci/install-rie.sh.

const helloPkg = "github.com/faasprobe/faasprobe/examples/hello"

// canaries are fake credentials, unique per run, that must never appear in
// any output.
type canaries map[string]string

func newCanaries(t *testing.T) canaries {
	t.Helper()
	tag := func(prefix string) string {
		var b [12]byte
		_, _ = rand.Read(b[:])
		return prefix + strings.ToUpper(hex.EncodeToString(b[:]))
	}
	return canaries{
		"AWS_ACCESS_KEY_ID":     tag("AKIACANARY"),
		"AWS_SECRET_ACCESS_KEY": tag("canary-secret-"),
		"AWS_SESSION_TOKEN":     tag("canary-session-"),
		// RIE replaces this with its own token (read back from the runtime's
		// environment below); set anyway so a leak of either is caught.
		"AWS_LAMBDA_METADATA_TOKEN": tag("canary-metadata-"),
	}
}

// assertNoCanary fails if any secret value occurs in any of texts.
func assertNoCanary(t *testing.T, secrets map[string]string, texts map[string]string) {
	t.Helper()
	for name, secret := range secrets {
		require.NotEmpty(t, secret, name)
		for where, text := range texts {
			assert.NotContains(t, text, secret, "%s leaked into %s", name, where)
		}
	}
}

// startupLine is the part of the startup line the test checks.
type startupLine struct {
	Timestamp string `json:"timestamp"`
	Level     string `json:"level"`
	Message   string `json:"message"`
	SandboxID string `json:"sandbox_id"`
	Platform  struct {
		Provider      string `json:"provider"`
		Service       string `json:"service"`
		Region        string `json:"region"`
		FunctionName  string `json:"function_name"`
		MemoryLimitMB int    `json:"memory_limit_mb"`
	} `json:"platform"`
	Host struct {
		Arch   string `json:"arch"`
		Kernel struct {
			Release string `json:"release"`
		} `json:"kernel"`
		Hypervisor struct {
			Kind string `json:"kind"`
		} `json:"hypervisor"`
		CPU struct {
			Count int `json:"count"`
		} `json:"cpu"`
	} `json:"host"`
	Sandbox struct {
		ID                 string `json:"id"`
		IDSource           string `json:"id_source"`
		IDScope            string `json:"id_scope"`
		Isolation          string `json:"isolation"`
		AvailabilityZoneID string `json:"availability_zone_id"`
		Limits             struct {
			MemoryLimitMB   int     `json:"memory_limit_mb"`
			VCPUEntitlement float64 `json:"vcpu_entitlement"`
		} `json:"limits"`
	} `json:"sandbox"`
	DetectMs *float64 `json:"detect_ms"`
	Problems []struct {
		Source string `json:"source"`
		Error  string `json:"error"`
	} `json:"problems"`
}

// Messages of the lines hello writes (docs/schema.md).
const (
	msgStartup    = "faasprobe.startup"
	msgInvocation = "faasprobe.invocation"
	msgShutdown   = "faasprobe.shutdown"
)

// helloResponse is the handler's answer: the invocation facts.
type helloResponse struct {
	First       bool    `json:"first"`
	Cold        bool    `json:"cold"`
	Reason      string  `json:"reason"`
	Seq         uint64  `json:"seq"`
	SinceInitMs float64 `json:"since_init_ms"`
	InitSource  string  `json:"init_source"`
	RequestID   string  `json:"request_id"`
}

// run is one sandbox's life under the emulator, as seen by the test.
type run struct {
	emu       *rietest.Emulator
	invs      []rietest.Invocation
	responses []helloResponse
	startup   startupLine
	rawStart  string
	env       map[string]string // the runtime's environment as RIE set it
}

// runHello starts hello with env and invokes it n times.
func runHello(t *testing.T, bootstrap string, env map[string]string, n int) run {
	t.Helper()
	rie := rietest.Require(t)
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	emu := rietest.Start(t, rietest.Config{RIE: rie, Bootstrap: bootstrap, Env: env, FunctionTimeout: 10 * time.Second})
	r := run{emu: emu}
	for i := range n {
		inv, err := emu.Invoke(ctx, []byte(`{"i":`+string(rune('0'+i))+`}`))
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, inv.Status, "invocation %d: %s", i+1, inv.Body)
		var resp helloResponse
		require.NoError(t, json.Unmarshal(inv.Body, &resp), "response %d: %s", i+1, inv.Body)
		r.invs = append(r.invs, inv)
		r.responses = append(r.responses, resp)
	}
	var err error
	r.env, err = emu.RuntimeEnv()
	require.NoError(t, err)

	var startups []string
	for _, l := range emu.Lines() {
		if l.Stream == rietest.Stdout && strings.Contains(l.Text, `"message":"`+msgStartup+`"`) {
			startups = append(startups, l.Text)
		}
	}
	require.Len(t, startups, 1, "exactly one startup line per sandbox")
	r.rawStart = startups[0]
	dec := json.NewDecoder(strings.NewReader(r.rawStart))
	require.NoError(t, dec.Decode(&r.startup), "startup line is JSON: %s", r.rawStart)
	return r
}

func TestHelloE2E(t *testing.T) {
	t.Parallel()
	rietest.Require(t) // before building: skip (or fail in CI) at once
	bootstrap := rietest.Build(t, helloPkg)
	const streamGUID = "5f0d3a29c1b84e6f9a7d2c8b1e4f6a03"

	tests := []struct {
		name string
		env  map[string]string
		// want
		scope    string
		id       string // "" : any non-empty
		az       string
		problems []string // sources expected in the startup problems
	}{
		{
			name:  "emulator defaults, metadata API on",
			env:   map[string]string{"FAASPROBE_METADATA": "1"},
			scope: "process", // RIE's log stream is just "$LATEST": no sandbox id
			az:    "use1-az1",
		},
		{
			name: "Lambda-style log stream, metadata API off",
			env: map[string]string{
				"AWS_LAMBDA_LOG_STREAM_NAME": "2026/01/15/[$LATEST]" + streamGUID,
			},
			scope: "sandbox",
			id:    streamGUID,
		},
		{
			name: "bad input still answers",
			env: map[string]string{
				"FAASPROBE_METADATA":              "perhaps",
				"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "lots",
				"AWS_LAMBDA_LOG_STREAM_NAME":      "2026/01/15/[$LATEST]not-hex",
			},
			scope:    "process",
			problems: []string{"FAASPROBE_METADATA"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			secrets := newCanaries(t)
			env := map[string]string{
				"AWS_LAMBDA_FUNCTION_NAME": "faasprobe-hello-e2e",
				"AWS_REGION":               "us-east-1",
			}
			for k, v := range secrets {
				env[k] = v
			}
			for k, v := range tt.env {
				env[k] = v
			}
			const n = 4
			r := runHello(t, bootstrap, env, n)

			// Invocations: cold first, then warm with increasing seq, one sandbox.
			first := r.responses[0]
			assert.True(t, first.First)
			assert.True(t, first.Cold)
			assert.Equal(t, "on-demand", first.Reason)
			assert.EqualValues(t, 1, first.Seq)
			assert.Equal(t, "wrap", first.InitSource, "the wrapper marks init end")
			assert.Less(t, first.SinceInitMs, 10_000.0, "RIE invokes right after init: not proactive")
			for i, resp := range r.responses {
				assert.EqualValues(t, i+1, resp.Seq)
				assert.Equal(t, r.invs[i].RequestID, resp.RequestID, "request id from lambdacontext")
				if i > 0 {
					assert.False(t, resp.First)
					assert.False(t, resp.Cold)
					assert.Equal(t, "warm", resp.Reason)
				}
			}
			sandboxID := r.startup.Sandbox.ID
			assert.NotEmpty(t, sandboxID)
			assert.Equal(t, sandboxID, r.startup.SandboxID)
			if tt.id != "" {
				assert.Equal(t, tt.id, sandboxID)
			}

			// The emulator agrees about which invocation was cold.
			assert.True(t, r.invs[0].Report.HasInit)
			assert.Positive(t, r.invs[0].InitDuration)
			for _, inv := range r.invs[1:] {
				assert.False(t, inv.Report.HasInit)
			}
			t.Logf("init %v (RIE INIT REPORT), first round trip %v", r.invs[0].InitDuration, r.invs[0].Elapsed)

			// The startup line.
			s := r.startup
			assert.NotEmpty(t, s.Timestamp)
			assert.Equal(t, "INFO", s.Level)
			assert.Equal(t, msgStartup, s.Message)
			assert.Equal(t, "aws", s.Platform.Provider)
			assert.Equal(t, "lambda", s.Platform.Service)
			assert.Equal(t, "us-east-1", s.Platform.Region)
			assert.Equal(t, "faasprobe-hello-e2e", s.Platform.FunctionName)
			assert.Equal(t, runtime.GOARCH, s.Host.Arch)
			assert.NotEmpty(t, s.Host.Kernel.Release)
			assert.NotEmpty(t, s.Host.Hypervisor.Kind)
			assert.Positive(t, s.Host.CPU.Count)
			assert.Equal(t, tt.scope, s.Sandbox.IDScope)
			assert.NotEmpty(t, s.Sandbox.Isolation)
			assert.Equal(t, tt.az, s.Sandbox.AvailabilityZoneID)
			if r.env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] == "3008" {
				assert.Equal(t, 3008, s.Sandbox.Limits.MemoryLimitMB, "RIE's memory size")
				assert.Equal(t, 3008, s.Platform.MemoryLimitMB)
				assert.InDelta(t, 3008.0/1769, s.Sandbox.Limits.VCPUEntitlement, 0.001)
			} else {
				assert.Zero(t, s.Sandbox.Limits.MemoryLimitMB, "garbage memory size is unknown, not a guess")
			}
			require.NotNil(t, s.DetectMs)
			assert.GreaterOrEqual(t, *s.DetectMs, 0.0)
			assert.NotNil(t, s.Problems, "problems is a list, never null")
			var sources []string
			for _, p := range s.Problems {
				sources = append(sources, p.Source)
			}
			for _, want := range tt.problems {
				assert.Contains(t, sources, want)
			}
			for _, key := range []string{`"host":{`, `"sandbox":{`, `"platform":{`, `"problems":[`} {
				assert.Contains(t, r.rawStart, key)
			}

			// One invocation line per invocation, with the request id.
			var invLines int
			for _, l := range r.emu.Lines() {
				if !strings.Contains(l.Text, `"message":"`+msgInvocation+`"`) {
					continue
				}
				var line struct {
					RequestID  string `json:"requestId"`
					SandboxID  string `json:"sandbox_id"`
					Invocation struct {
						Seq uint64 `json:"seq"`
					} `json:"invocation"`
				}
				require.NoError(t, json.Unmarshal([]byte(l.Text), &line), l.Text)
				require.Less(t, invLines, n)
				assert.Equal(t, r.invs[invLines].RequestID, line.RequestID)
				assert.Equal(t, sandboxID, line.SandboxID)
				assert.EqualValues(t, invLines+1, line.Invocation.Seq)
				invLines++
			}
			assert.Equal(t, n, invLines)

			// No credential anywhere: emulator output (both streams) and
			// responses. The real metadata token is RIE's own.
			realToken := r.env["AWS_LAMBDA_METADATA_TOKEN"]
			require.NotEmpty(t, realToken)
			assert.NotEqual(t, secrets["AWS_LAMBDA_METADATA_TOKEN"], realToken)
			for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"} {
				assert.Equal(t, secrets[k], r.env[k], "the canary reached the function")
			}
			all := map[string]string{"output": r.emu.Output()}
			var bodies bytes.Buffer
			for _, inv := range r.invs {
				bodies.Write(inv.Body)
			}
			all["responses"] = bodies.String()
			check := map[string]string{"AWS_LAMBDA_METADATA_TOKEN (RIE's)": realToken}
			for k, v := range secrets {
				check[k] = v
			}
			assertNoCanary(t, check, all)
		})
	}
}

// TestHelloShutdownStats: with FAASPROBE_SHUTDOWN_STATS=1 hello registers
// aws-lambda-go's internal extension, so the emulator's shutdown sends it
// SIGTERM (then SIGKILL after its deadline, ~600 ms): the stats line must
// be logged once, with the right counts, and leak no credential.
func TestHelloShutdownStats(t *testing.T) {
	t.Parallel()
	rietest.Require(t) // before building: skip (or fail in CI) at once
	bootstrap := rietest.Build(t, helloPkg)
	secrets := newCanaries(t)
	env := map[string]string{"FAASPROBE_SHUTDOWN_STATS": "1", "AWS_LAMBDA_FUNCTION_NAME": "faasprobe-hello-stats"}
	for k, v := range secrets {
		env[k] = v
	}
	r := runHello(t, bootstrap, env, 2)
	assert.True(t, r.responses[0].Cold)
	assert.False(t, r.responses[1].Cold)
	require.NoError(t, r.emu.Stop())

	var statsLines []string
	for _, l := range r.emu.Lines() {
		if strings.Contains(l.Text, `"message":"`+msgShutdown+`"`) {
			statsLines = append(statsLines, l.Text)
		}
	}
	require.Len(t, statsLines, 1, "one shutdown line")
	var stats struct {
		Level     string `json:"level"`
		SandboxID string `json:"sandbox_id"`
		Stats     struct {
			Invocations int `json:"invocations"`
			Cold        int `json:"cold"`
			Warm        int `json:"warm"`
			Errors      int `json:"errors"`
		} `json:"stats"`
	}
	require.NoError(t, json.Unmarshal([]byte(statsLines[0]), &stats), statsLines[0])
	assert.Equal(t, "INFO", stats.Level)
	assert.Equal(t, r.startup.SandboxID, stats.SandboxID)
	assert.Equal(t, 2, stats.Stats.Invocations)
	assert.Equal(t, 1, stats.Stats.Cold)
	assert.Equal(t, 1, stats.Stats.Warm)
	assert.Zero(t, stats.Stats.Errors)
	secrets["AWS_LAMBDA_METADATA_TOKEN (RIE's)"] = r.env["AWS_LAMBDA_METADATA_TOKEN"]
	assertNoCanary(t, secrets, map[string]string{"output": r.emu.Output()})
}
