package vmstat

import (
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/internal/sysroot"
)

const meminfo = "MemTotal:        2048000 kB\nMemFree:          512000 kB\nMemAvailable:    1024000 kB\n"

// stat is a /proc/stat of a 2-CPU VM with the given aggregate line.
func stat(btime, cpu string) string {
	return "cpu  " + cpu + "\ncpu0 1 0 1 1 0 0 0 0 0 0\ncpu1 1 0 1 1 0 0 0 0 0 0\nintr 1 0 0\nctxt 10\nbtime " + btime + "\nprocesses 5\n"
}

// tree writes a recorded tree holding the given files and returns its root.
func tree(t *testing.T, files map[string]string) (sysroot.Root, string) {
	t.Helper()
	dir := t.TempDir()
	write(t, dir, files)
	r, err := sysroot.Recorded(dir)
	require.NoError(t, err)
	return r, dir
}

func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	}
}

// The split of the interval from one reading of the aggregate cpu line to
// the next, and the resets.
func TestBetween(t *testing.T) {
	t.Parallel()
	at := time.Unix(1000, 0)
	base := reading{ok: true, btime: 1700000000, at: at,
		cpu: cpuTicks{user: 100, nice: 10, system: 50, idle: 1000, iowait: 5, irq: 1, softirq: 2, steal: 7}}
	later := func(f func(*reading)) reading {
		r := base
		r.at = at.Add(1500 * time.Millisecond)
		f(&r)
		return r
	}
	tests := []struct {
		name      string
		prev, cur reading
		want      Sample
	}{
		{
			name: "a busy interval with steal",
			prev: base,
			cur: later(func(r *reading) {
				r.cpu.user += 60
				r.cpu.nice += 10
				r.cpu.system += 20
				r.cpu.irq += 5
				r.cpu.softirq += 5
				r.cpu.idle += 150
				r.cpu.iowait += 10
				r.cpu.steal += 40
			}),
			// 300 ticks in all, 40 of them steal
			want: Sample{IntervalMs: 1500, CPUMs: 3000, UserMs: 700, SystemMs: 300, IdleMs: 1500, IowaitMs: 100, StealMs: 400, StealShare: 400.0 / 3000},
		},
		{name: "no time passed", prev: base, cur: later(func(*reading) {}), want: Sample{IntervalMs: 1500}},
		{name: "no baseline", prev: reading{}, cur: later(func(*reading) {}), want: Sample{Reset: ResetNoBaseline}},
		{name: "another boot", prev: base, cur: later(func(r *reading) { r.btime++; r.cpu.user += 5 }), want: Sample{Reset: ResetBoot}},
		{name: "steal went backwards (restored snapshot)", prev: base, cur: later(func(r *reading) { r.cpu.steal--; r.cpu.user += 5 }), want: Sample{Reset: ResetBackwards}},
		{name: "idle went backwards", prev: base, cur: later(func(r *reading) { r.cpu.idle = 0 }), want: Sample{Reset: ResetBackwards}},
		{
			name: "hostile counters stay finite",
			prev: reading{ok: true, btime: 1, at: at},
			cur: reading{ok: true, btime: 1, at: at, cpu: cpuTicks{user: math.MaxUint64, nice: math.MaxUint64, system: math.MaxUint64,
				idle: math.MaxUint64, iowait: math.MaxUint64, irq: math.MaxUint64, softirq: math.MaxUint64, steal: math.MaxUint64}},
			want: Sample{CPUMs: 8 * 10 * float64(uint64(math.MaxUint64)), UserMs: 2 * 10 * float64(uint64(math.MaxUint64)),
				SystemMs: 3 * 10 * float64(uint64(math.MaxUint64)), IdleMs: 10 * float64(uint64(math.MaxUint64)),
				IowaitMs: 10 * float64(uint64(math.MaxUint64)), StealMs: 10 * float64(uint64(math.MaxUint64)), StealShare: 0.125},
		},
		{name: "a clock that went back gives a 0 interval", prev: base, cur: func() reading { r := base; r.at = at.Add(-time.Second); return r }(), want: Sample{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got Sample
			got.Reset = between(tt.prev, tt.cur, &got)
			assert.Equal(t, tt.want, got)
		})
	}
}

