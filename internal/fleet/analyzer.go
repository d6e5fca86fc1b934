package fleet

import (
	"fmt"
	"time"
)

// Analyzer reads log inputs one after another (Read) and then answers
// (Result, Rows). It keeps state per sandbox, per VM and per function, and
// counters per time bin — never per line — so memory is bounded by the
// number of sandboxes (capped by WithMaxSandboxes), not by the input's
// length. Not safe for concurrent use.
type Analyzer struct {
	cfg config
	p   *parser

	inputs    []*InputStats
	cur       *InputStats
	curSize   int64
	curReader *countingReader
	lines     int64
	lastTick  time.Time
	kinds     [numKinds]int64
	flaws     [numFlaws]int64 // records checkBounds made KindIncomplete, by flaw
	notes     []string

	sandboxes []sandboxState
	byID      map[string]int32
	vms       []vmState
	vmByBoot  map[string]int32
	profiles  []hostProfile
	profileOf map[hostProfile]int32
	fns       []fnState
	fnByName  map[string]int32
	intern    map[string]string

	// untracked: lines of sandboxes beyond the cap
	untrackedLines int64
	// firstReq maps the request id of each first invocation to its sandbox,
	// to attribute a REPORT's Init Duration when no log stream says whose
	// it is; bounded by the sandboxes tracked, and emptied as REPORTs match.
	firstReq map[string]int32
	// pendingInit holds REPORTs with an Init Duration (by request id) that
	// came before their invocation line; bounded by maxPending.
	pendingInit map[string]pendingReport

	// global counters
	invocations, cold, firsts, proactive int64
	pings, pingsCold                     int64
	extensionDuplicates                  int64 // the extension's copies of library invocation lines, dropped
	vmSamples, vmResets                  int64 // invocation lines with a "vm" sample (steal.go)
	firstReasons                         map[string]int64
	reports, reportInits                 int64
	reportsAttributed                    int64
	reportInitMs                         reservoir
	reportMaxMemMB                       int
	reportMemSizes                       map[int]int64
	windowFirst, windowLast              int64

	// time bins
	binWidth int64
	binShift uint // times the bins were widened
	bins     map[int64]*binCounts
	lastBin  int64
	lastBinP *binCounts

	// per sandbox and bin, the VM samples (stealseries.go)
	cells        []sandboxCells
	cellCount    int   // cells kept, bounded by maxStealCells
	cellsDropped int64 // samples left out of the cells beyond it
}

// sandboxState is what is kept per sandbox.
type sandboxState struct {
	id          string
	fn, vm      int32 // -1: unknown
	first, last int64 // first and last time seen (Unix ns, 0 unknown)
	startup     int64 // time of the (first) startup line; 0 if none seen
	firstInv    int64 // time of the first invocation (invocation.first); 0 if none seen
	invocations uint32
	cold        uint32 // invocation lines with cold=true
	firsts      uint32 // invocation lines with first=true (more than 1: duplicates)
	startups    uint32 // startup lines (more than 1: duplicates)
	reports     uint32
	maxSeq      uint64
	reason      string  // reason of the first invocation, interned
	firstCold   bool    // the first invocation was cold
	sinceInitMs float64 // first invocation's gap from init end
	initMs      float64 // REPORT Init Duration; valid if hasInit
	hasInit     bool
	coTenants   int32  // sandbox.co_tenants.per_vm of the startup line
	process     bool   // sandbox.id_scope "process": the id is per process, not per sandbox
	pings       uint32 // invocation lines of keep-warm pings (not in invocations)
	ended       int64  // time of the shutdown line; 0 if none seen
	lifetime    int64  // exact lifetime (ns) from the shutdown line; 0 if unknown
	endReason   string // shutdown.reason of the shutdown line, interned

	// Lines of the library (no "source") and of the Lambda extension
	// ("source":"extension") for one sandbox count once: see dedupe.go.
	libLines   bool               // a library line of this sandbox was read
	libStartup bool               // its startup line was the library's
	extStartup bool               // an extension startup line was read
	extInvs    uint32             // extension invocation lines counted before any library line
	extReqs    [maxExtReqs]string // their request ids (the first maxExtReqs)
	extEnd     bool               // the shutdown facts are the extension's
	subnets    string             // subnetsOf the startup line's addresses, comma-joined, interned
	azID       string             // sandbox.availability_zone_id of the startup line, interned
	vmSample   vmSums             // its invocation lines' VM samples (steal.go)
	cells      int32              // 1 + its index in Analyzer.cells; 0 none (stealseries.go)
}

