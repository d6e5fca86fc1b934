package vmstat

import (
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/faasprobe/faasprobe/internal/sysroot"
)

// Reasons a sample is a new baseline (Sample.Reset).
const (
	// ResetNoBaseline: there is no earlier reading to compare with (the
	// one at New, and every one since, failed).
	ResetNoBaseline = "no_baseline"
	// ResetBoot: /proc/stat's btime changed: another kernel boot under the
	// same process (a snapshot restored onto another VM).
	ResetBoot = "boot"
	// ResetBackwards: a counter of the "cpu" line is below the previous
	// reading (a restored snapshot, or counters that are not what they
	// claim).
	ResetBackwards = "backwards"
)

// The files a sample reads, below the root.
const (
	statFile    = "proc/stat"
	meminfoFile = "proc/meminfo"
)

// msPerTick is the length of a /proc/stat tick: USER_HZ is 100 on every
// Linux architecture.
const msPerTick = 10

// Sample is the "vm" object of an invocation line.
type Sample struct {
	// MemoryAvailableBytes: /proc/meminfo MemAvailable; 0 if unknown.
	MemoryAvailableBytes uint64
	// IntervalMs: wall time (monotonic) since the previous sample whose
	// CPU counters were read; 0 with Reset or when they could not be read.
	IntervalMs float64
	// CPUMs: every CPU's time in the interval, summed over the CPUs (all
	// fields of the /proc/stat "cpu" line but guest time, which user
	// already counts): about IntervalMs × the number of CPUs.
	CPUMs float64
	// UserMs, SystemMs, IdleMs, IowaitMs, StealMs: the split of CPUMs:
	// user+nice, system+irq+softirq, idle, iowait, steal.
	UserMs, SystemMs, IdleMs, IowaitMs, StealMs float64
	// StealShare: StealMs / CPUMs, in [0, 1]; 0 when CPUMs is 0.
	StealShare float64
	// Reset: why the CPU fields are 0 and this sample is a new baseline
	// (ResetNoBaseline, ResetBoot, ResetBackwards); "" otherwise.
	Reset string
	// Problem: the files that could not be read or parsed, as "source:
	// error"; "" when both were, or are missing (unknown, not a problem).
	Problem string
}

// LogValue renders the sample as a slog group with the schema's keys.
func (s Sample) LogValue() slog.Value {
	attrs := make([]slog.Attr, 0, 11)
	attrs = append(attrs,
		slog.Uint64("memory_available_bytes", s.MemoryAvailableBytes),
		slog.Float64("interval_ms", s.IntervalMs),
		slog.Float64("cpu_ms", s.CPUMs),
		slog.Float64("user_ms", s.UserMs),
		slog.Float64("system_ms", s.SystemMs),
		slog.Float64("idle_ms", s.IdleMs),
		slog.Float64("iowait_ms", s.IowaitMs),
		slog.Float64("steal_ms", s.StealMs),
		slog.Float64("steal_share", s.StealShare),
	)
	if s.Reset != "" {
		attrs = append(attrs, slog.String("reset", s.Reset))
	}
	if s.Problem != "" {
		attrs = append(attrs, slog.String("problem", s.Problem))
	}
	return slog.GroupValue(attrs...)
}

// cpuTicks is one reading of the aggregate "cpu" line, in USER_HZ ticks.
type cpuTicks struct {
	user, nice, system, idle, iowait, irq, softirq, steal uint64
}

// reading is what a sample keeps for the next one.
type reading struct {
	ok    bool // the counters were read
	btime int64
	cpu   cpuTicks
	at    time.Time // monotonic
}

// Sampler takes the samples of one process. Safe for concurrent use:
// samples are taken one at a time.
type Sampler struct {
	root sysroot.Root
	now  func() time.Time

	mu        sync.Mutex
	prev      reading
	stat, mem *sysroot.Kept // opened once, read from the start at every sample; nil until opened
	buf       []byte        // one buffer for both files
}

// New reads the baseline through root and returns the sampler.
func New(root sysroot.Root) *Sampler {
	s := &Sampler{root: root, now: time.Now, buf: make([]byte, 0, 16384)}
	s.prev, _ = s.readCPU()
	return s
}

// Open is New on the tree at dir ("" is the live machine), as the
// packages' WithRoot options name it. A tree that cannot be used reads as
// one whose files are missing.
func Open(dir string) *Sampler {
	root, _ := sysroot.Open(dir, nil)
	return New(root)
}

// Close closes the files the sampler keeps open (without waiting for the
// garbage collector to); a later Sample opens them again.
func (s *Sampler) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for _, k := range []**sysroot.Kept{&s.stat, &s.mem} {
		if *k != nil {
			errs = append(errs, (*k).Close())
			*k = nil
		}
	}
	return errors.Join(errs...)
}

// Sample reads the files again and returns the VM's state since the
// previous sample.
func (s *Sampler) Sample() Sample {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out Sample
	cur, problem := s.readCPU()
	mem, mproblem := s.readMemAvailable()
	out.MemoryAvailableBytes = mem
	out.Problem = joinProblems(problem, mproblem)
	if !cur.ok {
		return out // keep the previous reading: the next sample spans both intervals
	}
	out.Reset = between(s.prev, cur, &out)
	s.prev = cur
	return out
}

// between fills out's CPU fields with the difference from prev to cur and
// returns "" or the reason they cannot be compared.
func between(prev, cur reading, out *Sample) string {
	switch {
	case !prev.ok:
		return ResetNoBaseline
	case prev.btime != cur.btime:
		return ResetBoot
	}
	p, c := prev.cpu, cur.cpu
	if c.user < p.user || c.nice < p.nice || c.system < p.system || c.idle < p.idle ||
		c.iowait < p.iowait || c.irq < p.irq || c.softirq < p.softirq || c.steal < p.steal {
		return ResetBackwards
	}
	// Each difference is a uint64; sums are taken in float64, which cannot
	// overflow, so hostile counters give large but finite figures.
	out.UserMs = ticksMs(c.user-p.user) + ticksMs(c.nice-p.nice)
	out.SystemMs = ticksMs(c.system-p.system) + ticksMs(c.irq-p.irq) + ticksMs(c.softirq-p.softirq)
	out.IdleMs = ticksMs(c.idle - p.idle)
	out.IowaitMs = ticksMs(c.iowait - p.iowait)
	out.StealMs = ticksMs(c.steal - p.steal)
	out.CPUMs = out.UserMs + out.SystemMs + out.IdleMs + out.IowaitMs + out.StealMs
	if out.CPUMs > 0 {
		out.StealShare = out.StealMs / out.CPUMs
	}
	out.IntervalMs = float64(max(cur.at.Sub(prev.at), 0).Microseconds()) / 1000
	return ""
}

// ticksMs converts ticks to milliseconds.
func ticksMs(t uint64) float64 { return float64(t) * msPerTick }

// joinProblems joins two problem texts, either of which may be "".
func joinProblems(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + b
}
