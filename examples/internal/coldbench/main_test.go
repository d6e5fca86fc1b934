package main

import (
	"context"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/internal/rietest"
)

// TestRun runs a tiny benchmark end to end: two cold starts each, and the
// size comparison for this machine's architecture.
func TestRun(t *testing.T) {
	t.Parallel()
	rietest.Require(t)
	// Fill the build cache first: the deadline bounds the benchmark, not a
	// cold compile of its two packages.
	for _, pkg := range []string{helloPkg, barePkg} {
		_, err := rietest.BuildBootstrap(context.Background(), rietest.BuildConfig{Package: pkg, Dir: t.TempDir(), LDFlags: "-s -w"})
		require.NoError(t, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := run(ctx, options{
		pkg: helloPkg, baseline: barePkg, n: 2, warmup: 0, ldflags: "-s -w",
		archs: []string{runtime.GOARCH}, perStart: 30 * time.Second,
	}, io.Discard)
	require.NoError(t, err)
	for _, s := range []series{res.Hello, res.Bare} {
		assert.Equal(t, 2, s.Init.N)
		assert.Positive(t, s.Init.Min)
		assert.GreaterOrEqual(t, s.RoundTrip.Min, s.Init.Min, "the first round trip includes the init")
		assert.Len(t, s.Samples, 2)
	}
	assert.Equal(t, 2, res.Hello.Detect.N, "hello logs detect_ms")
	assert.Zero(t, res.Bare.Detect.N, "bare has no startup line")
	assert.Equal(t, res.Hello.Init.Median-res.Bare.Init.Median, res.MedianDiff)
	require.Len(t, res.Sizes, 1)
	sz := res.Sizes[0]
	assert.Positive(t, sz.Bare)
	assert.Equal(t, sz.Hello-sz.Bare, sz.Diff)
	assert.Equal(t, sz.Diff > sizeBudget, sz.Over)

	var out strings.Builder
	printResult(&out, res, options{})
	assert.Contains(t, out.String(), "hello init (RIE INIT REPORT)")
	assert.Contains(t, out.String(), "Binary size")
}

func TestDetectTime(t *testing.T) {
	t.Parallel()
	line := func(s string) rietest.Line { return rietest.Line{Stream: rietest.Stdout, Text: s} }
	tests := []struct {
		name  string
		lines []rietest.Line
		want  time.Duration
	}{
		{"none", []rietest.Line{line("START RequestId: x")}, -1},
		{"startup line", []rietest.Line{line(`{"message":"faasprobe.startup","detect_ms":1.25}`)}, 1250 * time.Microsecond},
		{"no detect_ms", []rietest.Line{line(`{"message":"faasprobe.startup"}`)}, -1},
		{"negative", []rietest.Line{line(`{"message":"faasprobe.startup","detect_ms":-1}`)}, -1},
		{"not JSON", []rietest.Line{line(`xx "message":"faasprobe.startup"`)}, -1},
		{"stderr ignored", []rietest.Line{{Stream: rietest.Stderr, Text: `{"message":"faasprobe.startup","detect_ms":1}`}}, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, detectTime(tt.lines))
		})
	}
}

func TestSplitComma(t *testing.T) {
	t.Parallel()
	assert.Equal(t, []string{"amd64", "arm64"}, splitComma("amd64,arm64"))
	assert.Equal(t, []string{"amd64"}, splitComma(",amd64,"))
	assert.Empty(t, splitComma(""))
}
