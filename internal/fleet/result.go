package fleet

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// Result is the analysis of everything read. Its JSON form is the output of
// `faasprobe fleet --json`; docs/fleet.md defines every figure.
type Result struct {
	Inputs []InputStats `json:"inputs"`
	// Lines: physical lines read (events, for an events document).
	Lines int64 `json:"lines"`
	// Kinds: records by Kind (every Kind listed, zeros included).
	Kinds  map[string]int64 `json:"kinds"`
	Window Window           `json:"window"`
	Totals Totals           `json:"totals"`
	Cold   ColdStarts       `json:"cold_starts"`
	// Lifetime: per sandbox, in seconds: exact where a shutdown line tells
	// it (LifetimesExact), else last seen − first seen, a lower bound
	// (LifetimesLowerBound).
	Lifetime            Dist `json:"sandbox_lifetime_s"`
	LifetimesExact      int  `json:"sandbox_lifetimes_exact"`
	LifetimesLowerBound int  `json:"sandbox_lifetimes_lower_bound"`
	// ShutdownReasons: sandboxes with a shutdown line, by shutdown.reason
	// ("(none)" when the line has none).
	ShutdownReasons []Count `json:"shutdown_reasons"`
	// InvocationsPerSandbox: invocation lines per sandbox.
	InvocationsPerSandbox Dist            `json:"invocations_per_sandbox"`
	Hosts                 Hosts           `json:"hosts"`
	Functions             []FunctionStats `json:"functions"`
	CPUs                  []CPUStats      `json:"cpus"`
	// InstanceFamilies, HostCPUs, InstanceTypes: the candidate lists of
	// startup lines (host.instance.*), comma-joined as written, by VMs.
	InstanceFamilies []Count `json:"instance_families"`
	HostCPUs         []Count `json:"host_cpus"`
	InstanceTypes    []Count `json:"instance_types"`
	Hypervisors      []Count `json:"hypervisors"`
	Kernels          []Count `json:"kernels"`
	Reports          Reports `json:"reports"`
	// Steal: the VM samples of invocation lines: steal share and memory
	// headroom per VM and per function, the contended VMs (steal.go).
	Steal  StealStats `json:"steal"`
	Series []Bin      `json:"series"`
	Notes  []string   `json:"notes"`
}

// InputStats describes one input.
type InputStats struct {
	Name    string `json:"name"`
	Format  string `json:"format"` // FormatLines or FormatEvents
	Gzip    bool   `json:"gzip,omitempty"`
	Bytes   int64  `json:"bytes"`   // bytes read (compressed, for gzip)
	Lines   int64  `json:"lines"`   // physical lines (events, for FormatEvents)
	Records int64  `json:"records"` // log records (an `aws logs tail --format json` record spans lines)
}

// Window is the time span of the records read (startup, invocation, REPORT).
type Window struct {
	First time.Time `json:"first"`
	Last  time.Time `json:"last"`
	// BinSeconds is the width of the Series bins (WithBin, doubled as
	// often as needed to stay within WithMaxBins).
	BinSeconds float64 `json:"bin_s"`
}

// Totals counts what was seen.
type Totals struct {
	// Sandboxes: distinct sandbox ids in startup and invocation lines
	// (tracked, see SandboxesCapped).
	Sandboxes int `json:"sandboxes"`
	// SandboxesCapped: lines of sandboxes beyond WithMaxSandboxes, counted
	// in the totals of Cold but not per sandbox.
	SandboxesCapped int64 `json:"sandboxes_capped_lines,omitempty"`
	// WithStartup: sandboxes whose startup line was read; the others
	// started before the input (or their startup line was lost).
	WithStartup int `json:"with_startup"`
	// NeverInvoked: sandboxes with a startup line and no invocation line
	// (a ping's counts as one).
	NeverInvoked int `json:"never_invoked"`
	// ProcessScoped: sandboxes whose id is per process (sandbox.id_scope
	// "process": no platform id, e.g. the emulator's "$LATEST" stream);
	// a restarted process counts as a new sandbox.
	ProcessScoped int `json:"process_scoped"`
	// DuplicateStartups, DuplicateFirsts: sandboxes with more than one
	// startup line or first invocation — overlapping inputs read twice.
	DuplicateStartups int `json:"duplicate_startups"`
	DuplicateFirsts   int `json:"duplicate_first_invocations"`
	// ExtensionDuplicates: invocation lines of the Lambda extension
	// ("source":"extension") dropped because the library logged the same
	// sandbox's invocations (a function that uses both).
	ExtensionDuplicates int64 `json:"extension_duplicates"`
	// VMs: distinct boot ids (host.boot_id) of startup lines.
	VMs int `json:"vms"`
	// WithoutVM: sandboxes whose boot id is unknown (no startup line read).
	WithoutVM int `json:"sandboxes_without_vm"`
	// Shutdowns: sandboxes with a shutdown line (faasprobe.shutdown).
	Shutdowns int `json:"shutdowns"`
	// Functions: distinct function names (platform.function_name).
	Functions int `json:"functions"`
}

