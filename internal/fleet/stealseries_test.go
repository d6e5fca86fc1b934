package fleet

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/internal/vmstat"
)

// point is a StealPoint at at(d).
func point(d time.Duration, samples int64, cpu, steal, headroom float64) StealPoint {
	p := StealPoint{Start: at(d), Samples: samples, CPUMs: cpu, StealMs: steal, MinHeadroom: headroom}
	if cpu > 0 {
		p.StealShare = steal / cpu
	}
	return p
}

// seriesOf returns the series of the VMs and functions by name.
func seriesOf(st StealStats) map[string][]StealPoint {
	out := map[string][]StealPoint{}
	for _, v := range st.VMs {
		out["vm "+v.BootID] = v.Series
	}
	for _, f := range st.Functions {
		out["fn "+f.Name] = f.Series
	}
	return out
}

// TestStealSeries: stealFleet in 30 s bins, worked out by hand:
//
//	10:00:00  b1: s1 300/1000 ms (2 of 4 GiB available), s2's reset (2 GiB)
//	          b2: s3 10/1000 ms (3 GiB)
//	10:00:30  no sample
//	10:01:00  b1: s1 100/1000 ms (1 GiB), s2 0/2000 ms (2 GiB)
//
// s4 has no startup line: no VM, no function, in no series.
func TestStealSeries(t *testing.T) {
	t.Parallel()
	res := analyze(t, stealFleet(), WithBin(30*time.Second))
	require.Len(t, res.Series, 3, "the quiet bin is listed")
	want := map[string][]StealPoint{
		"vm b1": {point(0, 2, 1000, 300, 0.5), point(time.Minute, 2, 3000, 100, 0.25)},
		"vm b2": {point(0, 1, 1000, 10, 0.75)},
		"fn a":  {point(0, 2, 2000, 310, 0.5), point(time.Minute, 1, 1000, 100, 0.25)},
		"fn b":  {point(0, 1, 0, 0, 0.5), point(time.Minute, 1, 2000, 0, 0.5)},
	}
	assert.Equal(t, want, seriesOf(res.Steal))
	requireResultRoundTrip(t, res)

	// Each point's start is a bin of the series.
	var starts []time.Time
	for _, b := range res.Series {
		starts = append(starts, b.Start)
	}
	for name, pts := range seriesOf(res.Steal) {
		for _, p := range pts {
			assert.Contains(t, starts, p.Start, name)
		}
	}

	// Startup lines after the invocation lines (inputs in another order):
	// the same series, as VMs and functions are joined at the end.
	lines := strings.Split(strings.TrimSpace(stealFleet()), "\n")
	slices.SortStableFunc(lines, func(x, y string) int {
		return strings.Compare(x[strings.Index(x, `"message"`):], y[strings.Index(y, `"message"`):])
	})
	require.Contains(t, lines[len(lines)-1], msgStartup)
	reordered := analyze(t, strings.Join(lines, "\n")+"\n", WithBin(30*time.Second))
	assert.Equal(t, want, seriesOf(reordered.Steal))

	// The JSON keys.
	b, err := json.Marshal(res.Steal.VMs[0].Series[0])
	require.NoError(t, err)
	assert.JSONEq(t, `{"start":"2026-01-15T10:00:00Z","samples":2,"cpu_ms":1000,"steal_ms":300,"steal_share":0.3,"min_memory_headroom":0.5}`, string(b))

	var text bytes.Buffer
	require.NoError(t, WriteText(&text, res))
	out := text.String()
	for _, row := range []string{
		"  VM b1       steal   3.0\n",
		"              memory  5.2\n",
		"  VM b2       steal   0..\n",
		"              memory  7..\n",
		"  function a  steal   1.1\n",
		"  function b  steal   ..0\n",
		"              memory  5.5\n",
	} {
		assert.Contains(t, out, row)
	}
	// the Over time table's STEAL column: "-" for the bin without samples
	assert.Contains(t, out, "VMS  STEAL\n")
	assert.Contains(t, out, "4    2  27.0%\n", "the first bin's steal share")
	assert.Contains(t, out, "2    1      -\n", "the quiet bin")
}