// A sampler over a tree whose files change between samples, as a VM's do.
func TestSamplerOverTime(t *testing.T) {
	t.Parallel()
	root, dir := tree(t, map[string]string{"proc/stat": stat("1700000000", "100 0 50 1000 0 0 0 10 0 0"), "proc/meminfo": meminfo})
	s := New(root)
	clock := time.Unix(5000, 0)
	s.now = func() time.Time { return clock }
	s.prev.at = clock

	clock = clock.Add(2 * time.Second)
	write(t, dir, map[string]string{"proc/stat": stat("1700000000", "200 0 70 1360 0 0 0 30 0 0")})
	got := s.Sample()
	assert.Equal(t, Sample{MemoryAvailableBytes: 1024000 * 1024, IntervalMs: 2000, CPUMs: 5000, UserMs: 1000, SystemMs: 200, IdleMs: 3600, StealMs: 200, StealShare: 0.04}, got)

	// a snapshot restored onto another VM: counters from a fresh boot
	clock = clock.Add(time.Second)
	write(t, dir, map[string]string{"proc/stat": stat("1700009999", "5 0 5 50 0 0 0 0 0 0")})
	got = s.Sample()
	assert.Equal(t, ResetBoot, got.Reset)
	assert.Zero(t, got.CPUMs)

	// the restored VM's counters go on from the new baseline
	clock = clock.Add(time.Second)
	write(t, dir, map[string]string{"proc/stat": stat("1700009999", "15 0 5 240 0 0 0 0 0 0")})
	got = s.Sample()
	assert.Empty(t, got.Reset)
	assert.Equal(t, 2000.0, got.CPUMs)
	assert.Equal(t, 1000.0, got.IntervalMs)

	// an unreadable stat keeps the previous reading: the next sample spans both
	write(t, dir, map[string]string{"proc/stat": "garbage\n"})
	clock = clock.Add(time.Second)
	got = s.Sample()
	assert.Contains(t, got.Problem, "proc/stat: ")
	assert.Zero(t, got.CPUMs)
	assert.Empty(t, got.Reset)
	write(t, dir, map[string]string{"proc/stat": stat("1700009999", "25 0 5 430 0 0 0 0 0 0")})
	clock = clock.Add(time.Second)
	got = s.Sample()
	assert.Empty(t, got.Problem)
	assert.Equal(t, 2000.0, got.IntervalMs)
	assert.Equal(t, 2000.0, got.CPUMs)
}

// Missing files: every figure unknown (not a problem), and the first
// readable sample says there was no baseline.
func TestSamplerMissingFiles(t *testing.T) {
	t.Parallel()
	root, dir := tree(t, nil)
	s := New(root)
	got := s.Sample()
	assert.Equal(t, Sample{}, got, "missing files are unknown, not a problem")
	write(t, dir, map[string]string{"proc/stat": stat("1700000000", "1 0 1 1 0 0 0 0 0 0")})
	got = s.Sample()
	assert.Equal(t, ResetNoBaseline, got.Reset)
	assert.Empty(t, got.Problem)
}

// The live machine: invariants only.
func TestSamplerLive(t *testing.T) {
	if _, err := os.Stat("/proc/stat"); err != nil {
		t.Skip("no /proc/stat")
	}
	s := New(sysroot.Live())
	time.Sleep(30 * time.Millisecond)
	got := s.Sample()
	require.Empty(t, got.Problem)
	assert.Empty(t, got.Reset)
	assert.Positive(t, got.MemoryAvailableBytes)
	assert.Positive(t, got.IntervalMs)
	assert.InDelta(t, got.CPUMs, got.UserMs+got.SystemMs+got.IdleMs+got.IowaitMs+got.StealMs, 1e-9)
	assert.GreaterOrEqual(t, got.StealShare, 0.0)
	assert.LessOrEqual(t, got.StealShare, 1.0)
}

// Samples may be taken from concurrent invocations.
func TestSamplerConcurrent(t *testing.T) {
	t.Parallel()
	root, _ := tree(t, map[string]string{"proc/stat": stat("1700000000", "100 0 50 1000 0 0 0 10 0 0"), "proc/meminfo": meminfo})
	s := New(root)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				v := s.Sample()
				assert.Empty(t, v.Problem)
				assert.Equal(t, uint64(1024000*1024), v.MemoryAvailableBytes)
			}
		})
	}
	wg.Wait()
}

