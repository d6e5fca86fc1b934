//go:build linux

package safety

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/internal/rietest"
)

// examplePayloads are sent to every example: an empty event, pings in the
// formats warmer.Wrap recognises, a non-object, and a typed-looking event.
var examplePayloads = []string{
	`{}`,
	`{"warmer":true,"concurrency":1}`,
	`{"source":"serverless-plugin-warmup"}`,
	`"just a string"`,
	`{"name":"canary-test","id":1}`,
}

// TestExamplesNeverPrintSecrets runs every example handler (every main
// package under examples/, built as deployed) under the Runtime Interface
// Emulator with the canaries in its environment, invokes it with several
// payloads, and scans everything: the function's output and RIE's, and
// every response (base64/gzip/tar blobs decoded). RIE replaces
// AWS_LAMBDA_METADATA_TOKEN with its own; that real token, read from the
// runtime's environment, is searched too. A keep-warm scheduler
// (FAASPROBE_WARM_TARGETS in its source) pings a second emulator running a
// target, so its signed requests and its report are covered.
func TestExamplesNeverPrintSecrets(t *testing.T) {
	t.Parallel()
	rie := rietest.Require(t)
	bs := buildAll(t)
	prefix := modulePath(t) + "/examples/"
	var examples []string
	for p := range bs.bins {
		if strings.HasPrefix(p, prefix) {
			examples = append(examples, p)
		}
	}
	slices.Sort(examples)
	require.NotEmpty(t, examples)
	t.Logf("examples: %v", examples)

	for _, ex := range examples {
		t.Run(strings.TrimPrefix(ex, prefix), func(t *testing.T) {
			t.Parallel()
			c := newCanaries(t)
			env := maps.Clone(c.values)
			maps.Copy(env, map[string]string{
				"AWS_LAMBDA_FUNCTION_NAME":        filepath.Base(ex),
				"AWS_REGION":                      "us-east-1",
				"AWS_DEFAULT_REGION":              "us-east-1",
				"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
				"AWS_LAMBDA_LOG_STREAM_NAME":      "2026/11/25/[$LATEST]0123456789abcdef0123456789abcdef",
				"AWS_EXECUTION_ENV":               "AWS_Lambda_provided.al2023",
			})
			var target *rietest.Emulator
			if isScheduler(t, ex) {
				tbin := bs.bins[prefix+"warmer/target"]
				if tbin == "" {
					tbin = bs.bins[prefix+"hello"]
				}
				require.NotEmpty(t, tbin, "no target to ping")
				target = startEmulator(t, rie, tbin, maps.Clone(c.values))
				env["FAASPROBE_WARM_TARGETS"] = "function=2"
				env["FAASPROBE_WARM_ENDPOINT"] = target.Endpoint()
				env["FAASPROBE_WARM_TIMEOUT_MS"] = "5000"
			}
			emu := startEmulator(t, rie, bs.bins[ex], env)
			var bodies []string
			for _, p := range examplePayloads {
				status, body := invoke(t, emu, p)
				t.Logf("%s → %d, %d bytes", p, status, len(body))
				bodies = append(bodies, string(body))
			}
			runtimeEnv, err := emu.RuntimeEnv()
			require.NoError(t, err)
			realToken := runtimeEnv["AWS_LAMBDA_METADATA_TOKEN"]
			require.NotEmpty(t, realToken, "RIE gives the runtime a metadata token")
			assert.NotEqual(t, c.values["AWS_LAMBDA_METADATA_TOKEN"], realToken, "RIE replaces the token")
			assert.Equal(t, c.values["AWS_SECRET_ACCESS_KEY"], runtimeEnv["AWS_SECRET_ACCESS_KEY"], "the canaries reach the function")
			c.tokens["AWS_LAMBDA_METADATA_TOKEN (RIE's)"] = realToken

			texts := map[string]string{"emulator output": emu.Output(), "responses": strings.Join(bodies, "\n")}
			if target != nil {
				texts["target output"] = target.Output()
				assert.Contains(t, texts["emulator output"], "faasprobe.warm", "the scheduler logged a report")
			}
			for where, text := range texts {
				assert.Empty(t, c.leaks([]byte(text)), "canaries in the %s of %s:\n%s", where, ex, text)
			}
		})
	}
}

// isScheduler reports whether the example is a keep-warm scheduler that
// needs targets (its source reads FAASPROBE_WARM_TARGETS).
func isScheduler(t testing.TB, importPath string) bool {
	t.Helper()
	dir := filepath.Join(moduleRoot(t), filepath.FromSlash(strings.TrimPrefix(importPath, modulePath(t)+"/")))
	ents, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range ents {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		require.NoError(t, err)
		if strings.Contains(string(b), `"FAASPROBE_WARM_TARGETS"`) {
			return true
		}
	}
	return false
}
