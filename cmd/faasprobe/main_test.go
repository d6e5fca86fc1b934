package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestUsage(t *testing.T) {
	code, out, _ := runCLI(t, "--help")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "--root DIR")
	for _, bad := range [][]string{{"--nope"}, {"extra-arg"}, {"--root", filepath.Join(t.TempDir(), "missing")}, {"--root"}} {
		code, _, errOut := runCLI(t, bad...)
		assert.Equal(t, 2, code, "args %q", bad)
		assert.NotEmpty(t, errOut)
	}
}

// TestLiveJSON: the schema's keys are all there, lists are [] not null,
// and on our build machine (a Firecracker microVM) the hypervisor says so.
func TestLiveJSON(t *testing.T) {
	code, out, _ := runCLI(t, "--json")
	require.Equal(t, 0, code)
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	assert.NotContains(t, out, "null")
	for _, path := range []string{
		"platform.provider", "platform.service", "platform.region", "platform.function_name",
		"platform.function_version", "platform.memory_limit_mb", "platform.runtime",
		"host.arch", "host.kernel.release", "host.kernel.version", "host.boot_id", "host.boot_time",
		"host.uptime_seconds", "host.cpu.vendor", "host.cpu.model_name", "host.cpu.count", "host.cpu.mhz",
		"host.cpu.cache_kb", "host.cpu.family", "host.cpu.model", "host.cpu.stepping",
		"host.cpu.arm_implementer", "host.cpu.arm_part", "host.cpu.microarchitecture",
		"host.memory_total_bytes", "host.hypervisor.kind", "host.hypervisor.evidence",
		"host.container.detected", "host.container.evidence", "host.net_drivers",
		"host.instance.type_candidates", "host.instance.family_candidates",
		"host.instance.host_cpu_candidates", "host.instance.confidence", "host.instance.basis",
		"problems",
	} {
		_, ok := lookup(doc, path)
		assert.True(t, ok, "missing key %s", path)
	}
	if runtime.GOOS == "linux" {
		kind, _ := lookup(doc, "host.hypervisor.kind")
		if want := os.Getenv("FAASPROBE_EXPECT_HYPERVISOR"); want != "" {
			assert.Equal(t, want, kind)
		}
		count, _ := lookup(doc, "host.cpu.count")
		assert.GreaterOrEqual(t, count, float64(runtime.NumCPU()))
	}
	code, text, _ := runCLI(t)
	assert.Equal(t, 0, code)
	assert.Contains(t, text, "hypervisor:")
}

func lookup(doc map[string]any, path string) (any, bool) {
	var cur any = doc
	for _, k := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[k]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// Canary credentials: none of them may appear in any output.
var canaries = map[string]string{
	"AWS_ACCESS_KEY_ID":               "AKIACANARY0000000001",
	"AWS_SECRET_ACCESS_KEY":           "canary-secret-key-7f3a9c",
	"AWS_SESSION_TOKEN":               "canary-session-token-IQoJb3JpZ2luX2Vj",
	"AWS_LAMBDA_METADATA_TOKEN":       "canary-metadata-token-51b2",
	"AzureWebJobsStorage":             "DefaultEndpointsProtocol=https;AccountName=x;AccountKey=canaryAzureKey==",
	"AZURE_STORAGE_CONNECTION_STRING": "AccountKey=canaryAzureConn==",
	"MY_API_KEY":                      "canary-api-key-99",
}

func TestNoSecretsInOutput(t *testing.T) {
	for k, v := range canaries {
		t.Setenv(k, v)
	}
	t.Setenv("AWS_LAMBDA_FUNCTION_NAME", "canary-fn")
	tree := t.TempDir()
	var env strings.Builder
	for k, v := range canaries {
		fmt.Fprintf(&env, "%s=%s\n", k, v)
	}
	require.NoError(t, os.WriteFile(filepath.Join(tree, "env"), []byte(env.String()+"AWS_LAMBDA_FUNCTION_NAME=x\n"), 0o644))
	for _, args := range [][]string{{}, {"--json"}, {"--root", tree}, {"--root", tree, "--json"}} {
		code, out, errOut := runCLI(t, args...)
		assert.Equal(t, 0, code)
		for k, v := range canaries {
			assert.NotContains(t, out+errOut, v, "args %q leak %s", args, k)
		}
	}
}

// TestScenarios replays every recorded tree under testdata/scenarios and
// checks the hand-written expectations in its want.json (a subset match:
// keys ending in _include mean "the list contains these").
func TestScenarios(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("..", "..", "testdata", "scenarios", "*"))
	require.NoError(t, err)
	require.NotEmpty(t, dirs, "no scenario trees")
	sort.Strings(dirs)
	for _, dir := range dirs {
		wantPath := filepath.Join(dir, "want.json")
		if _, err := os.Stat(wantPath); err != nil {
			continue
		}
		t.Run(filepath.Base(dir), func(t *testing.T) {
			raw, err := os.ReadFile(wantPath)
			require.NoError(t, err)
			var want map[string]any
			require.NoError(t, json.Unmarshal(raw, &want))
			delete(want, "why")
			code, out, errOut := runCLI(t, "--root", dir, "--json")
			require.Equal(t, 0, code, errOut)
			var got map[string]any
			require.NoError(t, json.Unmarshal([]byte(out), &got))
			for _, diff := range subsetDiff("", want, got) {
				t.Error(diff)
			}
		})
	}
}

// subsetDiff lists how got fails to contain want.
func subsetDiff(path string, want, got any) []string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want an object, got %v", path, got)}
		}
		var diffs []string
		for k, wv := range w {
			if k == "why" {
				continue
			}
			p := strings.TrimPrefix(path+"."+k, ".")
			if base, ok := strings.CutSuffix(k, "_include"); ok {
				list, _ := g[base].([]any)
				for _, item := range wv.([]any) {
					if !containsValue(list, item) {
						diffs = append(diffs, fmt.Sprintf("%s: %v not in %v", p, item, g[base]))
					}
				}
				continue
			}
			gv, ok := g[k]
			if !ok {
				diffs = append(diffs, fmt.Sprintf("%s: missing", p))
				continue
			}
			diffs = append(diffs, subsetDiff(p, wv, gv)...)
		}
		return diffs
	default:
		if fmt.Sprint(want) != fmt.Sprint(got) {
			return []string{fmt.Sprintf("%s: want %v, got %v", path, want, got)}
		}
		return nil
	}
}

func containsValue(list []any, v any) bool {
	for _, x := range list {
		if fmt.Sprint(x) == fmt.Sprint(v) {
			return true
		}
	}
	return false
}

// TestSummaryPlatformLine: the text summary's platform line names what the
// JSON says of it, launch type and execution environment included.
func TestSummaryPlatformLine(t *testing.T) {
	tests := []struct{ env, want string }{
		{"AWS_EXECUTION_ENV=AWS_ECS_FARGATE\n", "aws ecs (launch type fargate)"},
		{"CLOUD_RUN_JOB=j\nCLOUD_RUN_EXECUTION=j-1\n", "gcp cloud_run_job (execution environment gen2)"},
		{"VERCEL=1\nAWS_LAMBDA_FUNCTION_NAME=fn\n", "vercel functions (on aws_lambda)"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			dir := t.TempDir()
			require.NoError(t, os.WriteFile(filepath.Join(dir, "env"), []byte(tt.env), 0o600))
			code, out, _ := runCLI(t, "--root", dir)
			assert.Equal(t, 0, code)
			assert.Contains(t, out, "platform:      "+tt.want+"\n")
		})
	}
}