// vmState is what is kept per VM (boot id).
type vmState struct {
	bootID    string
	profile   int32   // index into Analyzer.profiles
	sandboxes int32   // with a startup line naming this boot id
	memTotal  float64 // host.memory_total_bytes; 0 unknown
}

// hostProfile is what a startup line says about the host; VMs share a few.
type hostProfile struct {
	arch, kernel, cpuModel, microarch, hypervisor string
	families, hostCPUs, types, confidence         string // candidate lists, comma-joined
	cacheKB                                       int
}

// fnState is what is kept per function name.
type fnState struct {
	name     string
	region   string
	memoryMB map[int]struct{}
}

// pendingReport is a REPORT waiting for its invocation line.
type pendingReport struct {
	initMs float64
	ts     int64
}

// binCounts are the counters of one time bin.
type binCounts struct {
	invocations, cold, firsts, proactive int64
	startups, reports, reportInits       int64
	vmSamples                            int64   // lines with a VM sample (steal.go)
	cpuMs, stealMs                       float64 // their CPU figures
}

// Bounds of the side tables.
const (
	maxPending   = 100_000
	maxInterned  = 100_000
	maxReasons   = 64
	maxMemSizes  = 64
	maxNotes     = 32
	reservoirCap = 1 << 18
)

// New returns an Analyzer.
func New(opts ...Option) *Analyzer {
	cfg := config{bin: DefaultBin, maxSandboxes: DefaultMaxSandboxes, maxBins: DefaultMaxBins, progressStep: defaultProgressStep}
	for _, o := range opts {
		o.apply(&cfg)
	}
	return &Analyzer{
		cfg:            cfg,
		p:              newParser(),
		byID:           make(map[string]int32),
		vmByBoot:       make(map[string]int32),
		profileOf:      make(map[hostProfile]int32),
		fnByName:       make(map[string]int32),
		intern:         make(map[string]string),
		firstReq:       make(map[string]int32),
		pendingInit:    make(map[string]pendingReport),
		firstReasons:   make(map[string]int64),
		reportMemSizes: make(map[int]int64),
		binWidth:       int64(cfg.bin),
		bins:           make(map[int64]*binCounts),
		lastBin:        -1 << 62,
		reportInitMs:   newReservoir(reservoirCap),
	}
}

// count records a line of a kind that carries nothing to analyse.
func (a *Analyzer) count(k Kind) {
	a.kinds[k]++
	if a.cur != nil {
		a.cur.Records++
	}
}

// note adds a remark to the results (bounded).
func (a *Analyzer) note(format string, args ...any) {
	if len(a.notes) < maxNotes {
		a.notes = append(a.notes, fmt.Sprintf(format, args...))
	}
}

// tick counts a line and reports progress now and then.
func (a *Analyzer) tick() {
	a.lines++
	if a.cfg.progress != nil && a.lines&0x3fff == 0 {
		a.progress(false)
	}
}

func (a *Analyzer) progress(done bool) {
	if a.cfg.progress == nil || a.cur == nil {
		return
	}
	now := time.Now()
	if !done && now.Sub(a.lastTick) < a.cfg.progressStep {
		return
	}
	a.lastTick = now
	a.cfg.progress(Progress{Input: a.cur.Name, Bytes: a.curReader.n, Size: a.curSize, Lines: a.lines, Done: done})
}

