package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseInitTrace(t *testing.T) {
	in := `init internal/bytealg @0 ms, 0 ms clock, 0 bytes, 0 allocs
some program output
init github.com/prometheus/procfs @0.51 ms, 0.15 ms clock, 61064 bytes, 889 allocs
init github.com/faasprobe/faasprobe/hostinfo @1.2 ms, 0.002 ms clock, 48 bytes, 1 allocs
`
	got, err := ParseInitTrace(strings.NewReader(in))
	require.NoError(t, err)
	assert.Equal(t, []Init{
		{Package: "internal/bytealg"},
		{Package: "github.com/prometheus/procfs", ClockMs: 0.15, Bytes: 61064, Allocs: 889},
		{Package: "github.com/faasprobe/faasprobe/hostinfo", ClockMs: 0.002, Bytes: 48, Allocs: 1},
	}, got)

	_, err = ParseInitTrace(strings.NewReader("init x @1 ms, abc ms clock, 0 bytes, 0 allocs\n"))
	assert.ErrorContains(t, err, "inittrace")
}

func TestMedians(t *testing.T) {
	runs := [][]Init{
		{{Package: "a", ClockMs: 1, Allocs: 10}, {Package: "b", ClockMs: 5}},
		{{Package: "a", ClockMs: 3, Allocs: 30}},
		{{Package: "a", ClockMs: 2, Allocs: 20}, {Package: "b", ClockMs: 7}},
	}
	pkgs, clock, _, allocs := medians(runs)
	assert.Equal(t, []Init{{Package: "a", ClockMs: 2, Allocs: 20}, {Package: "b", ClockMs: 5}}, pkgs)
	assert.Equal(t, 6.0, clock) // per-run totals 6, 3, 9
	assert.Equal(t, int64(20), allocs)
}
