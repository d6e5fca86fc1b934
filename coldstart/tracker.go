package coldstart

import (
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/faasprobe/faasprobe/internal/platformenv"
	"github.com/faasprobe/faasprobe/internal/sysroot"
)

// noTime marks an unset instant on the tracker's clock.
const noTime = math.MinInt64

// Tracker records the invocations of one sandbox (by default: this process)
// and answers whether each is cold. All methods are safe for concurrent use.
// Instants are kept as nanoseconds since the tracker's creation (its epoch)
// on its clock, so the hot path reads the clock once and touches only
// atomics. The zero value is not usable; use New.
type Tracker struct {
	clock     func() time.Time // nil: time.Since(epoch), the monotonic fast path
	epoch     time.Time        // the clock's reading at New
	epochWall time.Time        // the same without its monotonic reading
	// epochSec, epochNsec and epochLoc are epochWall taken apart, so that
	// at builds a time.Time with time.Unix (a few ns) rather than Add.
	epochSec   int64
	epochNsec  int64
	epochLoc   *time.Location
	threshold  time.Duration
	definition Definition
	initType   string
	env        sysroot.Root

	procStart   int64 // ns; the process start, or 0 (the epoch) when unknown
	startSource string
	boot        int64 // ns; the kernel's boot; valid if bootKnown
	bootKnown   bool

	emf emfConfig

	seq      atomic.Uint64
	last     atomic.Int64             // newest invocation instant seen; noTime before the first
	mark     atomic.Pointer[initMark] // init end; nil until known
	first    atomic.Pointer[Invocation]
	inflight atomic.Int64  // Wrap'd invocations running now
	lastEnd  atomic.Int64  // newest end of a Wrap'd invocation; noTime before
	busy     atomic.Int64  // ns, summed over Wrap'd invocations
	idle     atomic.Int64  // ns with no Wrap'd invocation in flight, up to the last start
	timed    atomic.Uint64 // Wrap'd invocations that have ended
	errors   atomic.Uint64 // of which returned an error or panicked

	mu       sync.Mutex
	problems []string // setup problems, then runtime ones (EMF writes)
}

// initMark is one candidate for init end. Marks are immutable: a change
// swaps the pointer. Once the first invocation has been observed the mark is
// frozen and later InitDone/Wrap calls leave it alone.
type initMark struct {
	at     int64 // ns on the tracker's clock
	source string
	rank   int // higher wins: InitDone 3, Wrap 2, process start 1, invocation 0
	frozen bool
}

// New returns a tracker. It reads the process start and boot time through
// the root (see WithRoot) and the environment, once: no file is read after
// New, and Observe allocates only on the first invocation (which also writes
// the EMF record, when asked for).
func New(opts ...Option) *Tracker {
	c := newConfig(opts)
	t := &Tracker{clock: c.clock, threshold: c.threshold, definition: c.definition, env: c.root}
	t.epoch = t.wall()
	t.epochWall = t.epoch.Round(0)
	t.epochSec, t.epochNsec, t.epochLoc = t.epochWall.Unix(), int64(t.epochWall.Nanosecond()), t.epochWall.Location()
	t.last.Store(noTime)
	t.lastEnd.Store(noTime)
	if c.rootErr != nil {
		t.problems = append(t.problems, fmt.Sprintf("coldstart: root: %v", c.rootErr))
	}

	o := readOrigin(c.root, t.wall)
	setup := t.now() // the ages below are as of now
	t.problems = append(t.problems, o.problems...)
	t.startSource = o.source
	if o.source != StartFromTracker {
		t.procStart = setup - int64(o.procAge)
	}
	if o.bootKnown {
		t.boot, t.bootKnown = setup-int64(o.bootAge), true
	}

	t.initType = platformenv.ParseInitType(c.root.Getenv("AWS_LAMBDA_INITIALIZATION_TYPE"))
	if t.initType == InitTypeUnknown { // the value is not repeated: it is not ours to print
		t.problems = append(t.problems, "coldstart: AWS_LAMBDA_INITIALIZATION_TYPE has a value this package does not know; the first invocation is judged by the proactive rule alone")
	}
	t.emf = newEMFConfig(c, c.root)
	switch {
	case !c.initDone.IsZero():
		t.mark.Store(&initMark{at: int64(c.initDone.Sub(t.epoch)), source: InitFromInitDone, rank: 3})
	case o.source != StartFromTracker: // a real process start can stand in for init end
		t.mark.Store(&initMark{at: t.procStart, source: InitFromProcess, rank: 1})
	}
	return t
}

