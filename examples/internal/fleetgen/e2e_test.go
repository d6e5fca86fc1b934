package fleetgen

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/internal/fleet"
	"github.com/faasprobe/faasprobe/internal/rietest"
)

// End to end: examples/hello run as several sandboxes (one emulator
// process each) on this machine, its real output piped into the analysis.
// Fails (not skips) in CI when the emulator is missing.

const helloPkg = "github.com/faasprobe/faasprobe/examples/hello"

// fixture is the recorded hello run the analyzer's own tests use.
const fixture = "../../../internal/fleet/testdata/hello-rie.log"

// liveSandbox is one emulator and what was asked of it.
type liveSandbox struct {
	emu     *rietest.Emulator
	stream  string // the log stream the function was given; "$LATEST": the emulator's own
	invokes int
}

// liveLine is a stdout line and the log stream of the sandbox that wrote it.
type liveLine struct {
	rietest.Line
	stream string
}

// runHelloFleet starts one emulator per stream and invokes them in turn,
// so their lines interleave; it returns every stdout line in the order read.
func runHelloFleet(t *testing.T, streams []string, invokes []int) []liveLine {
	t.Helper()
	rie := rietest.Require(t)
	bootstrap := rietest.Build(t, helloPkg)
	var sbs []liveSandbox
	for i, s := range streams {
		// AWS_LAMBDA_INITIALIZATION_TYPE: set by Lambda, not by the emulator.
		env := map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "hello-fleet", "AWS_REGION": "eu-west-1", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
			"AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand"}
		if s != "$LATEST" {
			env["AWS_LAMBDA_LOG_STREAM_NAME"] = s
		}
		emu := rietest.Start(t, rietest.Config{RIE: rie, Bootstrap: bootstrap, Env: env, FunctionTimeout: 10 * time.Second})
		sbs = append(sbs, liveSandbox{emu: emu, stream: s, invokes: invokes[i]})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for round := 0; ; round++ {
		done := true
		for _, sb := range sbs {
			if round >= sb.invokes {
				continue
			}
			done = false
			inv, err := sb.emu.Invoke(ctx, []byte(`{}`))
			require.NoError(t, err)
			require.Equal(t, http.StatusOK, inv.Status, "%s", inv.Body)
		}
		if done {
			break
		}
	}
	var lines []liveLine
	for _, sb := range sbs {
		for _, l := range sb.emu.Lines() {
			if l.Stream == rietest.Stdout {
				lines = append(lines, liveLine{l, sb.stream})
			}
		}
	}
	slices.SortStableFunc(lines, func(a, b liveLine) int { return a.Time.Compare(b.Time) })
	return lines
}

