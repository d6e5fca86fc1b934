package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/internal/fleet"
	"github.com/faasprobe/faasprobe/internal/jsontest"
	"github.com/faasprobe/faasprobe/warmer"
)

// hostile clears the screen and retitles the terminal when printed raw.
const hostile = "\x1b[2J\x1b]0;pwned\x07Xe\ron\u009b"

// hostileEscaped is how the text outputs show it.
const hostileEscaped = `\x1b[2J\x1b]0;pwned\x07Xe\x0don\u009b`

// requireNoControls fails if out holds a control character other than tab
// and newline.
func requireNoControls(t *testing.T, out string) {
	t.Helper()
	for i, r := range out {
		if r == '\t' || r == '\n' {
			continue
		}
		require.False(t, r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f), "control %U at byte %d of %q", r, i, out)
	}
}

// writeFiles writes files (path → content) below a new temp dir.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
	return dir
}

// TestFactsTextEscapesTreeValues: a recorded tree's CPU model name and
// environment reach the text summary escaped, and the JSON exactly; a
// NaN cpu MHz is a problem, not a failed --json.
func TestFactsTextEscapesTreeValues(t *testing.T) {
	t.Parallel()
	dir := writeFiles(t, map[string]string{
		"proc/cpuinfo": "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: " + hostile + "\ncpu MHz\t\t: NaN\n",
		"env":          "AWS_LAMBDA_FUNCTION_NAME=fn" + hostile + "\nAWS_REGION=us-east-1\n",
	})
	code, out, errOut := runCLI(t, "--root", dir)
	require.Equal(t, 0, code, errOut)
	requireNoControls(t, out)
	assert.Contains(t, out, "1 × "+hostileEscaped)
	assert.Contains(t, out, "fn"+hostileEscaped)

	code, out, errOut = runCLI(t, "--root", dir, "--json")
	require.Equal(t, 0, code, errOut)
	var rep report
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	assert.Equal(t, hostile, rep.Host.CPU.ModelName, "JSON keeps the value exact")
	assert.Zero(t, rep.Host.CPU.MHz)
	assert.Contains(t, out, `cpu MHz`)
}

// TestFleetTextEscapesLogValues: a function name, CPU model and REPORT
// request id from a log reach the fleet text report escaped.
func TestFleetTextEscapesLogValues(t *testing.T) {
	t.Parallel()
	name, err := json.Marshal(hostile)
	require.NoError(t, err)
	log := `{"time":"2026-01-15T10:00:00Z","message":"faasprobe.startup","host":{"platform":{"function_name":` + string(name) +
		`,"region":"us-east-1"},"boot_id":"b1","cpu":{"model_name":` + string(name) + `}},"sandbox":{"id":"s1"}}` + "\n" +
		"REPORT RequestId: " + hostile + "\tDuration: 1.00 ms\n" +
		hostile + "\n"
	path := filepath.Join(t.TempDir(), "in"+"\x1b[1m"+".log")
	require.NoError(t, os.WriteFile(path, []byte(log), 0o644))
	code, out, errOut := runFleetT(t, "", "--quiet", path)
	require.Equal(t, 0, code, errOut)
	requireNoControls(t, out)
	assert.Contains(t, out, hostileEscaped)

	code, out, errOut = runFleetT(t, "", "--quiet", "--json", path)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, `"\u001b[2J\u001b]0;pwned\u0007Xe\ron`+"\u009b\"", "JSON keeps the value, escaped as JSON does")
}

// TestWarmPlanTextEscapes: a target name with control characters is
// refused with the name quoted; and whatever a plan holds, its text is
// printed escaped.
func TestWarmPlanTextEscapes(t *testing.T) {
	t.Parallel()
	code, out, errOut := warmPlanCLI(t, "--target", "fn"+hostile)
	assert.Equal(t, 2, code)
	requireNoControls(t, out+errOut)

	c, err := parseWarmPlanArgs([]string{"--target", "fn"})
	require.NoError(t, err)
	sched, err := parseRateFlag("5m")
	require.NoError(t, err)
	o := planWarm(c, sched, nil)
	o.Targets = []warmer.Target{{Function: "fn" + hostile, Concurrency: 1}}
	o.Warnings = []string{hostile}
	var b bytes.Buffer
	printWarmPlan(&b, c, o)
	requireNoControls(t, b.String())
	assert.Contains(t, b.String(), "fn"+hostileEscaped)
	assert.Equal(t, 2, strings.Count(b.String(), hostileEscaped))
}