// wall reads the clock.
func (t *Tracker) wall() time.Time {
	if t.clock == nil {
		return time.Now()
	}
	return t.clock()
}

// now reads the clock as nanoseconds since the epoch. With the default clock
// this is time.Since, which reads only the monotonic clock (a vDSO call on
// Linux, not a system call).
func (t *Tracker) now() int64 {
	if t.clock == nil {
		return int64(time.Since(t.epoch))
	}
	return int64(t.clock().Sub(t.epoch))
}

// at converts an instant on the tracker's clock to a wall time without a
// monotonic reading, in the epoch's location: the same value as
// epochWall.Add(ns), built by time.Unix (which normalises the nanoseconds
// with a multiplication) in a third of Add's time. sinceEpoch inverts it
// exactly.
func (t *Tracker) at(ns int64) time.Time {
	return time.Unix(t.epochSec, t.epochNsec+ns).In(t.epochLoc)
}

// sinceEpoch converts a time made by at back to the tracker's clock.
func (t *Tracker) sinceEpoch(tm time.Time) int64 { return int64(tm.Sub(t.epochWall)) }

// InitDone marks the end of initialisation now: the first invocation is
// judged (on-demand or proactive-init) by the gap from this mark. It
// overrides Wrap's mark. Calls after the first invocation has been observed
// are ignored, so every invocation reports against the same mark.
//
// Without InitDone or WithInitDone, init end is the time of the latest
// Wrap/WrapHandler call; without those, the process start read from /proc;
// without that, the first invocation itself (which then cannot be
// proactive-init).
func (t *Tracker) InitDone() { t.setMark(t.now(), InitFromInitDone, 3) }

// setMark installs a mark unless the current one is frozen or stronger.
func (t *Tracker) setMark(at int64, source string, rank int) {
	m := &initMark{at: at, source: source, rank: rank}
	for {
		old := t.mark.Load()
		if old != nil && (old.frozen || old.rank > rank) {
			return
		}
		if t.seq.Load() > 0 { // the first invocation is already being judged
			return
		}
		if t.mark.CompareAndSwap(old, m) {
			return
		}
	}
}

// initEnd returns the mark, installing the first-invocation fallback at now
// if there is none yet (only possible when the process start is unknown).
func (t *Tracker) initEnd(now int64) *initMark {
	if m := t.mark.Load(); m != nil {
		return m
	}
	return t.installInvocationMark(now)
}

// installInvocationMark runs only before any mark exists; it is kept out
// of line so that the hot path (observeInto checks the mark itself) stays
// small.
//
//go:noinline
func (t *Tracker) installInvocationMark(now int64) *initMark {
	t.mark.CompareAndSwap(nil, &initMark{at: now, source: InitFromInvocation, frozen: true})
	return t.mark.Load()
}

// freezeMark stops InitDone and Wrap from moving the mark from now on.
func (t *Tracker) freezeMark(now int64) *initMark {
	for {
		m := t.initEnd(now)
		if m.frozen {
			return m
		}
		f := *m
		f.frozen = true
		if t.mark.CompareAndSwap(m, &f) {
			return &f
		}
	}
}

// Observe records one invocation and returns its facts. After the first
// call it neither allocates nor makes a system call: one clock read and two
// atomic read-modify-writes.
func (t *Tracker) Observe() (inv Invocation) {
	t.observeInto(&inv)
	return inv
}