// TestHelloFleetUnderEmulator: three sandboxes of hello, two named by a
// Lambda-style log stream, one with the emulator's "$LATEST" (a per-process
// id), invoked 4, 2 and 3 times.
func TestHelloFleetUnderEmulator(t *testing.T) {
	t.Parallel()
	const g1, g2 = "6c1f0e5a9b2d4c7e8f1a3b5c7d9e0f21", "9e8d7c6b5a4f4e3d8c2b1a0f9e8d7c6b"
	streams := []string{"2026/11/25/[$LATEST]" + g1, "2026/11/25/[$LATEST]" + g2, "$LATEST"}
	lines := runHelloFleet(t, streams, []int{4, 2, 3})

	var raw strings.Builder
	for _, l := range lines {
		raw.WriteString(l.Text + "\n")
	}
	a := fleet.New()
	require.NoError(t, a.Read("hello", strings.NewReader(raw.String()), 0))
	res := a.Result()

	assert.Equal(t, 3, res.Totals.Sandboxes)
	assert.Equal(t, 3, res.Totals.WithStartup)
	assert.Equal(t, 1, res.Totals.ProcessScoped, "the $LATEST sandbox has a per-process id")
	assert.Equal(t, 1, res.Totals.VMs, "three emulators on one machine: one boot id")
	assert.Equal(t, 1, res.Totals.Functions)
	require.Len(t, res.Functions, 1)
	assert.Equal(t, "hello-fleet", res.Functions[0].Name)
	assert.Equal(t, []int{256}, res.Functions[0].MemoryMB)
	assert.Equal(t, int64(9), res.Cold.Invocations)
	assert.Equal(t, int64(3), res.Cold.Cold)
	assert.Equal(t, int64(3), res.Cold.FirstInvocations)
	assert.Equal(t, map[string]int64{"on-demand": 3}, res.Cold.FirstReasons)
	assert.Zero(t, res.Cold.MissingInvocations)
	assert.Equal(t, int64(9), res.Reports.Count)
	assert.Equal(t, int64(3), res.Reports.WithInit)
	assert.Equal(t, int64(3), res.Reports.Attributed, "without log streams, the cold REPORTs are tied by request id")
	assert.Equal(t, float64(2), res.InvocationsPerSandbox.Min)
	assert.Equal(t, float64(4), res.InvocationsPerSandbox.Max)
	assert.Equal(t, float64(3), res.Hosts.ConcurrentPerVM.Max, "the three ran side by side")
	assert.Equal(t, int64(0), res.Kinds["incomplete"]+res.Kinds["json_truncated"]+res.Kinds["json_malformed"])
	if boot, err := os.ReadFile("/proc/sys/kernel/random/boot_id"); err == nil {
		require.Len(t, res.Hypervisors, 1)
		rows, _ := a.Rows(10)
		assert.Equal(t, strings.TrimSpace(string(boot)), rows[0].VM, "the VM is this machine's boot")
	}
	rows, _ := a.Rows(10)
	var ids []string
	for _, r := range rows {
		ids = append(ids, r.Sandbox)
		assert.True(t, r.Cold, r.Sandbox)
		assert.False(t, r.Startup.After(r.FirstInvocation))
	}
	assert.Contains(t, ids, g1)
	assert.Contains(t, ids, g2)

	// The same lines as `aws logs tail` prints them: REPORTs are now tied
	// by their log stream (all 6 of the two named sandboxes) plus the
	// third's cold one by request id.
	var tail strings.Builder
	for _, l := range lines {
		tail.WriteString(l.Time.UTC().Format("2006-01-02T15:04:05.000000+00:00") + " " + l.stream + " " + l.Text + "\n")
	}
	a = fleet.New()
	require.NoError(t, a.Read("tail", strings.NewReader(tail.String()), 0))
	tres := a.Result()
	assert.Equal(t, res.Totals, tres.Totals)
	assert.Equal(t, res.Cold, tres.Cold)
	assert.Equal(t, int64(4+2+1), tres.Reports.Attributed)

	// The recorded fixture, hello's live lines and the generator's lines
	// carry the same fields.
	live := fieldSets(t, raw.String())
	assert.Equal(t, live, fieldSets(t, readFile(t, fixture)), "internal/fleet/testdata/hello-rie.log is stale: record it again (see its PROVENANCE.md)")
	var gen bytes.Buffer
	_, err := Generate(&gen, Config{Seed: 1, Sandboxes: 6, SandboxesPerVM: 2, Proactive: 0.5})
	require.NoError(t, err)
	assert.Equal(t, live, fieldSets(t, gen.String()), "fleetgen writes lines of hello's shape")
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(b)
}

// fieldSets returns, per message, the set of field paths of the JSON lines
// in text, array indices dropped ("a.0.b" → "a.b").
func fieldSets(t *testing.T, text string) map[string][]string {
	t.Helper()
	index := regexp.MustCompile(`\.[0-9]+(\.|$)`)
	sets := map[string]map[string]bool{}
	var walk func(prefix string, v any, out map[string]bool)
	walk = func(prefix string, v any, out map[string]bool) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				p := k
				if prefix != "" {
					p = prefix + "." + k
				}
				walk(p, x, out)
			}
		case []any:
			out[prefix] = true
			for _, x := range v {
				walk(prefix, x, out)
			}
		default:
			out[index.ReplaceAllString(prefix, "$1")] = true
		}
	}
	sc := bufio.NewScanner(strings.NewReader(text))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var v map[string]any
		if json.Unmarshal(sc.Bytes(), &v) != nil {
			continue
		}
		msg, _ := v["message"].(string)
		if !strings.HasPrefix(msg, "faasprobe.") {
			continue
		}
		if sets[msg] == nil {
			sets[msg] = map[string]bool{}
		}
		walk("", v, sets[msg])
	}
	require.NoError(t, sc.Err())
	out := map[string][]string{}
	for msg, set := range sets {
		for k := range set {
			out[msg] = append(out[msg], k)
		}
		slices.Sort(out[msg])
	}
	require.Len(t, out, 2, "startup and invocation lines")
	return out
}