// event analyses one message with the stream and time of its envelope.
func (a *Analyzer) event(msg, stream []byte, ts int64) {
	r := a.p.parseMessage(msg)
	if r.stream == nil {
		r.stream = stream
	}
	if r.envTS == 0 {
		r.envTS = ts
	}
	a.add(r)
}

// eventObject analyses one event object of an events document.
func (a *Analyzer) eventObject(obj, docStream []byte) {
	r := a.p.parseEvent(obj)
	if r.stream == nil {
		r.stream = docStream
	}
	a.add(r)
}

// add folds one record into the state.
func (a *Analyzer) add(r *record) {
	a.count(r.kind)
	a.flaws[r.flaw]++
	ts := r.ts
	if ts == 0 {
		ts = r.envTS
	}
	switch r.kind {
	case KindStartup:
		a.addStartup(r, ts)
	case KindInvocation:
		a.addInvocation(r, ts)
	case KindReport:
		a.addReport(r, ts)
	case KindShutdown:
		a.addShutdown(r, ts)
	}
}

func (a *Analyzer) window(ts int64) {
	if ts == 0 {
		return
	}
	if a.windowFirst == 0 || ts < a.windowFirst {
		a.windowFirst = ts
	}
	if ts > a.windowLast {
		a.windowLast = ts
	}
}

// sandbox returns the state of sandbox id, creating it; nil beyond the cap.
func (a *Analyzer) sandbox(id []byte) *sandboxState {
	if i, ok := a.byID[string(id)]; ok {
		return &a.sandboxes[i]
	}
	if len(a.sandboxes) >= a.cfg.maxSandboxes {
		a.untrackedLines++
		return nil
	}
	s := string(id)
	a.byID[s] = int32(len(a.sandboxes))
	a.sandboxes = append(a.sandboxes, sandboxState{id: s, fn: -1, vm: -1})
	return &a.sandboxes[len(a.sandboxes)-1]
}

func (a *Analyzer) touch(s *sandboxState, ts int64) {
	if ts == 0 {
		return
	}
	if s.first == 0 || ts < s.first {
		s.first = ts
	}
	if ts > s.last {
		s.last = ts
	}
}

// str interns a string (facts repeat across thousands of sandboxes).
func (a *Analyzer) str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if s, ok := a.intern[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(a.intern) < maxInterned {
		a.intern[s] = s
	}
	return s
}

func (a *Analyzer) addStartup(r *record, ts int64) {
	a.window(ts)
	s := a.sandbox(r.sandboxID)
	if !a.secondStartup(s, r) {
		if b := a.bin(ts); b != nil {
			b.startups++
		}
		if s != nil {
			s.startups++
		}
	}
	if s == nil {
		return
	}
	if s.startup == 0 || (ts != 0 && ts < s.startup) {
		s.startup = ts
	}
	a.touch(s, ts)
	s.coTenants = int32(min(r.st.coTenants, 1<<30))
	s.process = string(r.st.idScope) == "process"
	if len(r.st.function) > 0 && s.fn < 0 {
		s.fn = a.function(r)
	}
	if s.startups == 1 {
		a.startupNetwork(s, r)
	}
	if len(r.st.bootID) > 0 && s.vm < 0 {
		s.vm = a.vm(r)
		a.vms[s.vm].sandboxes++
	}
}

func (a *Analyzer) function(r *record) int32 {
	name := r.st.function
	i, ok := a.fnByName[string(name)]
	if !ok {
		i = int32(len(a.fns))
		n := string(name)
		a.fnByName[n] = i
		a.fns = append(a.fns, fnState{name: n, region: a.str(r.st.region), memoryMB: map[int]struct{}{}})
	}
	if f := &a.fns[i]; len(f.memoryMB) < maxMemSizes && r.st.memoryMB > 0 {
		f.memoryMB[r.st.memoryMB] = struct{}{}
	}
	return i
}

