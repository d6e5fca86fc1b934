package fleet

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/coldstart"
)

// smallFleet is a fleet small enough to work out by hand:
//
//	VM b1: s1 (fn "a") init 10:00, cold at +2 ms, warm at 10:10 and 10:20
//	       s2 (fn "a") init 10:05, proactive first invocation 30 s later, warm at 10:25
//	VM b2: s3 (fn "b") init 11:00, cold, one invocation
//	       s4 started before the input: invocations seq 5 and 6 at 10:30, 10:31
//	plus a repeated startup line of s1.
func smallFleet() string {
	l := newLineLogger()
	lines := []string{
		l.startup(at(0), "a", "b1", "s1"),
		l.invocation(at(2*time.Millisecond), "s1", "r1", 1, coldstart.ReasonOnDemand, 2),
		l.invocation(at(10*time.Minute), "s1", "r2", 2, coldstart.ReasonWarm, 600000),
		l.invocation(at(20*time.Minute), "s1", "r3", 3, coldstart.ReasonWarm, 1200000),
		l.startup(at(5*time.Minute), "a", "b1", "s2"),
		l.invocation(at(5*time.Minute+30*time.Second), "s2", "r4", 1, coldstart.ReasonProactiveInit, 30000),
		l.invocation(at(25*time.Minute), "s2", "r5", 2, coldstart.ReasonWarm, 1200000),
		l.startup(at(time.Hour), "b", "b2", "s3"),
		l.invocation(at(time.Hour+time.Millisecond), "s3", "r6", 1, coldstart.ReasonOnDemand, 1),
		l.invocation(at(30*time.Minute), "s4", "r7", 5, coldstart.ReasonWarm, 1),
		l.invocation(at(31*time.Minute), "s4", "r8", 6, coldstart.ReasonWarm, 1),
		l.startup(at(0), "a", "b1", "s1"),
	}
	return strings.Join(lines, "\n") + "\n"
}

