package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/internal/fleet"
)

// helloLog holds lines of examples/hello run under the emulator (three
// sandboxes on one VM; see its PROVENANCE.md).
const helloLog = "../../internal/fleet/testdata/hello-rie.log"

func runFleetT(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = runFleet(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// direct is what the analysis itself says about a file.
func direct(t *testing.T, path string) *fleet.Result {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	a := fleet.New()
	require.NoError(t, a.Read(path, f, 0))
	return a.Result()
}

func TestFleetUsage(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		code, out, _ := runFleetT(t, "", args...)
		assert.Equal(t, 0, code)
		assert.Contains(t, out, "faasprobe fleet [flags] [FILE...]")
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"--nope"}, "flag provided but not defined"},
		{"bin too small", []string{"--bin", "10ms"}, "--bin 10ms: want at least 1s"},
		{"bad bin", []string{"--bin", "soon"}, "invalid value"},
		{"no rows", []string{"--rows", "0"}, "--rows 0"},
		{"no sandboxes", []string{"--max-sandboxes", "0"}, "--max-sandboxes 0"},
		{"steal threshold over 1", []string{"--steal-threshold", "1.5"}, "--steal-threshold 1.5"},
		{"colour by nothing", []string{"--colour-by", "mood"}, `--colour-by "mood"`},
		{"steal threshold NaN", []string{"--steal-threshold", "NaN"}, "--steal-threshold NaN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, out, errs := runFleetT(t, "", tt.args...)
			assert.Equal(t, 2, code)
			assert.Empty(t, out)
			assert.Contains(t, errs, tt.want)
			assert.Contains(t, errs, "Usage:")
		})
	}
}

func TestFleetText(t *testing.T) {
	t.Parallel()
	want := direct(t, helloLog)
	code, out, errs := runFleetT(t, "", helloLog)
	require.Equal(t, 0, code, errs)
	assert.Empty(t, errs, "no progress for a short input on a non-terminal")
	var b bytes.Buffer
	require.NoError(t, fleet.WriteText(&b, want))
	assert.Equal(t, b.String(), out)
	assert.Contains(t, out, "Sandboxes  3")
}

func TestFleetJSON(t *testing.T) {
	t.Parallel()
	want := direct(t, helloLog)
	// flags after the file
	code, out, errs := runFleetT(t, "", helloLog, "--json", "--bin", "1m")
	require.Equal(t, 0, code, errs)
	var got fleet.Result
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, want.Totals, got.Totals)
	assert.Equal(t, want.Cold, got.Cold)
	assert.Equal(t, 60.0, got.Window.BinSeconds)
	require.Len(t, got.Inputs, 1)
	assert.Equal(t, helloLog, got.Inputs[0].Name)

	// the file given twice: duplicates are flagged, counts double
	code, out, _ = runFleetT(t, "", "--json", helloLog, helloLog)
	require.Equal(t, 0, code)
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, want.Totals.Sandboxes, got.Totals.DuplicateStartups)
	assert.Equal(t, 2*want.Cold.Invocations, got.Cold.Invocations)
}

func TestFleetStdin(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(helloLog)
	require.NoError(t, err)
	want := direct(t, helloLog)
	for _, args := range [][]string{{"--json"}, {"--json", "-"}} {
		code, out, errs := runFleetT(t, string(b), args...)
		require.Equal(t, 0, code, errs)
		var got fleet.Result
		require.NoError(t, json.Unmarshal([]byte(out), &got))
		assert.Equal(t, want.Totals, got.Totals)
		assert.Equal(t, "stdin", got.Inputs[0].Name)
	}
}

func TestFleetEmptyInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	svg := filepath.Join(dir, "empty.svg")
	code, out, errs := runFleetT(t, "", "--svg", svg)
	require.Equal(t, 0, code, errs)
	assert.Contains(t, out, "Sandboxes  0")
	b, err := os.ReadFile(svg)
	require.NoError(t, err)
	assert.NoError(t, xmlValid(b))
}

