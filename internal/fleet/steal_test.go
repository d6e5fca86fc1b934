package fleet

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/coldstart"
	"github.com/faasprobe/faasprobe/internal/logline"
	"github.com/faasprobe/faasprobe/internal/vmstat"
)

// sampled is an invocation line with a VM sample, as the library writes it.
func (l *lineLogger) sampled(t time.Time, id, req string, seq uint64, v vmstat.Sample) string {
	reason := coldstart.ReasonWarm
	if seq == 1 {
		reason = coldstart.ReasonOnDemand
	}
	inv := coldstart.Invocation{First: seq == 1, Cold: seq == 1, Reason: reason, Seq: seq, Time: t, RequestID: req}
	return l.line(t, msgInvocation, append(logline.InvocationAttrs(nil, req, id, inv), logline.VM(v))...)
}

// withMemory sets a startup line's host.memory_total_bytes.
func withMemory(line, bytes string) string {
	return strings.Replace(line, `"memory_total_bytes":0`, `"memory_total_bytes":`+bytes, 1)
}

// stealFleet, worked out by hand:
//
//	VM b1 (4 GiB): s1 (fn a) steal 300 of 1000 ms, then 100 of 1000; min available 1 GiB
//	               s2 (fn b) steal 0 of 2000 ms; its first sample a reset (left out)
//	VM b2 (4 GiB): s3 (fn a) steal 10 of 1000 ms; min available 3 GiB
//	s4: no startup line (VM unknown), steal 500 of 1000 ms
//
// b1: 400 / 4000 = 10%: contended at the default threshold (10%); b2: 1%.
func stealFleet() string {
	l := newLineLogger()
	const gib = 1 << 30
	lines := []string{
		withMemory(l.startup(at(0), "a", "b1", "s1"), "4294967296"),
		l.sampled(at(time.Second), "s1", "r1", 1, vmstat.Sample{MemoryAvailableBytes: 2 * gib, CPUMs: 1000, StealMs: 300, StealShare: 0.3}),
		l.sampled(at(time.Minute), "s1", "r2", 2, vmstat.Sample{MemoryAvailableBytes: 1 * gib, CPUMs: 1000, StealMs: 100, StealShare: 0.1}),
		withMemory(l.startup(at(0), "b", "b1", "s2"), "4294967296"),
		l.sampled(at(2*time.Second), "s2", "r3", 1, vmstat.Sample{MemoryAvailableBytes: 2 * gib, Reset: vmstat.ResetBoot}),
		l.sampled(at(time.Minute), "s2", "r4", 2, vmstat.Sample{MemoryAvailableBytes: 2 * gib, CPUMs: 2000}),
		withMemory(l.startup(at(0), "a", "b2", "s3"), "4294967296"),
		l.sampled(at(time.Second), "s3", "r5", 1, vmstat.Sample{MemoryAvailableBytes: 3 * gib, CPUMs: 1000, StealMs: 10, StealShare: 0.01}),
		l.sampled(at(time.Second), "s4", "r6", 3, vmstat.Sample{CPUMs: 1000, StealMs: 500, StealShare: 0.5}),
	}
	return strings.Join(lines, "\n") + "\n"
}