func TestSmallFleet(t *testing.T) {
	t.Parallel()
	res := analyze(t, smallFleet())

	assert.Equal(t, Totals{Sandboxes: 4, WithStartup: 3, VMs: 2, WithoutVM: 1, Functions: 2, DuplicateStartups: 1}, res.Totals)
	c := res.Cold
	assert.Equal(t, int64(8), c.Invocations)
	assert.Equal(t, int64(2), c.Cold)
	assert.InDelta(t, 2.0/8, c.ColdRate, 1e-12)
	assert.Equal(t, int64(3), c.FirstInvocations)
	assert.Equal(t, map[string]int64{"on-demand": 2, "proactive-init": 1}, c.FirstReasons)
	assert.Equal(t, int64(1), c.ProactiveInit)
	assert.InDelta(t, 1.0/3, c.ProactiveShare, 1e-12)
	assert.Equal(t, int64(4), c.MissingInvocations, "s4: seq 6 seen, 2 lines")
	assert.Equal(t, Dist{N: 3, Min: 1, P50: 2, P90: 30000, P99: 30000, Max: 30000, Mean: 30003.0 / 3}, c.FirstGapMs)

	// lifetimes (s): s1 1200, s2 1200, s3 0.001, s4 60
	assert.Equal(t, Dist{N: 4, Min: 0.001, P50: 60, P90: 1200, P99: 1200, Max: 1200, Mean: (2400 + 60.001) / 4}, res.Lifetime)
	assert.Equal(t, Dist{N: 4, Min: 1, P50: 2, P90: 3, P99: 3, Max: 3, Mean: 2}, res.InvocationsPerSandbox)

	h := res.Hosts
	assert.Equal(t, Dist{N: 2, Min: 1, P50: 1, P90: 2, P99: 2, Max: 2, Mean: 1.5}, h.SandboxesPerVM)
	assert.Equal(t, Dist{N: 2, Min: 1, P50: 1, P90: 2, P99: 2, Max: 2, Mean: 1.5}, h.ConcurrentPerVM)
	assert.Equal(t, 1, h.VMsShared)
	assert.Equal(t, 1, h.VMsConcurrent)
	assert.Equal(t, []Count{{"1", 3}}, h.CoTenantEstimates)

	require.Len(t, res.Functions, 2)
	fa, fb := res.Functions[0], res.Functions[1]
	assert.Equal(t, FunctionStats{Name: "a", Region: "us-east-1", MemoryMB: []int{128}, Sandboxes: 2, VMs: 1,
		Invocations: 5, Cold: 1, ColdRate: 0.2, FirstInvocations: 2, ProactiveInit: 1, MaxVMsInBin: 1, Subnets: []SubnetStats{}}, fa)
	assert.Equal(t, "b", fb.Name)
	assert.Equal(t, 1, fb.Sandboxes)

	require.Len(t, res.CPUs, 1)
	assert.Equal(t, 2, res.CPUs[0].VMs)
	assert.Equal(t, 3, res.CPUs[0].Sandboxes)
	assert.Equal(t, []Count{{"m5,r5", 2}}, res.InstanceFamilies)

	// Series: 5-minute bins from 10:00 to 11:00, every one listed.
	require.Len(t, res.Series, 13)
	assert.Equal(t, at(0), res.Series[0].Start)
	assert.Equal(t, at(time.Hour), res.Series[12].Start)
	var inv, cold, startups int64
	for _, b := range res.Series {
		inv += b.Invocations
		cold += b.Cold
		startups += b.Startups
	}
	assert.Equal(t, c.Invocations, inv)
	assert.Equal(t, c.Cold, cold)
	assert.Equal(t, int64(4), startups, "the repeated startup line counts in its bin")
	b0 := res.Series[0]
	assert.Equal(t, Bin{Start: at(0), Invocations: 1, Cold: 1, ColdRate: 1, FirstInvocations: 1, Startups: 2,
		ActiveSandboxes: 1, ActiveVMs: 1, VMsByFunction: map[string]int{"a": 1, "b": 0}}, b0)
	b5 := res.Series[5] // 10:25–10:30: s2's last invocation; s4 starts at 10:30
	assert.Equal(t, 1, b5.ActiveSandboxes)
	b6 := res.Series[6] // 10:30: s4 only (no VM)
	assert.Equal(t, 1, b6.ActiveSandboxes)
	assert.Equal(t, 0, b6.ActiveVMs)
	b12 := res.Series[12]
	assert.Equal(t, map[string]int{"a": 0, "b": 1}, b12.VMsByFunction)

	assert.Equal(t, at(0), res.Window.First)
	assert.Equal(t, at(time.Hour+time.Millisecond), res.Window.Last)
	assert.Empty(t, res.Notes)
}

func TestRows(t *testing.T) {
	t.Parallel()
	a := New()
	require.NoError(t, a.Read("x", strings.NewReader(smallFleet()), 0))
	rows, omitted := a.Rows(100)
	require.Len(t, rows, 4)
	assert.Zero(t, omitted)
	var order []string
	for _, r := range rows {
		order = append(order, r.Sandbox+"@"+r.VM)
	}
	assert.Equal(t, []string{"s1@b1", "s2@b1", "s3@b2", "s4@"}, order, "by VM first seen, then first seen; unknown VM last")
	assert.True(t, rows[0].Cold)
	assert.Equal(t, at(0), rows[0].Startup)
	assert.Equal(t, at(2*time.Millisecond), rows[0].FirstInvocation)
	assert.False(t, rows[1].Cold)
	assert.Equal(t, "proactive-init", rows[1].Reason)
	assert.True(t, rows[3].FirstInvocation.IsZero())
	assert.Equal(t, "", rows[3].Function)

	rows, omitted = a.Rows(2)
	assert.Len(t, rows, 2)
	assert.Equal(t, 2, omitted)
}