// ColdStarts: what the invocation lines say.
type ColdStarts struct {
	// Invocations: invocation lines of user invocations (pings apart).
	Invocations int64 `json:"invocations"`
	// Cold: user invocation lines with invocation.cold true.
	Cold     int64   `json:"cold"`
	ColdRate float64 `json:"cold_rate"` // Cold / Invocations; 0 without invocations
	// Pings: invocation lines of keep-warm pings (with a "ping" object);
	// PingsCold: those with invocation.cold true — cold starts a ping paid
	// instead of a user.
	Pings     int64 `json:"pings"`
	PingsCold int64 `json:"pings_cold"`
	// FirstInvocations: invocation lines with invocation.first true, pings
	// included (one per sandbox that was invoked within the input).
	FirstInvocations int64 `json:"first_invocations"`
	// FirstReasons: first invocations by invocation.reason.
	FirstReasons map[string]int64 `json:"first_reasons"`
	// ProactiveInit: first invocations with reason "proactive-init".
	ProactiveInit int64 `json:"proactive_init"`
	// ProactiveShare: ProactiveInit over the first invocations of on-demand
	// sandboxes (reasons on-demand, proactive-init and unknown); 0 if none.
	ProactiveShare float64 `json:"proactive_share"`
	// FirstGapMs: invocation.since_init_ms of first invocations: the wait
	// between init end and the first request (> 10 s: proactive).
	FirstGapMs Dist `json:"first_invocation_gap_ms"`
	// MissingInvocations: Σ over sandboxes of (highest invocation.seq −
	// invocation lines read, pings included), when positive: invocations whose lines are
	// not in the input (filtered, sampled or outside the window).
	MissingInvocations int64 `json:"missing_invocations"`
}

// Hosts: how sandboxes spread over VMs.
type Hosts struct {
	// SandboxesPerVM: sandboxes per boot id, over VMs.
	SandboxesPerVM Dist `json:"sandboxes_per_vm"`
	// ConcurrentPerVM: per VM, the most sandboxes alive at once (first to
	// last seen overlapping): co-tenants observed.
	ConcurrentPerVM Dist `json:"concurrent_sandboxes_per_vm"`
	// VMsShared: VMs that hosted more than one sandbox; VMsConcurrent: VMs
	// that hosted more than one at the same time.
	VMsShared     int `json:"vms_shared"`
	VMsConcurrent int `json:"vms_concurrent"`
	// CoTenantEstimates: sandbox.co_tenants.per_vm (faasprobe's own
	// estimate of how many sandboxes of this size the VM could hold) over
	// sandboxes with a startup line.
	CoTenantEstimates []Count `json:"co_tenant_estimates"`
}

// FunctionStats: one function.
type FunctionStats struct {
	Name      string `json:"name"`
	Region    string `json:"region"`
	MemoryMB  []int  `json:"memory_mb"`
	Sandboxes int    `json:"sandboxes"`
	// VMs: distinct boot ids under the function's sandboxes.
	VMs              int     `json:"vms"`
	Invocations      int64   `json:"invocations"`
	Cold             int64   `json:"cold"`
	ColdRate         float64 `json:"cold_rate"`
	FirstInvocations int64   `json:"first_invocations"`
	ProactiveInit    int64   `json:"proactive_init"`
	// MaxVMsInBin: the most VMs the function ran on within one Series bin.
	MaxVMsInBin int `json:"max_vms_in_bin"`
	// Subnets: the subnets its sandboxes had addresses in (startup lines'
	// host.network.addresses), with the VMs and AZ ids seen in each.
	Subnets []SubnetStats `json:"subnets"`
}