func (a *Analyzer) vm(r *record) int32 {
	if i, ok := a.vmByBoot[string(r.st.bootID)]; ok {
		return i
	}
	st := &r.st
	hp := hostProfile{
		arch: a.str(st.arch), kernel: a.str(st.kernel), cpuModel: a.str(st.cpuModel), microarch: a.str(st.microarch),
		hypervisor: a.str(st.hypervisor), families: a.str(st.families), hostCPUs: a.str(st.hostCPUs), types: a.str(st.types),
		confidence: a.str(st.confidence), cacheKB: st.cacheKB,
	}
	p, ok := a.profileOf[hp]
	if !ok {
		p = int32(len(a.profiles))
		a.profileOf[hp] = p
		a.profiles = append(a.profiles, hp)
	}
	i := int32(len(a.vms))
	v := vmState{bootID: string(st.bootID), profile: p, memTotal: st.memTotal}
	a.vmByBoot[v.bootID] = i
	a.vms = append(a.vms, v)
	return i
}

func (a *Analyzer) addInvocation(r *record, ts int64) {
	a.window(ts)
	if a.extensionDuplicate(r, ts) {
		return
	}
	inv := &r.inv
	// A keep-warm ping is counted apart: its cold start is the ping's,
	// not a user's. It still is the sandbox's first invocation if it came
	// first, and it takes a seq.
	userCold := inv.cold && !inv.ping
	if inv.ping {
		a.pings++
		if inv.cold {
			a.pingsCold++
		}
	} else {
		a.invocations++
	}
	if userCold {
		a.cold++
	}
	proactive := inv.first && string(inv.reason) == reasonProactive
	if inv.first {
		a.firsts++
		if proactive {
			a.proactive++
		}
		reason := a.str(inv.reason)
		if _, ok := a.firstReasons[reason]; ok || len(a.firstReasons) < maxReasons {
			a.firstReasons[reason]++
		} else {
			a.firstReasons["(other)"]++
		}
	}
	if b := a.bin(ts); b != nil && !inv.ping {
		b.invocations++
		if userCold {
			b.cold++
		}
	}
	if b := a.bin(ts); b != nil {
		if inv.first {
			b.firsts++
		}
		if proactive {
			b.proactive++
		}
	}
	s := a.sandbox(r.sandboxID)
	a.addVMSample(s, ts, &r.vm)
	if s == nil {
		return
	}
	a.touch(s, ts)
	if r.extension {
		if s.extInvs < maxExtReqs {
			s.extReqs[s.extInvs] = string(r.requestID)
		}
		s.extInvs++
	}
	if inv.ping {
		s.pings++
	} else {
		s.invocations++
	}
	if userCold {
		s.cold++
	}
	s.maxSeq = max(s.maxSeq, inv.seq)
	if !inv.first {
		return
	}
	s.firsts++
	if s.firsts > 1 {
		return // a duplicate line: keep the first one's facts
	}
	s.firstInv = ts
	s.firstCold = inv.cold
	s.reason = a.str(inv.reason)
	s.sinceInitMs = inv.sinceInitMs
	if len(r.requestID) > 0 {
		req := string(r.requestID)
		a.firstReq[req] = a.byID[s.id]
		if p, ok := a.pendingInit[req]; ok {
			delete(a.pendingInit, req)
			a.attributeReport(s, p.ts, true, p.initMs)
		}
	}
}

// addShutdown reads a shutdown line: the sandbox's end and, when the line
// tells it, its exact lifetime (the extension's shutdown.lifetime_ms, else
// the line's time less the process start).
func (a *Analyzer) addShutdown(r *record, ts int64) {
	a.window(ts)
	s := a.sandbox(r.sandboxID)
	if s == nil {
		return
	}
	e := &r.end
	a.touch(s, ts)
	for _, t := range [...]int64{e.firstInv, e.lastInv} {
		if t > 0 {
			a.touch(s, t)
		}
	}
	a.sourceSeen(s, r)
	if s.ended != 0 && (s.extEnd || !r.extension) {
		return // a duplicate line: keep the first one's facts (the extension's, which knows why it ended)
	}
	s.extEnd = r.extension
	s.ended = ts
	s.endReason = a.str(e.reason)
	switch {
	case e.hasLifetime && e.lifetimeMs < 1<<40:
		s.lifetime = int64(e.lifetimeMs * float64(time.Millisecond))
	case ts > 0 && e.processStart > 0 && ts > e.processStart:
		s.lifetime = ts - e.processStart
	}
}