func TestReportAttribution(t *testing.T) {
	t.Parallel()
	l := newLineLogger()
	const guid = "0123456789abcdef0123456789abcdef"
	report := func(req string, init bool) string {
		s := "REPORT RequestId: " + req + "\tDuration: 3.00 ms\tBilled Duration: 3 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\t"
		if init {
			s += "Init Duration: 150.50 ms\t"
		}
		return s
	}
	lines := []string{
		report("r1", true), // before its invocation line: kept pending, then tied
		l.startup(at(0), "a", "b1", "s1"),
		l.invocation(at(time.Millisecond), "s1", "r1", 1, coldstart.ReasonOnDemand, 1),
		l.invocation(at(time.Minute), "s1", "r2", 2, coldstart.ReasonWarm, 1),
		report("r2", false), // no stream, no init: not tied
		report("r9", true),  // nobody's
		// with a log stream: tied by the stream's GUID, and its time counts
		l.startup(at(0), "a", "b1", guid),
		"2026-01-15T10:05:00.000000+00:00 2026/01/15/[$LATEST]" + guid + " " + report("r3", false),
	}
	res := analyze(t, strings.Join(lines, "\n"))
	r := res.Reports
	assert.Equal(t, int64(4), r.Count)
	assert.Equal(t, int64(2), r.WithInit)
	assert.Equal(t, 0.5, r.ColdRate)
	assert.Equal(t, int64(2), r.Attributed)
	assert.Equal(t, 1, r.SandboxesWithInit)
	assert.Equal(t, 150.5, r.SandboxInitMs.Max)
	assert.Equal(t, Dist{N: 2, Min: 150.5, P50: 150.5, P90: 150.5, P99: 150.5, Max: 150.5, Mean: 150.5}, r.InitMs)
	assert.Equal(t, 40, r.MaxMemoryUsedMB)
	assert.Equal(t, []int{128}, r.MemorySizesMB)
	require.Len(t, res.Notes, 1)
	assert.Contains(t, res.Notes[0], "1 REPORT lines with an Init Duration matched no sandbox")
	assert.Equal(t, 300.0, res.Lifetime.Max, "the REPORT at 10:05 extends the stream's sandbox")
}

func TestMaxSandboxes(t *testing.T) {
	t.Parallel()
	res := analyze(t, smallFleet(), WithMaxSandboxes(2))
	assert.Equal(t, 2, res.Totals.Sandboxes)
	assert.Positive(t, res.Totals.SandboxesCapped)
	assert.Equal(t, int64(8), res.Cold.Invocations, "totals still count every line")
	assert.Equal(t, int64(2), res.Cold.Cold)
	require.NotEmpty(t, res.Notes)
	assert.Contains(t, res.Notes[len(res.Notes)-1], "more than 2 sandboxes")
}

func TestBinsWiden(t *testing.T) {
	t.Parallel()
	res := analyze(t, smallFleet(), WithBin(time.Minute), WithMaxBins(4))
	assert.Greater(t, res.Window.BinSeconds, 60.0)
	var inv int64
	for _, b := range res.Series {
		inv += b.Invocations
	}
	assert.Equal(t, res.Cold.Invocations, inv)
	require.NotEmpty(t, res.Notes)
	assert.Contains(t, res.Notes[0], "widened")
}

// TestOrderIndependent: the result does not depend on the order of the
// lines (REPORTs without a stream are tied by request id either way).
func TestOrderIndependent(t *testing.T) {
	t.Parallel()
	lines := strings.Split(strings.TrimSpace(smallFleet()), "\n")
	lines = append(lines, fixtureLines(t)...)
	want := analyze(t, strings.Join(lines, "\n"))
	for i := range lines {
		j := len(lines) - 1 - i
		if i >= j {
			break
		}
		lines[i], lines[j] = lines[j], lines[i]
	}
	got := analyze(t, strings.Join(lines, "\n"))
	want.Inputs, got.Inputs = nil, nil
	assert.Equal(t, want, got)
}

func TestResultTwice(t *testing.T) {
	t.Parallel()
	a := New(WithMaxSandboxes(1))
	require.NoError(t, a.Read("x", strings.NewReader(smallFleet()), 0))
	assert.Equal(t, a.Result(), a.Result())
}