// CPUStats: one CPU as startup lines describe it.
type CPUStats struct {
	ModelName         string `json:"model_name"`
	CacheKB           int    `json:"cache_kb"`
	Microarchitecture string `json:"microarchitecture"`
	Arch              string `json:"arch"`
	VMs               int    `json:"vms"`
	Sandboxes         int    `json:"sandboxes"`
}

// Count is a value and the number of VMs (or sandboxes) it was seen on.
type Count struct {
	Value string `json:"value"`
	N     int    `json:"n"`
}

// Reports: Lambda's REPORT records.
type Reports struct {
	Count int64 `json:"count"`
	// WithInit: records with an Init Duration: the invocation ran the init
	// (a cold start the caller waited for; proactive inits have none).
	WithInit int64 `json:"with_init"`
	// ColdRate: WithInit / Count — the usual REPORT-based cold-start rate.
	ColdRate float64 `json:"cold_rate"`
	InitMs   Dist    `json:"init_duration_ms"`
	// Attributed: records tied to a sandbox (by log stream, or by the
	// request id of its first invocation).
	Attributed        int64 `json:"attributed"`
	SandboxesWithInit int   `json:"sandboxes_with_init"`
	// SandboxInitMs: the Init Duration per sandbox that has one.
	SandboxInitMs   Dist  `json:"sandbox_init_duration_ms"`
	MaxMemoryUsedMB int   `json:"max_memory_used_mb"`
	MemorySizesMB   []int `json:"memory_sizes_mb"`
}

// Bin is one time bin of the series.
type Bin struct {
	Start            time.Time `json:"start"`
	Invocations      int64     `json:"invocations"`
	Cold             int64     `json:"cold"`
	ColdRate         float64   `json:"cold_rate"`
	FirstInvocations int64     `json:"first_invocations"`
	ProactiveInit    int64     `json:"proactive_init"`
	Startups         int64     `json:"startups"`
	Reports          int64     `json:"reports"`
	ReportInits      int64     `json:"report_inits"`
	// StealShare: Σ vm.steal_ms / Σ vm.cpu_ms of the bin's VM samples; 0
	// without any.
	StealShare float64 `json:"steal_share"`
	// VMSamples: invocation lines with a VM sample in the bin.
	VMSamples int64 `json:"vm_samples"`
	// ActiveSandboxes, ActiveVMs: sandboxes (VMs) whose first-to-last-seen
	// span touches the bin.
	ActiveSandboxes int `json:"active_sandboxes"`
	ActiveVMs       int `json:"active_vms"`
	// VMsByFunction: active VMs per function (the 20 functions with the
	// most invocations).
	VMsByFunction map[string]int `json:"vms_by_function,omitempty"`
}

// maxSeriesFunctions bounds Bin.VMsByFunction.
const maxSeriesFunctions = 20

func rate(n, d int64) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) / float64(d)
}

func timeOf(ns int64) time.Time {
	if ns == 0 {
		return time.Time{}
	}
	return time.Unix(0, ns).UTC()
}

// Result computes the analysis of everything read so far.
func (a *Analyzer) Result() *Result {
	res := &Result{Lines: a.lines, Kinds: make(map[string]int64, numKinds)}
	for _, in := range a.inputs {
		res.Inputs = append(res.Inputs, *in)
	}
	for k := range numKinds {
		res.Kinds[k.String()] = a.kinds[k]
	}
	res.Window = Window{First: timeOf(a.windowFirst), Last: timeOf(a.windowLast), BinSeconds: time.Duration(a.binWidth).Seconds()}
	res.Notes = append([]string{}, a.notes...)
	if n := a.flaws[flawTooLong]; n > 0 {
		res.note("%d records had a string over %d bytes (a list over %d) and count as incomplete", n, MaxFieldBytes, MaxListBytes)
	}
	if n := a.flaws[flawDuration]; n > 0 {
		res.note("%d records had a duration that is negative, not finite or over %.0f ms and count as incomplete", n, float64(MaxMillis))
	}
	if a.binWidth != int64(a.cfg.bin) {
		res.note("time bins widened from %v to %v to stay within %d bins", a.cfg.bin, time.Duration(a.binWidth), a.cfg.maxBins)
	}

	a.totals(res)
	a.coldStarts(res)
	a.hosts(res)
	a.machines(res)
	a.reportStats(res)
	a.series(res)
	a.functions(res)
	a.steal(res)
	if a.untrackedLines > 0 {
		res.note("more than %d sandboxes: %d lines of further sandboxes count in the totals only (raise --max-sandboxes)", a.cfg.maxSandboxes, a.untrackedLines)
	}
	return res
}