// observeInto is Observe writing into *inv (the result is 160 bytes: filling
// it in place saves copies on every layer that returns it).
func (t *Tracker) observeInto(inv *Invocation) {
	seq := t.seq.Add(1)
	now, sincePrev, back := t.stamp()
	if seq == 1 {
		*inv = t.observeFirst(now, back)
		return
	}
	m := t.mark.Load() // t.initEnd, inlined by hand
	if m == nil {
		m = t.installInvocationMark(now)
	}
	sinceStart, c1 := ms(now - t.procStart)
	sinceInit, c2 := ms(now - m.at)
	sincePrevMs, c3 := ms(sincePrev)
	var age float64
	var c4 bool
	if t.bootKnown {
		age, c4 = ms(now - t.boot)
	}
	// Every field is assigned: *inv may hold an older invocation.
	inv.First, inv.Cold, inv.Reason, inv.Seq = false, false, ReasonWarm, seq
	inv.InitType = t.initType
	inv.SinceProcessStartMs, inv.ProcessStartSource = sinceStart, t.startSource
	inv.SinceInitMs, inv.InitSource = sinceInit, m.source
	inv.SincePreviousMs = sincePrevMs
	inv.SandboxAgeMs = age
	inv.Time = t.at(now)
	inv.RequestID = ""
	inv.Clamped = back || c1 || c2 || c3 || c4
}

// stamp reads the clock and records it as the newest invocation instant.
// It returns the time since the previous newest instant; a concurrent
// invocation that read the clock later but recorded first gives 0, not a
// negative gap.
//
// With the default (monotonic) clock it is one Swap: the clock cannot go
// back, so a previous instant above ours can only be such a concurrent
// one, which is put back (the rare path). An injected clock can step back:
// the previous value is then loaded before the clock is read, so that a
// reading below it is told apart (back) and leaves the newest instant as
// it was.
func (t *Tracker) stamp() (now, sincePrev int64, back bool) {
	if t.clock != nil {
		return t.stampInjected()
	}
	now = int64(time.Since(t.epoch)) // t.now without a call
	prev := t.last.Swap(now)
	switch {
	case prev == noTime:
		return now, 0, false
	case prev > now:
		t.raiseLast(prev)
		return now, 0, false
	}
	return now, now - prev, false
}

// raiseLast makes last at least v (after a Swap stored an older instant
// over a concurrent newer one).
//
//go:noinline
func (t *Tracker) raiseLast(v int64) {
	for {
		cur := t.last.Load()
		if cur >= v || t.last.CompareAndSwap(cur, v) {
			return
		}
	}
}

// stampInjected is stamp for an injected clock, which may step back.
//
//go:noinline
func (t *Tracker) stampInjected() (now, sincePrev int64, back bool) {
	prev := t.last.Load()
	now = t.now()
	if prev != noTime && now < prev {
		return now, 0, true
	}
	for !t.last.CompareAndSwap(prev, now) {
		prev = t.last.Load()
		if prev >= now {
			return now, 0, false
		}
	}
	if prev == noTime {
		return now, 0, false
	}
	return now, now - prev, false
}

// observeFirst judges the first invocation, keeps its facts for Stats and
// writes the EMF record if it is cold.
//
//go:noinline
func (t *Tracker) observeFirst(now int64, clamped bool) Invocation {
	m := t.freezeMark(now)
	inv := Invocation{
		First:              true,
		Seq:                1,
		InitType:           t.initType,
		ProcessStartSource: t.startSource,
		InitSource:         m.source,
		Time:               t.at(now),
	}
	gap := now - m.at
	var c1, c2, c3 bool
	inv.SinceProcessStartMs, c1 = ms(now - t.procStart)
	inv.SinceInitMs, c2 = ms(gap)
	if t.bootKnown {
		inv.SandboxAgeMs, c3 = ms(now - t.boot)
	}
	inv.Clamped = clamped || c1 || c2 || c3
	inv.Reason, inv.Cold = classifyFirst(t.initType, time.Duration(max(gap, 0)), t.threshold)
	if t.definition == DefinitionPowertools {
		inv.Cold = t.initType != InitTypeProvisioned
	}
	kept := inv
	t.first.Store(&kept)
	if inv.Cold && t.emf.w != nil {
		if err := t.emf.write(inv.Time); err != nil {
			t.addProblem(fmt.Sprintf("coldstart: write EMF record: %v", err))
		}
	}
	return inv
}