// The log value has the schema's keys; reset and problem only when set.
func TestLogValue(t *testing.T) {
	t.Parallel()
	keys := func(s Sample) []string {
		var out []string
		for _, a := range s.LogValue().Group() {
			out = append(out, a.Key)
		}
		return out
	}
	always := []string{"memory_available_bytes", "interval_ms", "cpu_ms", "user_ms", "system_ms", "idle_ms", "iowait_ms", "steal_ms", "steal_share"}
	assert.Equal(t, always, keys(Sample{}))
	assert.Equal(t, append(append([]string{}, always...), "reset", "problem"), keys(Sample{Reset: ResetBoot, Problem: "proc/stat: missing"}))
}

// Whatever two recorded /proc/stat and /proc/meminfo hold, a sample's
// figures are finite, non-negative, add up, and its texts are bounded.
func FuzzSample(f *testing.F) {
	f.Add([]byte(stat("1700000000", "1 0 1 1 0 0 0 0 0 0")), []byte(stat("1700000000", "9 0 3 7 1 0 0 4 0 0")), []byte(meminfo))
	f.Add([]byte(stat("1", "18446744073709551615 0 0 0 0 0 0 18446744073709551615")), []byte(stat("1", "0 0 0 0")), []byte("MemTotal: 1\n"))
	f.Add([]byte("cpu 1 2 3\n"), []byte("btime x\n"), []byte("MemAvailable: -1 kB\n"))
	f.Fuzz(func(t *testing.T, first, second, mem []byte) {
		root, dir := tree(t, map[string]string{"proc/stat": string(first), "proc/meminfo": string(mem)})
		defer root.Close() // each run's files now, not at the next garbage collection
		s := New(root)
		defer s.Close()
		write(t, dir, map[string]string{"proc/stat": string(second)})
		v := s.Sample()
		for _, x := range []float64{v.IntervalMs, v.CPUMs, v.UserMs, v.SystemMs, v.IdleMs, v.IowaitMs, v.StealMs, v.StealShare} {
			require.False(t, math.IsNaN(x) || math.IsInf(x, 0) || x < 0, "%+v", v)
		}
		require.LessOrEqual(t, v.StealShare, 1.0)
		require.LessOrEqual(t, len(v.Problem), 2*(maxProblem+len("proc/meminfo: ")+len("…"))+2)
		if v.Reset != "" {
			require.Zero(t, v.CPUMs)
		}
	})
}

// The meminfo cut keeps every line up to MemAvailable's, whole.
func TestUptoMemAvailable(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ name, in, want string }{
		{name: "kernel order", in: meminfo + "Buffers: 1 kB\n", want: meminfo},
		{name: "no MemAvailable (before 3.14)", in: "MemTotal: 1 kB\nMemFree: 1 kB\n", want: "MemTotal: 1 kB\nMemFree: 1 kB\n"},
		{name: "last line without newline", in: "MemTotal: 1 kB\nMemAvailable: 2 kB", want: "MemTotal: 1 kB\nMemAvailable: 2 kB"},
		{name: "MemAvailable first is not cut", in: "MemAvailable: 2 kB\nMemTotal: 1 kB\n", want: "MemAvailable: 2 kB\nMemTotal: 1 kB\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, string(uptoMemAvailable([]byte(tt.in))))
		})
	}
}

// Close releases the kept files at once; the next sample opens them again
// and still measures from the previous reading.
func TestCloseThenSample(t *testing.T) {
	t.Parallel()
	root, dir := tree(t, map[string]string{"proc/stat": stat("1700000000", "1 0 1 1 0 0 0 0 0 0"), "proc/meminfo": meminfo})
	s := New(root)
	require.NoError(t, s.Close())
	require.NoError(t, s.Close(), "twice is harmless")
	write(t, dir, map[string]string{"proc/stat": stat("1700000000", "9 0 3 7 1 0 0 4 0 0")})
	v := s.Sample()
	assert.Empty(t, v.Reset)
	assert.Positive(t, v.StealMs)
	require.NoError(t, s.Close())
}