// FuzzReport writes fuzzed bytes into one file of a small tree: the CLI's
// report marshals and reads back, and its text holds no control character
// other than tab and newline.
func FuzzReport(f *testing.F) {
	names := []string{"proc/cpuinfo", "proc/uptime", "proc/stat", "env", "proc/self/status", "sys/class/dmi/id/product_name"}
	f.Add(uint8(0), []byte("processor\t: 0\nmodel name\t: "+hostile+"\ncpu MHz\t\t: infinity\n"))
	f.Add(uint8(1), []byte("1e400 0\n"))
	f.Add(uint8(3), []byte("AWS_LAMBDA_FUNCTION_NAME="+hostile+"\nAWS_LAMBDA_FUNCTION_MEMORY_SIZE=NaN\n"))
	f.Fuzz(func(t *testing.T, which uint8, data []byte) {
		files := map[string]string{
			"proc/cpuinfo": "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Xeon\ncpu MHz\t\t: 2900.1\n",
			"env":          "AWS_LAMBDA_FUNCTION_NAME=fn\nAWS_REGION=us-east-1\n",
		}
		files[names[int(which)%len(names)]] = string(data)
		rep := collect(writeFiles(t, files))
		jsontest.RoundTrip(t, rep)
		var text bytes.Buffer
		printSummary(&text, rep)
		requireNoControls(t, text.String())
	})
}

// TestFleetStealSeriesEscapes: a boot id and a function name from a log
// reach the steal rows over time escaped, and the JSON series exactly.
func TestFleetStealSeriesEscapes(t *testing.T) {
	t.Parallel()
	name, err := json.Marshal(hostile)
	require.NoError(t, err)
	log := `{"timestamp":"2026-01-15T10:00:00Z","message":"faasprobe.startup","sandbox_id":"s1","platform":{"function_name":` + string(name) +
		`},"host":{"boot_id":` + string(name) + `,"memory_total_bytes":4000},"sandbox":{"id":"s1"}}` + "\n"
	for i, minute := range []string{"00", "05", "15"} {
		log += `{"timestamp":"2026-01-15T10:` + minute + `:01Z","message":"faasprobe.invocation","sandbox_id":"s1","invocation":{"first":false,"seq":` +
			string(rune('2'+i)) + `},"vm":{"memory_available_bytes":1000,"cpu_ms":1000,"steal_ms":` + []string{"50", "150", "950"}[i] + `}}` + "\n"
	}
	path := filepath.Join(t.TempDir(), "steal.log")
	require.NoError(t, os.WriteFile(path, []byte(log), 0o644))
	code, out, errOut := runFleetT(t, "", "--quiet", path)
	require.Equal(t, 0, code, errOut)
	requireNoControls(t, out)
	assert.Contains(t, out, "VM "+hostileEscaped)
	assert.Contains(t, out, "function "+hostileEscaped)
	assert.Contains(t, out, "  steal   01.9\n", "5%, 15%, no sample in 10:10, 95%")
	assert.Contains(t, out, "  memory  22.2\n", "a quarter of the memory available")

	code, out, errOut = runFleetT(t, "", "--quiet", "--json", path)
	require.Equal(t, 0, code, errOut)
	var got fleet.Result
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Len(t, got.Steal.VMs, 1)
	assert.Equal(t, hostile, got.Steal.VMs[0].BootID)
	require.Len(t, got.Steal.VMs[0].Series, 3)
	assert.InDelta(t, 0.95, got.Steal.VMs[0].Series[2].StealShare, 1e-12)
	assert.Equal(t, 0.25, got.Steal.Functions[0].Series[0].MinHeadroom)
}