// classifyFirst decides the first invocation's reason and whether the caller
// waited for init. gap is the time from init end to the invocation.
func classifyFirst(initType string, gap, threshold time.Duration) (Reason, bool) {
	proactive := threshold > 0 && gap > threshold
	switch initType {
	case InitTypeProvisioned:
		return ReasonProvisioned, false
	case InitTypeManagedInstances:
		return ReasonManagedInstances, false
	case InitTypeSnapStart:
		return ReasonSnapStart, true
	case InitTypeUnknown:
		return ReasonUnknown, !proactive
	}
	if proactive {
		return ReasonProactiveInit, false
	}
	return ReasonOnDemand, true
}

func (t *Tracker) addProblem(p string) {
	t.mu.Lock()
	t.problems = append(t.problems, p)
	t.mu.Unlock()
}

// begin starts the accounting of a Wrap'd invocation stamped at now.
func (t *Tracker) begin(now int64) {
	if t.inflight.Add(1) != 1 {
		return
	}
	// 0 → 1: the sandbox was idle since the last end (or init end).
	from := t.lastEnd.Load()
	if from == noTime {
		from = t.initEnd(now).at
	}
	if now > from {
		t.idle.Add(now - from)
	}
}

// end finishes the accounting of a Wrap'd invocation that began at start.
func (t *Tracker) end(start int64, failed bool) {
	now := t.now()
	if d := now - start; d > 0 {
		t.busy.Add(d)
	}
	t.timed.Add(1)
	if failed {
		t.errors.Add(1)
	}
	for { // lastEnd = max(lastEnd, now), before leaving the in-flight count
		e := t.lastEnd.Load()
		if e >= now || t.lastEnd.CompareAndSwap(e, now) {
			break
		}
	}
	t.inflight.Add(-1)
}

// Stats returns the sandbox's lifetime figures so far.
func (t *Tracker) Stats() SandboxStats {
	now := t.now()
	s := SandboxStats{
		Invocations:        t.seq.Load(),
		Errors:             t.errors.Load(),
		Timed:              t.timed.Load(),
		BusyMs:             float64(t.busy.Load()) / 1e6,
		ProcessStart:       t.at(t.procStart),
		ProcessStartSource: t.startSource,
	}
	if f := t.first.Load(); f != nil {
		s.FirstReason = f.Reason
		s.FirstInvocation = f.Time
		if f.Cold {
			s.Cold = 1
		}
	}
	s.Warm = s.Invocations - min(s.Cold, s.Invocations)
	if last := t.last.Load(); last != noTime {
		s.LastInvocation = t.at(last)
	}
	if m := t.mark.Load(); m != nil {
		s.InitDone, s.InitSource = t.at(m.at), m.source
	}

	// Idle: the gaps between Wrap'd invocations, plus the tail since the
	// last one ended (or since init end) when none is running now.
	idle := t.idle.Load()
	if t.inflight.Load() == 0 {
		from := t.lastEnd.Load()
		if from == noTime {
			if m := t.mark.Load(); m != nil {
				from = m.at
			} else {
				from = 0
			}
		}
		if now > from {
			idle += now - from
		}
	}
	if s.Invocations > 0 && s.Timed == 0 {
		idle = 0 // Observe alone: no durations, so no idle time either
	}
	s.IdleMs = float64(idle) / 1e6

	t.mu.Lock()
	s.Problems = append([]string{}, t.problems...)
	t.mu.Unlock()
	return s
}