// attributeReport ties a REPORT to its sandbox.
func (a *Analyzer) attributeReport(s *sandboxState, ts int64, hasInit bool, initMs float64) {
	a.reportsAttributed++
	s.reports++
	a.touch(s, ts)
	if hasInit && !s.hasInit {
		s.hasInit, s.initMs = true, initMs
	}
}

func (a *Analyzer) addReport(r *record, ts int64) {
	a.window(ts)
	rep := &r.rep
	a.reports++
	if rep.hasInit {
		a.reportInits++
		a.reportInitMs.add(rep.initMs)
	}
	a.reportMaxMemMB = max(a.reportMaxMemMB, rep.maxMemoryMB)
	if rep.memoryMB > 0 {
		if _, ok := a.reportMemSizes[rep.memoryMB]; ok || len(a.reportMemSizes) < maxMemSizes {
			a.reportMemSizes[rep.memoryMB]++
		}
	}
	if b := a.bin(ts); b != nil {
		b.reports++
		if rep.hasInit {
			b.reportInits++
		}
	}
	// Whose REPORT is it? The log stream says; else the request id of a
	// first invocation does (only those carry an Init Duration).
	var s *sandboxState
	if g := streamGUID(r.stream); g != nil {
		if i, ok := a.byID[string(g)]; ok {
			s = &a.sandboxes[i]
		}
	}
	if s == nil && rep.hasInit && len(r.requestID) > 0 {
		if i, ok := a.firstReq[string(r.requestID)]; ok {
			s = &a.sandboxes[i]
			delete(a.firstReq, string(r.requestID)) // one REPORT per invocation
		} else if len(a.pendingInit) < maxPending {
			a.pendingInit[string(r.requestID)] = pendingReport{initMs: rep.initMs, ts: ts}
		}
	}
	if s != nil {
		a.attributeReport(s, ts, rep.hasInit, rep.initMs)
	}
}

// bin returns the counters of the bin holding ts (nil for ts 0), widening
// the bins when there would be too many.
func (a *Analyzer) bin(ts int64) *binCounts {
	if ts == 0 {
		return nil
	}
	idx := floorDiv(ts, a.binWidth)
	if idx == a.lastBin {
		return a.lastBinP
	}
	b, ok := a.bins[idx]
	if !ok {
		if len(a.bins) >= a.cfg.maxBins {
			a.widenBins()
			return a.bin(ts)
		}
		b = &binCounts{}
		a.bins[idx] = b
	}
	a.lastBin, a.lastBinP = idx, b
	return b
}

// widenBins doubles the bin width, merging pairs of bins.
func (a *Analyzer) widenBins() {
	a.binWidth *= 2
	a.binShift++ // the sandboxes' cells follow when next touched (stealseries.go)
	merged := make(map[int64]*binCounts, len(a.bins)/2+1)
	for idx, b := range a.bins {
		n := floorDiv(idx, 2)
		m, ok := merged[n]
		if !ok {
			merged[n] = b
			continue
		}
		m.invocations += b.invocations
		m.cold += b.cold
		m.firsts += b.firsts
		m.proactive += b.proactive
		m.startups += b.startups
		m.reports += b.reports
		m.reportInits += b.reportInits
		m.vmSamples += b.vmSamples
		m.cpuMs += b.cpuMs
		m.stealMs += b.stealMs
	}
	a.bins = merged
	a.lastBin, a.lastBinP = -1<<62, nil
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