// Bins widened while reading: the cells follow, and the series are those
// of the final width read directly — also for lines read after widening,
// and for a sandbox whose cells were made before it.
func TestStealSeriesWidened(t *testing.T) {
	t.Parallel()
	l := newLineLogger()
	const gib = 1 << 30
	var lines []string
	lines = append(lines, withMemory(l.startup(at(0), "a", "b1", "s1"), "4294967296"), withMemory(l.startup(at(0), "b", "b2", "s2"), "4294967296"))
	for i := range 40 {
		d := time.Duration(i*i) * 7 * time.Second
		lines = append(lines,
			l.sampled(at(d), "s1", fmt.Sprint("r", i), uint64(i+1), vmstat.Sample{MemoryAvailableBytes: uint64(1+i%3) * gib, CPUMs: 1000, StealMs: float64(i * 10)}))
		if i%5 == 0 {
			lines = append(lines, l.sampled(at(d+time.Second), "s2", fmt.Sprint("q", i), uint64(i+1), vmstat.Sample{CPUMs: 500, StealMs: 5}))
		}
	}
	in := strings.Join(lines, "\n") + "\n"
	widened := analyze(t, in, WithBin(time.Second), WithMaxBins(4))
	require.Greater(t, widened.Window.BinSeconds, 1.0)
	direct := analyze(t, in, WithBin(time.Duration(widened.Window.BinSeconds*float64(time.Second))), WithMaxBins(4))
	assert.Equal(t, direct.Window.BinSeconds, widened.Window.BinSeconds)
	assert.Equal(t, seriesOf(direct.Steal), seriesOf(widened.Steal))
	// the sample lines in reverse time order: cells inserted before others
	reversed := slices.Clone(lines)
	slices.Reverse(reversed[2:])
	backwards := analyze(t, strings.Join(reversed, "\n")+"\n", WithBin(time.Second), WithMaxBins(4))
	assert.Equal(t, widened.Window.BinSeconds, backwards.Window.BinSeconds)
	assert.Equal(t, seriesOf(direct.Steal), seriesOf(backwards.Steal))
	// and shuffled, read at a width that never widens
	shuffled := slices.Clone(lines)
	for i := 2; i < len(shuffled); i++ {
		j := 2 + (i*7919)%(len(shuffled)-2)
		shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
	}
	wide := WithBin(time.Duration(widened.Window.BinSeconds * float64(time.Second)))
	assert.Equal(t, seriesOf(direct.Steal), seriesOf(analyze(t, strings.Join(shuffled, "\n")+"\n", wide).Steal))
	for _, v := range widened.Steal.VMs {
		var n int64
		var cpu float64
		for _, p := range v.Series {
			n += p.Samples
			cpu += p.CPUMs
		}
		assert.Equal(t, v.Samples, n, "every sample of %s in one bin", v.BootID)
		assert.Equal(t, v.CPUMs, cpu)
	}
}

// Hostile samples never reach a series; a VM whose every sample was
// dropped has none, and nothing is NaN.
func TestStealSeriesHostile(t *testing.T) {
	t.Parallel()
	l := newLineLogger()
	good := l.sampled(at(time.Second), "s1", "r1", 2, vmstat.Sample{CPUMs: 1000, StealMs: 100, MemoryAvailableBytes: 1 << 30})
	lines := []string{withMemory(l.startup(at(0), "a", "b1", "s1"), "4294967296"), good}
	for i, bad := range [][2]string{
		{`"cpu_ms":1000`, `"cpu_ms":-1`},
		{`"cpu_ms":1000`, `"cpu_ms":1e400`},
		{`"cpu_ms":1000`, `"cpu_ms":NaN`},
		{`"steal_ms":100`, `"steal_ms":1001`},
		{`"memory_available_bytes":1073741824`, `"memory_available_bytes":1e300`},
		{`"memory_available_bytes":1073741824`, `"memory_available_bytes":-5`},
	} {
		line := strings.Replace(good, bad[0], bad[1], 1)
		require.NotEqual(t, good, line)
		lines = append(lines, strings.Replace(line, "10:00:01", fmt.Sprintf("10:%02d:01", 10+i), 2))
	}
	res := analyze(t, strings.Join(lines, "\n")+"\n", WithBin(time.Minute))
	requireResultRoundTrip(t, res)
	assert.Equal(t, map[string][]StealPoint{
		"vm b1": {point(0, 1, 1000, 100, 0.25)},
		"fn a":  {point(0, 1, 1000, 100, 0.25)},
	}, seriesOf(res.Steal))
}

// Thousands of VMs and functions: 100 VMs listed, 20 VMs and 20 functions
// with a series, a note, and the output stays small.
func TestStealSeriesCaps(t *testing.T) {
	t.Parallel()
	l := newLineLogger()
	var in strings.Builder
	const vms = 3000
	for i := range vms {
		id, boot, fn := fmt.Sprintf("s%04d", i), fmt.Sprintf("b%04d", i), fmt.Sprintf("fn%02d", i%30)
		in.WriteString(withMemory(l.startup(at(0), fn, boot, id), "4294967296") + "\n")
		for k := range 3 {
			in.WriteString(l.sampled(at(time.Duration(k)*5*time.Minute), id, fmt.Sprint(id, k), uint64(k+1),
				vmstat.Sample{CPUMs: 1000, StealMs: float64(i % 200), MemoryAvailableBytes: 1 << 30}) + "\n")
		}
	}
	res := analyze(t, in.String())
	st := res.Steal
	require.Len(t, st.VMs, maxVMsListed)
	require.Len(t, st.Functions, 30)
	withSeries := 0
	for i, v := range st.VMs {
		if i < maxStealSeries {
			assert.Len(t, v.Series, 3, v.BootID)
			withSeries++
		} else {
			assert.NotNil(t, v.Series)
			assert.Empty(t, v.Series, "VM %d of the list", i)
		}
	}
	assert.Equal(t, maxStealSeries, withSeries)
	fnSeries := 0
	for _, f := range st.Functions {
		if len(f.Series) > 0 {
			fnSeries++
			assert.Len(t, f.Series, 3)
			assert.Equal(t, int64(100), f.Series[0].Samples, "100 sandboxes of %s in the first bin", f.Name)
		}
	}
	assert.Equal(t, maxStealSeries, fnSeries, "all have 300 samples: the first 20 by name")
	assert.NotEmpty(t, st.Functions[0].Series)
	assert.Empty(t, st.Functions[29].Series)
	assert.True(t, slices.ContainsFunc(res.Notes, func(n string) bool { return strings.Contains(n, "over time are given for the 20 VMs") }), res.Notes)
	b, err := json.Marshal(res.Steal)
	require.NoError(t, err)
	assert.Less(t, len(b), 100_000)
}