func (res *Result) note(format string, args ...any) {
	res.Notes = append(res.Notes, fmt.Sprintf(format, args...))
}

func (a *Analyzer) totals(res *Result) {
	t := &res.Totals
	t.Sandboxes, t.VMs, t.Functions = len(a.sandboxes), len(a.vms), len(a.fns)
	t.SandboxesCapped = a.untrackedLines
	t.ExtensionDuplicates = a.extensionDuplicates
	var life, invs []float64
	reasons := map[string]int{}
	for i := range a.sandboxes {
		s := &a.sandboxes[i]
		if s.startups > 0 {
			t.WithStartup++
			if s.invocations == 0 && s.pings == 0 {
				t.NeverInvoked++
			}
		}
		if s.process {
			t.ProcessScoped++
		}
		if s.startups > 1 {
			t.DuplicateStartups++
		}
		if s.firsts > 1 {
			t.DuplicateFirsts++
		}
		if s.vm < 0 {
			t.WithoutVM++
		}
		if s.ended != 0 {
			t.Shutdowns++
			reasons[s.endReason]++
		}
		switch {
		case s.lifetime > 0:
			life = append(life, time.Duration(s.lifetime).Seconds())
			res.LifetimesExact++
		case s.first != 0:
			life = append(life, time.Duration(s.last-s.first).Seconds())
			res.LifetimesLowerBound++
		}
		invs = append(invs, float64(s.invocations))
	}
	res.Lifetime = summarize(life)
	res.ShutdownReasons = sortedCounts(reasons)
	res.InvocationsPerSandbox = summarize(invs)
}

func (a *Analyzer) coldStarts(res *Result) {
	c := &res.Cold
	c.Invocations, c.Cold, c.FirstInvocations, c.ProactiveInit = a.invocations, a.cold, a.firsts, a.proactive
	c.Pings, c.PingsCold = a.pings, a.pingsCold
	c.ColdRate = rate(a.cold, a.invocations)
	c.FirstReasons = maps.Clone(a.firstReasons)
	onDemand := a.firstReasons["on-demand"] + a.firstReasons[reasonProactive] + a.firstReasons["unknown"]
	c.ProactiveShare = rate(a.proactive, onDemand)
	var gaps []float64
	for i := range a.sandboxes {
		s := &a.sandboxes[i]
		if s.firsts > 0 {
			gaps = append(gaps, s.sinceInitMs)
		}
		if seen := uint64(s.invocations) + uint64(s.pings); s.maxSeq > seen {
			c.MissingInvocations += int64(s.maxSeq - seen)
		}
	}
	c.FirstGapMs = summarize(gaps)
}

// interval is a span of time under a key (a VM, a function × VM).
type interval struct {
	key         int64
	first, last int64
}

func (a *Analyzer) hosts(res *Result) {
	h := &res.Hosts
	perVM := make([]float64, len(a.vms))
	for i, v := range a.vms {
		perVM[i] = float64(v.sandboxes)
		if v.sandboxes > 1 {
			h.VMsShared++
		}
	}
	h.SandboxesPerVM = summarize(perVM)

	// Most sandboxes alive at once, per VM: sweep the sandboxes' spans.
	concurrent := make([]float64, len(a.vms))
	type point struct {
		vm int32
		t  int64
		d  int
	}
	var points []point
	for i := range a.sandboxes {
		if s := &a.sandboxes[i]; s.vm >= 0 && s.first != 0 {
			points = append(points, point{s.vm, s.first, +1}, point{s.vm, s.last, -1})
		}
	}
	// At equal times, starts before ends: sandboxes that touch overlap.
	slices.SortFunc(points, func(x, y point) int {
		return cmp.Or(cmp.Compare(x.vm, y.vm), cmp.Compare(x.t, y.t), -cmp.Compare(x.d, y.d))
	})
	cur := 0
	for i, p := range points {
		if i == 0 || p.vm != points[i-1].vm {
			cur = 0
		}
		cur += p.d
		concurrent[p.vm] = max(concurrent[p.vm], float64(cur))
	}
	for _, c := range concurrent {
		if c > 1 {
			h.VMsConcurrent++
		}
	}
	h.ConcurrentPerVM = summarize(concurrent)

	est := map[string]int{}
	for i := range a.sandboxes {
		if s := &a.sandboxes[i]; s.startups > 0 {
			est[fmt.Sprint(s.coTenants)]++
		}
	}
	h.CoTenantEstimates = sortedCounts(est)
}