func xmlValid(b []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func TestFleetPictures(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	svg, pngPath, html := filepath.Join(dir, "t.svg"), filepath.Join(dir, "t.png"), filepath.Join(dir, "t.html")
	code, _, errs := runFleetT(t, "", "--quiet", "--svg", svg, "--png", pngPath, "--html", html, "--title", "three sandboxes", helloLog)
	require.Equal(t, 0, code, errs)

	b, err := os.ReadFile(svg)
	require.NoError(t, err)
	require.NoError(t, xmlValid(b))
	assert.Contains(t, string(b), "three sandboxes")
	for _, id := range []string{"0f4b2c7e", "7a1d3e5f"} { // the two sandboxes named by their log streams
		assert.Contains(t, string(b), ">"+id+"</text>")
	}

	f, err := os.Open(pngPath)
	require.NoError(t, err)
	defer f.Close()
	_, err = png.Decode(f)
	assert.NoError(t, err)

	b, err = os.ReadFile(html)
	require.NoError(t, err)
	assert.Contains(t, string(b), "<svg")
	assert.Contains(t, string(b), "three sandboxes")

	// default title: the inputs and the headline figures
	code, _, _ = runFleetT(t, "", "--svg", svg, helloLog)
	require.Equal(t, 0, code)
	b, err = os.ReadFile(svg)
	require.NoError(t, err)
	assert.Contains(t, string(b), "3 sandboxes on 1 VMs, 8 invocations, 37.5% cold")
}

func TestFleetErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	// a missing input: the others are still reported, exit 1
	code, out, errs := runFleetT(t, "", filepath.Join(dir, "missing.log"), helloLog)
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "missing.log")
	assert.Contains(t, out, "Sandboxes  3")

	code, _, errs = runFleetT(t, "", dir)
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "is a directory")

	code, _, errs = runFleetT(t, "", "--svg", filepath.Join(dir, "no", "such", "dir.svg"), helloLog)
	assert.Equal(t, 1, code)
	assert.Contains(t, errs, "dir.svg")
}

func TestProgressLines(t *testing.T) {
	t.Parallel()
	pr := fleet.Progress{Input: "big.log", Bytes: 50, Size: 100, Lines: 1234567}
	assert.Equal(t, "[############------------]  50% big.log 1234567 lines, 617k lines/s", progressLine(pr, 2*time.Second, true))
	assert.Equal(t, " 50% big.log 1234567 lines, 617k lines/s", progressLine(pr, 2*time.Second, false))
	assert.Equal(t, "stdin 10 lines", progressLine(fleet.Progress{Input: "stdin", Lines: 10}, 0, true))

	// elsewhere than a terminal: a plain line every 5 s (stdin: no size)
	pr = fleet.Progress{Input: "big.log", Lines: 1234567}
	var b bytes.Buffer
	now := time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC)
	p := &progress{w: &b, now: func() time.Time { return now }, start: now, last: now}
	p.update(pr)
	assert.Empty(t, b.String())
	now = now.Add(6 * time.Second)
	p.update(pr)
	assert.Equal(t, "faasprobe fleet: big.log 1234567 lines, 206k lines/s\n", b.String())
	p.clear()
	assert.Equal(t, "faasprobe fleet: big.log 1234567 lines, 206k lines/s\n", b.String(), "nothing to clear")

	// on a terminal: a bar redrawn in place, cleared at the end
	b.Reset()
	p = &progress{w: &b, terminal: true, now: func() time.Time { return now }, start: now.Add(-time.Second)}
	p.update(fleet.Progress{Input: "x", Bytes: 1, Size: 4, Lines: 5})
	assert.True(t, strings.HasPrefix(b.String(), "\r[######------------------]  25% x 5 lines"))
	p.clear()
	assert.True(t, strings.HasSuffix(b.String(), "\r\x1b[K"))
	var nilp *progress
	nilp.clear() // --quiet: no progress at all
}

// TestProgressTerminalDetection: a file is not a terminal.
func TestProgressTerminalDetection(t *testing.T) {
	t.Parallel()
	f, err := os.Create(filepath.Join(t.TempDir(), "stderr"))
	require.NoError(t, err)
	defer f.Close()
	assert.False(t, newProgress(f).terminal)
	assert.False(t, newProgress(&bytes.Buffer{}).terminal)
}