func TestSteal(t *testing.T) {
	t.Parallel()
	res := analyze(t, stealFleet())
	st := res.Steal
	assert.Equal(t, int64(6), st.Samples)
	assert.Equal(t, int64(1), st.Resets)
	assert.InDelta(t, 910.0/6000, st.StealShare, 1e-12)
	assert.Equal(t, DefaultStealThreshold, st.Threshold)
	assert.Equal(t, 1, st.ContendedVMs)
	assert.Equal(t, 2, st.ContendedSandboxCount)
	assert.Equal(t, []string{"s1", "s2"}, st.ContendedSandboxes)
	// the series apart (stealseries_test.go)
	for i := range st.VMs {
		st.VMs[i].Series = nil
	}
	for i := range st.Functions {
		st.Functions[i].Series = nil
	}
	assert.Equal(t, []VMSteal{
		{BootID: "b1", Sandboxes: 2, Samples: 4, CPUMs: 4000, StealMs: 400, StealShare: 0.1, MemoryTotalBytes: 4 << 30, MinAvailableBytes: 1 << 30, Headroom: 0.25, Contended: true},
		{BootID: "b2", Sandboxes: 1, Samples: 1, CPUMs: 1000, StealMs: 10, StealShare: 0.01, MemoryTotalBytes: 4 << 30, MinAvailableBytes: 3 << 30, Headroom: 0.75},
	}, st.VMs)
	assert.Equal(t, []FunctionSteal{
		{Name: "a", Samples: 3, StealShare: 410.0 / 3000, MaxVMStealShare: 0.1, MinHeadroom: 0.25, ContendedSandboxes: 1},
		{Name: "b", Samples: 2, StealShare: 0, MaxVMStealShare: 0.1, MinHeadroom: 0.25, ContendedSandboxes: 1},
	}, st.Functions)

	// 30 s bins: 10:00:00 holds s1 300/1000, s3 10/1000, s4 500/1000 (s2's reset is left out)
	binned := analyze(t, stealFleet(), WithBin(30*time.Second))
	require.NotEmpty(t, binned.Series)
	assert.InDelta(t, 810.0/3000, binned.Series[0].StealShare, 1e-12)
	assert.InDelta(t, 100.0/3000, binned.Series[len(binned.Series)-1].StealShare, 1e-12)

	// the timeline's rows carry their VM's share
	a := New()
	in := stealFleet()
	require.NoError(t, a.Read("test", strings.NewReader(in), int64(len(in))))
	rows, _ := a.Rows(10)
	byID := map[string]Row{}
	for _, r := range rows {
		byID[r.Sandbox] = r
	}
	assert.True(t, byID["s2"].Contended)
	assert.InDelta(t, 0.1, byID["s2"].StealShare, 1e-12)
	assert.False(t, byID["s3"].Contended)
	assert.Equal(t, -1.0, byID["s4"].StealShare, "VM unknown")

	// a stricter threshold: no VM is contended
	res = analyze(t, stealFleet(), WithStealThreshold(0.2))
	assert.Zero(t, res.Steal.ContendedVMs)
	assert.Empty(t, res.Steal.ContendedSandboxes)

	var text bytes.Buffer
	require.NoError(t, WriteText(&text, analyze(t, stealFleet())))
	assert.Contains(t, text.String(), "VM b1")
	assert.Contains(t, text.String(), "contended")
	assert.Contains(t, text.String(), "memory headroom 25.0%")
}

// Without samples the section is empty, not null, and the text says nothing.
func TestStealWithoutSamples(t *testing.T) {
	t.Parallel()
	res := analyze(t, smallFleet())
	b, err := json.Marshal(res.Steal)
	require.NoError(t, err)
	assert.JSONEq(t, `{"samples":0,"resets":0,"steal_share":0,"contended_threshold":0.1,"contended_vms":0,"contended_sandbox_count":0,"contended_sandboxes":[],"vms":[],"functions":[]}`, string(b))
	var text bytes.Buffer
	require.NoError(t, WriteText(&text, res))
	assert.NotContains(t, text.String(), "VM contention")
}

// Hostile samples: out of range, not finite, steal above the CPU time;
// the sample is dropped, the invocation still counts, and a note says so.
func TestStealBounds(t *testing.T) {
	t.Parallel()
	l := newLineLogger()
	good := l.sampled(at(time.Second), "s1", "r1", 1, vmstat.Sample{CPUMs: 1000, StealMs: 100})
	for _, tt := range []struct{ name, from, to string }{
		{"negative cpu", `"cpu_ms":1000`, `"cpu_ms":-1`},
		{"cpu over the bound", `"cpu_ms":1000`, `"cpu_ms":1e14`},
		{"infinite cpu", `"cpu_ms":1000`, `"cpu_ms":1e400`},
		{"steal above cpu", `"steal_ms":100`, `"steal_ms":1001`},
		{"memory over the bound", `"memory_available_bytes":0`, `"memory_available_bytes":1e16`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			line := strings.Replace(good, tt.from, tt.to, 1)
			require.NotEqual(t, good, line)
			res := analyze(t, line+"\n")
			assert.Equal(t, int64(1), res.Cold.Invocations)
			assert.Zero(t, res.Steal.Samples)
			assert.Zero(t, res.Steal.StealShare)
			require.NotEmpty(t, res.Notes)
			assert.Contains(t, res.Notes[len(res.Notes)-1], "vm sample")
		})
	}
}