func (a *Analyzer) machines(res *Result) {
	type cpuKey struct {
		model, micro, arch string
		cache              int
	}
	cpus := map[cpuKey]*CPUStats{}
	fam, hc, types, hyp, kern := map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}, map[string]int{}
	for _, vm := range a.vms {
		v := &a.profiles[vm.profile]
		k := cpuKey{v.cpuModel, v.microarch, v.arch, v.cacheKB}
		c, ok := cpus[k]
		if !ok {
			c = &CPUStats{ModelName: v.cpuModel, CacheKB: v.cacheKB, Microarchitecture: v.microarch, Arch: v.arch}
			cpus[k] = c
		}
		c.VMs++
		c.Sandboxes += int(vm.sandboxes)
		fam[v.families]++
		hc[v.hostCPUs]++
		types[v.types]++
		hyp[v.hypervisor]++
		kern[v.kernel]++
	}
	for _, c := range cpus {
		res.CPUs = append(res.CPUs, *c)
	}
	slices.SortFunc(res.CPUs, func(x, y CPUStats) int {
		return cmp.Or(-cmp.Compare(x.VMs, y.VMs), strings.Compare(x.ModelName, y.ModelName), cmp.Compare(x.CacheKB, y.CacheKB), strings.Compare(x.Arch, y.Arch))
	})
	res.InstanceFamilies, res.HostCPUs, res.InstanceTypes = sortedCounts(fam), sortedCounts(hc), sortedCounts(types)
	res.Hypervisors, res.Kernels = sortedCounts(hyp), sortedCounts(kern)
	if res.CPUs == nil {
		res.CPUs = []CPUStats{}
	}
}

// sortedCounts lists a tally, most first; "" is shown as "(none)".
func sortedCounts(m map[string]int) []Count {
	out := make([]Count, 0, len(m))
	for v, n := range m {
		if v == "" {
			v = "(none)"
		}
		out = append(out, Count{Value: v, N: n})
	}
	slices.SortFunc(out, func(x, y Count) int { return cmp.Or(-cmp.Compare(x.N, y.N), strings.Compare(x.Value, y.Value)) })
	return out
}

func (a *Analyzer) reportStats(res *Result) {
	r := &res.Reports
	r.Count, r.WithInit, r.Attributed = a.reports, a.reportInits, a.reportsAttributed
	r.ColdRate = rate(a.reportInits, a.reports)
	r.InitMs = a.reportInitMs.dist()
	r.MaxMemoryUsedMB = a.reportMaxMemMB
	r.MemorySizesMB = slices.Sorted(maps.Keys(a.reportMemSizes))
	if r.MemorySizesMB == nil {
		r.MemorySizesMB = []int{}
	}
	var inits []float64
	for i := range a.sandboxes {
		if s := &a.sandboxes[i]; s.hasInit {
			inits = append(inits, s.initMs)
		}
	}
	r.SandboxesWithInit = len(inits)
	r.SandboxInitMs = summarize(inits)
	if len(a.pendingInit) > 0 {
		res.note("%d REPORT lines with an Init Duration matched no sandbox (no log stream, and no invocation line with their request id)", len(a.pendingInit))
	}
}

