package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Two rounds of one package, as .ci/perf appends them.
const twoRounds = `goos: linux
goarch: amd64
pkg: github.com/faasprobe/faasprobe/hostinfo
cpu: AMD EPYC
BenchmarkDetect-2        	    4000	    300000 ns/op	   59770 B/op	     235 allocs/op
BenchmarkRawReadFiles-2  	    4000	    200000 ns/op	   48557 B/op	     105 allocs/op
BenchmarkRecognize/1KB-2 	 1000000	       100 ns/op	10240.00 MB/s
PASS
goos: linux
goarch: amd64
pkg: github.com/faasprobe/faasprobe/hostinfo
cpu: AMD EPYC
BenchmarkDetect-2        	    4000	    900000 ns/op	   59770 B/op	     235 allocs/op
BenchmarkRawReadFiles-2  	    4000	    300000 ns/op	   48557 B/op	     105 allocs/op
BenchmarkDetect
    bench_test.go:12: a log line
PASS
`

func TestParseBenchRoundsAndRatios(t *testing.T) {
	bs, err := parseBench(strings.NewReader(twoRounds))
	require.NoError(t, err)
	require.Len(t, bs.results, 5)
	pkg := "github.com/faasprobe/faasprobe/hostinfo"
	assert.Equal(t, "AMD EPYC", bs.cpu)
	assert.Equal(t, []string{"Detect", "RawReadFiles", "Recognize/1KB"}, bs.names(pkg))
	assert.Equal(t, map[int]float64{0: 300000, 1: 900000}, bs.values(pkg, "Detect", "ns/op"))
	r := bs.paired(pkg, "Detect", "RawReadFiles", "ns/op", ratio)
	assert.Equal(t, 2, r.n)
	assert.InDelta(t, 1.5, r.min, 1e-9) // round 0: 300/200
	assert.InDelta(t, 3.0, r.max, 1e-9) // round 1: 900/300
	assert.InDelta(t, 2.25, r.median, 1e-9)
	assert.Equal(t, 1, r.meeting(atMost(1.5)))
	assert.Equal(t, "**FAIL** (1 of 2 rounds meet it)", verdict(r, atMost(1.5)))
	assert.Equal(t, []string{"ns/op", "MB/s"}, bs.units(pkg, "Recognize/1KB"))
}