// Beyond maxStealCells, samples are left out of the series (only) and a
// note says how many.
func TestStealSeriesCellCap(t *testing.T) {
	t.Parallel()
	l := newLineLogger()
	lines := []string{l.startup(at(0), "a", "b1", "s1")}
	for k := range 3 {
		lines = append(lines, l.sampled(at(time.Duration(k)*10*time.Minute), "s1", fmt.Sprint("r", k), uint64(k+1), vmstat.Sample{CPUMs: 1000, StealMs: 100}))
	}
	in := strings.Join(lines, "\n") + "\n"
	a := New()
	a.cellCount = maxStealCells - 1 // as if a million cells were kept
	require.NoError(t, a.Read("test", strings.NewReader(in), int64(len(in))))
	res := a.Result()
	assert.Equal(t, int64(3), res.Steal.VMs[0].Samples, "the totals count every sample")
	assert.Equal(t, []StealPoint{point(0, 1, 1000, 100, -1)}, res.Steal.VMs[0].Series)
	assert.True(t, slices.ContainsFunc(res.Notes, func(n string) bool { return strings.HasPrefix(n, "2 vm samples are left out") }), res.Notes)
}

func TestSeriesRow(t *testing.T) {
	t.Parallel()
	bins := []Bin{{Start: at(0)}, {Start: at(time.Minute)}, {Start: at(2 * time.Minute)}, {Start: at(3 * time.Minute)}}
	pts := []StealPoint{
		{Start: at(-time.Minute), MinHeadroom: 0.5}, // before the bins shown
		{Start: at(0), MinHeadroom: 0.099},
		{Start: at(2 * time.Minute), MinHeadroom: 1},
		{Start: at(3 * time.Minute), MinHeadroom: -1},
	}
	assert.Equal(t, "0.9.", seriesRow(bins, pts, func(p StealPoint) float64 { return p.MinHeadroom }))
	assert.Equal(t, "....", seriesRow(bins, nil, func(p StealPoint) float64 { return 0 }))
}

// Lines out of time order (inputs read in any order, or made to be slow):
// a sandbox's cells stay within twice its bins, and the series are those
// of the lines in order.
func TestStealSeriesOutOfOrder(t *testing.T) {
	t.Parallel()
	l := newLineLogger()
	head := withMemory(l.startup(at(0), "a", "b1", "s1"), "4294967296")
	var samples []string
	const bins = 3000
	for k := range bins {
		samples = append(samples, l.sampled(at(time.Duration(k)*time.Minute), "s1", fmt.Sprint("r", k), uint64(k+2),
			vmstat.Sample{CPUMs: 1000, StealMs: float64(k % 7), MemoryAvailableBytes: uint64(1+k%4) << 30}))
	}
	inOrder := analyze(t, head+"\n"+strings.Join(samples, "\n")+"\n", WithBin(time.Minute))
	require.Len(t, inOrder.Steal.VMs[0].Series, bins)
	for _, tt := range []struct {
		name  string
		order func(i int) int // the sample read i-th
	}{
		{"backwards", func(i int) int { return bins - 1 - i }},
		{"interleaved from both ends", func(i int) int {
			if i%2 == 0 {
				return i / 2
			}
			return bins - 1 - i/2
		}},
		{"each bin twice, apart", func(i int) int { return (i * 2) % bins }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			lines := []string{head}
			seen := map[int]int{}
			for i := range bins {
				k := tt.order(i)
				seen[k]++
				lines = append(lines, samples[k])
			}
			in := strings.Join(lines, "\n") + "\n"
			a := New(WithBin(time.Minute))
			require.NoError(t, a.Read("test", strings.NewReader(in), int64(len(in))))
			require.Len(t, a.cells, 1)
			assert.LessOrEqual(t, len(a.cells[0].cells), 2*len(seen)+8)
			assert.Equal(t, len(a.cells[0].cells), a.cellCount)
			res := a.Result()
			want := map[string][]StealPoint{}
			if len(seen) == bins {
				want = seriesOf(inOrder.Steal)
			} else { // the samples read, in order
				var kept []string
				for k := range bins {
					for range seen[k] {
						kept = append(kept, samples[k])
					}
				}
				want = seriesOf(analyze(t, head+"\n"+strings.Join(kept, "\n")+"\n", WithBin(time.Minute)).Steal)
			}
			assert.Equal(t, want, seriesOf(res.Steal))
		})
	}
}