// series builds the time bins: the counters, plus sandboxes and VMs active
// in each bin (from the sandboxes' first-to-last-seen spans).
func (a *Analyzer) series(res *Result) {
	idxs := slices.Sorted(maps.Keys(a.bins))
	w := a.binWidth
	// List every bin from the first to the last when they are few enough
	// (quiet bins then show their active sandboxes); else only busy ones.
	if n := len(idxs); n > 1 && idxs[n-1]-idxs[0] < int64(a.cfg.maxBins) {
		all := make([]int64, 0, idxs[n-1]-idxs[0]+1)
		for i := idxs[0]; i <= idxs[n-1]; i++ {
			all = append(all, i)
		}
		idxs = all
	}
	// span coverage over the listed bins, by difference arrays
	cover := func(first, last int64, diff []int) {
		lo, _ := slices.BinarySearch(idxs, floorDiv(first, w))
		hi, found := slices.BinarySearch(idxs, floorDiv(last, w))
		if found {
			hi++
		}
		if lo < hi {
			diff[lo]++
			diff[hi]--
		}
	}
	sbDiff := make([]int, len(idxs)+1)
	for i := range a.sandboxes {
		if s := &a.sandboxes[i]; s.first != 0 {
			cover(s.first, s.last, sbDiff)
		}
	}
	// per VM (and per function × VM): the union of its sandboxes' spans
	vmDiff := make([]int, len(idxs)+1)
	top := a.topFunctions(maxSeriesFunctions)
	fnDiff := make(map[int32][]int, len(top))
	for _, f := range top {
		fnDiff[f] = make([]int, len(idxs)+1)
	}
	unionSpans(a.sandboxes, func(s *sandboxState) int64 { return int64(s.vm) }, func(_ int64, first, last int64) {
		cover(first, last, vmDiff)
	})
	unionSpans(a.sandboxes, func(s *sandboxState) int64 {
		if s.vm < 0 || s.fn < 0 {
			return -1
		}
		return int64(s.fn)<<32 | int64(s.vm)
	}, func(key int64, first, last int64) {
		if d, ok := fnDiff[int32(key>>32)]; ok {
			cover(first, last, d)
		}
	})
	res.Series = make([]Bin, len(idxs))
	sb, vm := 0, 0
	fnRun := make(map[int32]int, len(top))
	for i, idx := range idxs {
		b := a.bins[idx]
		if b == nil {
			b = &binCounts{}
		}
		sb += sbDiff[i]
		vm += vmDiff[i]
		bin := Bin{
			Start:       time.Unix(0, idx*w).UTC(),
			Invocations: b.invocations, Cold: b.cold, ColdRate: rate(b.cold, b.invocations),
			FirstInvocations: b.firsts, ProactiveInit: b.proactive, Startups: b.startups,
			Reports: b.reports, ReportInits: b.reportInits, StealShare: binStealShare(b), VMSamples: b.vmSamples,
			ActiveSandboxes: sb, ActiveVMs: vm,
		}
		if len(top) > 0 {
			bin.VMsByFunction = make(map[string]int, len(top))
			for _, f := range top {
				fnRun[f] += fnDiff[f][i]
				bin.VMsByFunction[a.fns[f].name] = fnRun[f]
			}
		}
		res.Series[i] = bin
	}
}

// unionSpans calls emit with the union of the spans of the sandboxes that
// share a key (key < 0: skipped).
func unionSpans(sandboxes []sandboxState, key func(*sandboxState) int64, emit func(key int64, first, last int64)) {
	var spans []interval
	for i := range sandboxes {
		s := &sandboxes[i]
		if k := key(s); k >= 0 && s.first != 0 {
			spans = append(spans, interval{key: k, first: s.first, last: s.last})
		}
	}
	slices.SortFunc(spans, func(x, y interval) int { return cmp.Or(cmp.Compare(x.key, y.key), cmp.Compare(x.first, y.first)) })
	for i := 0; i < len(spans); {
		cur := spans[i]
		j := i + 1
		for ; j < len(spans) && spans[j].key == cur.key && spans[j].first <= cur.last; j++ {
			cur.last = max(cur.last, spans[j].last)
		}
		emit(cur.key, cur.first, cur.last)
		i = j
	}
}

// topFunctions returns the indexes of the n functions with the most
// invocations.
func (a *Analyzer) topFunctions(n int) []int32 {
	inv := make([]int64, len(a.fns))
	for i := range a.sandboxes {
		if s := &a.sandboxes[i]; s.fn >= 0 {
			inv[s.fn] += int64(s.invocations)
		}
	}
	idx := make([]int32, len(a.fns))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortFunc(idx, func(x, y int32) int {
		return cmp.Or(-cmp.Compare(inv[x], inv[y]), strings.Compare(a.fns[x].name, a.fns[y].name))
	})
	return idx[:min(n, len(idx))]
}