func TestSeveralInputs(t *testing.T) {
	t.Parallel()
	a := New()
	fleet := smallFleet()
	lines := strings.SplitAfter(fleet, "\n")
	require.NoError(t, a.Read("one", strings.NewReader(strings.Join(lines[:5], "")), 0))
	require.NoError(t, a.Read("two", strings.NewReader(strings.Join(lines[5:], "")), 0))
	got := a.Result()
	want := analyze(t, fleet)
	require.Len(t, got.Inputs, 2)
	assert.Equal(t, "two", got.Inputs[1].Name)
	got.Inputs, want.Inputs = nil, nil
	assert.Equal(t, want, got)
}

func TestWriteText(t *testing.T) {
	t.Parallel()
	res := analyze(t, smallFleet())
	var b bytes.Buffer
	require.NoError(t, WriteText(&b, res))
	out := strings.Join(strings.Fields(b.String()), " ") // alignment aside
	for _, want := range []string{
		"Sandboxes 4 (3 with a startup line, 1 started before the input, 0 never invoked)",
		"cold 2 (25.0% of invocations)",
		"first invocations 3 (on-demand 2, proactive-init 1)",
		"proactive init 1 (33.3% of on-demand sandboxes' first invocations)",
		"missing 4",
		"Sandbox lifetime p50 1m0s p90 20m0s max 20m0s (n=4)",
		"Duplicates",
		"Over time (5m0s bins)",
		"2026-01-15 10:00",
	} {
		assert.Contains(t, out, want)
	}
	// the series is cut for people, not in JSON
	l := newLineLogger()
	var many []string
	for i := range MaxTextBins + 5 {
		many = append(many, l.invocation(at(time.Duration(i)*time.Hour), fmt.Sprint("s", i), "r", 2, coldstart.ReasonWarm, 1))
	}
	res = analyze(t, strings.Join(many, "\n"), WithBin(time.Hour))
	b.Reset()
	require.NoError(t, WriteText(&b, res))
	assert.Contains(t, b.String(), "… 5 more bins")
	assert.Len(t, res.Series, MaxTextBins+5)

	// bins shorter than a minute start at seconds: two rows, two starts
	half := []string{
		l.invocation(at(0), "s", "r1", 2, coldstart.ReasonWarm, 1),
		l.invocation(at(30*time.Second), "s", "r2", 3, coldstart.ReasonWarm, 1),
	}
	res = analyze(t, strings.Join(half, "\n"), WithBin(30*time.Second))
	b.Reset()
	require.NoError(t, WriteText(&b, res))
	require.Len(t, res.Series, 2)
	for _, bin := range res.Series {
		row := `(?m)^\s*` + regexp.QuoteMeta(bin.Start.Format("2006-01-02 15:04:05")) + `\s+1\s` // START, then 1 invocation
		assert.Regexp(t, row, b.String())
	}
}

func TestFormatHelpers(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "1,234,567", group(1234567))
	assert.Equal(t, "-1,000", group(-1000))
	assert.Equal(t, "999", group(999))
	assert.Equal(t, "950ms", fmtSeconds(0.95))
	assert.Equal(t, "12.5s", fmtSeconds(12.5))
	assert.Equal(t, "12m5s", fmtSeconds(725))
	assert.Equal(t, "7h58m", fmtSeconds(7*3600+58*60+10))
	assert.Equal(t, "1.5 MiB", sizeOf(3<<19))
}

func TestReservoir(t *testing.T) {
	t.Parallel()
	r := newReservoir(100)
	for i := 1; i <= 10000; i++ {
		r.add(float64(i))
	}
	d := r.dist()
	assert.Equal(t, int64(10000), d.N)
	assert.Equal(t, 1.0, d.Min)
	assert.Equal(t, 10000.0, d.Max)
	assert.Equal(t, 5000.5, d.Mean)
	assert.True(t, d.Sampled)
	assert.InDelta(t, 5000, d.P50, 1500, "a uniform sample's median is near the true one")
	small := newReservoir(100)
	for _, v := range []float64{3, 1, 2} {
		small.add(v)
	}
	assert.Equal(t, Dist{N: 3, Min: 1, P50: 2, P90: 3, P99: 3, Max: 3, Mean: 2}, small.dist())
}