func (a *Analyzer) functions(res *Result) {
	stats := make([]FunctionStats, len(a.fns))
	vms := make([]map[int32]struct{}, len(a.fns))
	for i, f := range a.fns {
		stats[i] = FunctionStats{Name: f.name, Region: f.region, MemoryMB: slices.Sorted(maps.Keys(f.memoryMB))}
		if stats[i].MemoryMB == nil {
			stats[i].MemoryMB = []int{}
		}
		vms[i] = map[int32]struct{}{}
	}
	for i := range a.sandboxes {
		s := &a.sandboxes[i]
		if s.fn < 0 {
			continue
		}
		f := &stats[s.fn]
		f.Sandboxes++
		f.Invocations += int64(s.invocations)
		f.Cold += int64(s.cold)
		if s.firsts > 0 {
			f.FirstInvocations++
			if s.reason == reasonProactive {
				f.ProactiveInit++
			}
		}
		if s.vm >= 0 {
			vms[s.fn][s.vm] = struct{}{}
		}
	}
	for i := range stats {
		stats[i].VMs = len(vms[i])
		stats[i].Subnets = a.functionSubnets(int32(i))
		stats[i].ColdRate = rate(stats[i].Cold, stats[i].Invocations)
		for _, b := range res.Series {
			stats[i].MaxVMsInBin = max(stats[i].MaxVMsInBin, b.VMsByFunction[stats[i].Name])
		}
	}
	slices.SortFunc(stats, func(x, y FunctionStats) int {
		return cmp.Or(-cmp.Compare(x.Invocations, y.Invocations), strings.Compare(x.Name, y.Name))
	})
	res.Functions = stats
}

// Row is one sandbox of the timeline picture.
type Row struct {
	Sandbox  string
	VM       string // boot id; "" if unknown
	Function string
	// First, Last: first and last time seen. Startup: the startup line;
	// FirstInvocation: the first invocation (zero if not in the input).
	First, Last, Startup, FirstInvocation time.Time
	Cold                                  bool   // the first invocation was cold
	Reason                                string // its reason
	Invocations                           int    // user invocations (pings apart)
	Pings                                 int
	// Ended: the shutdown line's time (zero if none); ShutdownReason: its
	// shutdown.reason ("" if none).
	Ended          time.Time
	ShutdownReason string
	// StealShare: the steal share of its VM (all its sandboxes' samples);
	// -1 when unknown. Contended: at or above the threshold.
	StealShare float64
	Contended  bool
}

// Rows returns up to limit sandboxes with a known time, grouped by VM (VMs
// in order of first appearance, sandboxes of unknown VM last) and by first
// seen within a VM, and how many were left out.
func (a *Analyzer) Rows(limit int) (rows []Row, omitted int) {
	idx := make([]int, 0, len(a.sandboxes))
	vmFirst := make([]int64, len(a.vms))
	for i := range a.sandboxes {
		s := &a.sandboxes[i]
		if s.first == 0 {
			continue
		}
		idx = append(idx, i)
		if s.vm >= 0 && (vmFirst[s.vm] == 0 || s.first < vmFirst[s.vm]) {
			vmFirst[s.vm] = s.first
		}
	}
	vmOrder := func(s *sandboxState) (int, int64, int32) {
		if s.vm < 0 {
			return 1, 0, 0
		}
		return 0, vmFirst[s.vm], s.vm
	}
	slices.SortFunc(idx, func(i, j int) int {
		x, y := &a.sandboxes[i], &a.sandboxes[j]
		xg, xt, xv := vmOrder(x)
		yg, yt, yv := vmOrder(y)
		return cmp.Or(cmp.Compare(xg, yg), cmp.Compare(xt, yt), cmp.Compare(xv, yv), cmp.Compare(x.first, y.first), strings.Compare(x.id, y.id))
	})
	if limit >= 0 && len(idx) > limit {
		idx = idx[:limit]
	}
	var vms []VMSteal
	if a.vmSamples > 0 {
		vms = a.vmSteal()
	}
	rows = make([]Row, len(idx))
	for k, i := range idx {
		s := &a.sandboxes[i]
		r := Row{
			Sandbox: s.id, First: timeOf(s.first), Last: timeOf(s.last), Startup: timeOf(s.startup),
			FirstInvocation: timeOf(s.firstInv), Cold: s.firstCold,
			Reason: s.reason, Invocations: int(s.invocations), Pings: int(s.pings),
			Ended: timeOf(s.ended), ShutdownReason: s.endReason,
		}
		r.StealShare, r.Contended = rowSteal(vms, s)
		if s.vm >= 0 {
			r.VM = a.vms[s.vm].bootID
		}
		if s.fn >= 0 {
			r.Function = a.fns[s.fn].name
		}
		rows[k] = r
	}
	return rows, len(a.sandboxes) - len(rows)
}
