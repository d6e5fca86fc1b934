package fleet

import (
	"cmp"
	"slices"
	"strings"
)

// The VM samples of invocation lines ("vm": faasprobe.WithVMStats, the
// extension's FAASPROBE_VM_STATS=1): how much CPU time the hypervisor took
// from each VM (steal), and how close its memory came to running out.

// DefaultStealThreshold is the steal share at or above which a VM counts as
// contended: a tenth of its CPU time went to someone else.
const DefaultStealThreshold = 0.10

// maxContendedListed bounds StealStats.ContendedSandboxes and the VMs
// listed (the counts are complete).
const (
	maxContendedListed = 100
	maxVMsListed       = 100
)

// WithStealThreshold sets the steal share (0 to 1) at or above which a VM
// is contended; values outside are clamped, NaN is the default. Default:
// DefaultStealThreshold.
func WithStealThreshold(share float64) Option {
	return optionFunc(func(c *config) {
		if share != share { // NaN
			return
		}
		c.stealThreshold = min(max(share, 0), 1)
		c.stealSet = true
	})
}

// vmFacts is the "vm" object of one invocation line, in range (checkBounds
// drops a sample that is not).
type vmFacts struct {
	seen           bool
	hasCPU         bool
	cpuMs, stealMs float64
	memAvail       float64 // bytes; 0 unknown
	reset          bool    // vm.reset: the CPU figures are not a delta
}

// vmSums are one sandbox's VM samples, summed.
type vmSums struct {
	samples, resets uint32
	cpuMs, stealMs  float64
	minAvail        float64 // bytes; 0 until a sample carries memory
}

// addVMSample folds an invocation line's sample (at ts; 0 unknown) into
// the sandbox, the time bin and the sandbox's cell of that bin.
func (a *Analyzer) addVMSample(s *sandboxState, ts int64, v *vmFacts) {
	if !v.seen {
		return
	}
	b := a.bin(ts)
	a.vmSamples++
	if v.reset {
		a.vmResets++
	}
	use := v.hasCPU && !v.reset
	if b != nil {
		b.vmSamples++
	}
	if b != nil && use {
		b.cpuMs += v.cpuMs
		b.stealMs += v.stealMs
	}
	if s == nil {
		return
	}
	m := &s.vmSample
	m.samples++
	if v.reset {
		m.resets++
	}
	if use {
		m.cpuMs += v.cpuMs
		m.stealMs += v.stealMs
	}
	if v.memAvail > 0 && (m.minAvail == 0 || v.memAvail < m.minAvail) {
		m.minAvail = v.memAvail
	}
	if b != nil {
		a.addCell(s, floorDiv(ts, a.binWidth), v, use)
	}
}

// StealStats: what the VM samples say, per VM and per function.
type StealStats struct {
	// Samples: invocation lines with a "vm" object; Resets: of which had
	// vm.reset (their CPU figures are left out).
	Samples int64 `json:"samples"`
	Resets  int64 `json:"resets"`
	// StealShare: Σ vm.steal_ms / Σ vm.cpu_ms over every sample; 0 if no
	// CPU time was sampled.
	StealShare float64 `json:"steal_share"`
	// Threshold: the steal share at or above which a VM is contended
	// (WithStealThreshold).
	Threshold float64 `json:"contended_threshold"`
	// ContendedVMs: VMs whose steal share is at or above Threshold;
	// ContendedSandboxCount: sandboxes that ran on them, of which
	// ContendedSandboxes lists the first 100 by id.
	ContendedVMs          int      `json:"contended_vms"`
	ContendedSandboxCount int      `json:"contended_sandbox_count"`
	ContendedSandboxes    []string `json:"contended_sandboxes"`
	// VMs: the VMs with samples, most steal share first (the first 100).
	VMs []VMSteal `json:"vms"`
	// Functions: per function with samples, by name.
	Functions []FunctionSteal `json:"functions"`
}

// VMSteal is one VM (boot id) as its sandboxes' samples saw it.
type VMSteal struct {
	BootID    string  `json:"boot_id"`
	Sandboxes int     `json:"sandboxes"` // with samples
	Samples   int64   `json:"samples"`
	CPUMs     float64 `json:"cpu_ms"`
	StealMs   float64 `json:"steal_ms"`
	// StealShare: StealMs / CPUMs; 0 if no CPU time was sampled.
	StealShare float64 `json:"steal_share"`
	// MemoryTotalBytes: host.memory_total_bytes of its startup lines; 0
	// unknown. MinAvailableBytes: the least vm.memory_available_bytes
	// sampled; 0 unknown.
	MemoryTotalBytes  float64 `json:"memory_total_bytes"`
	MinAvailableBytes float64 `json:"min_available_bytes"`
	// Headroom: MinAvailableBytes / MemoryTotalBytes, the share of the
	// VM's memory still available at its tightest; -1 when either is
	// unknown.
	Headroom  float64 `json:"memory_headroom"`
	Contended bool    `json:"contended"`
	// Series: steal share and memory headroom per time bin with samples,
	// in time order; only for the 20 VMs with the most steal, empty for
	// the others.
	Series []StealPoint `json:"series"`
}

// FunctionSteal is one function's sandboxes as their samples saw their VMs.
type FunctionSteal struct {
	Name    string `json:"name"`
	Samples int64  `json:"samples"`
	// StealShare: over the samples of the function's sandboxes.
	StealShare float64 `json:"steal_share"`
	// MaxVMStealShare: the steal share of the most contended VM it ran on.
	MaxVMStealShare float64 `json:"max_vm_steal_share"`
	// MinHeadroom: the least Headroom of the VMs it ran on; -1 unknown.
	MinHeadroom float64 `json:"min_memory_headroom"`
	// ContendedSandboxes: its sandboxes on contended VMs.
	ContendedSandboxes int `json:"contended_sandboxes"`
	// Series: steal share and memory headroom of its sandboxes per time
	// bin with samples, in time order; only for the 20 functions with the
	// most samples, empty for the others.
	Series []StealPoint `json:"series"`
}

// stealThreshold is the configured threshold or the default.
func (c config) stealThresholdOrDefault() float64 {
	if c.stealSet {
		return c.stealThreshold
	}
	return DefaultStealThreshold
}

// vmSteal sums the samples of each VM's sandboxes (sandboxes of unknown VM
// are left out).
func (a *Analyzer) vmSteal() []VMSteal {
	out := make([]VMSteal, len(a.vms))
	for i, v := range a.vms {
		out[i] = VMSteal{BootID: v.bootID, MemoryTotalBytes: v.memTotal, Headroom: -1}
	}
	for i := range a.sandboxes {
		s := &a.sandboxes[i]
		m := &s.vmSample
		if s.vm < 0 || m.samples == 0 {
			continue
		}
		v := &out[s.vm]
		v.Sandboxes++
		v.Samples += int64(m.samples)
		v.CPUMs += m.cpuMs
		v.StealMs += m.stealMs
		if m.minAvail > 0 && (v.MinAvailableBytes == 0 || m.minAvail < v.MinAvailableBytes) {
			v.MinAvailableBytes = m.minAvail
		}
	}
	th := a.cfg.stealThresholdOrDefault()
	for i := range out {
		v := &out[i]
		if v.CPUMs > 0 {
			v.StealShare = v.StealMs / v.CPUMs
		}
		if v.MemoryTotalBytes > 0 && v.MinAvailableBytes > 0 {
			v.Headroom = min(v.MinAvailableBytes/v.MemoryTotalBytes, 1)
		}
		v.Contended = v.CPUMs > 0 && v.StealShare >= th
	}
	return out
}

// steal fills res.Steal and the steal share of the series' bins.
func (a *Analyzer) steal(res *Result) {
	st := &res.Steal
	st.Samples, st.Resets = a.vmSamples, a.vmResets
	st.Threshold = a.cfg.stealThresholdOrDefault()
	st.ContendedSandboxes, st.VMs, st.Functions = []string{}, []VMSteal{}, []FunctionSteal{}
	var cpu, steal float64
	for i := range a.sandboxes {
		cpu += a.sandboxes[i].vmSample.cpuMs
		steal += a.sandboxes[i].vmSample.stealMs
	}
	if cpu > 0 {
		st.StealShare = steal / cpu
	}
	if n := a.flaws[flawVM]; n > 0 {
		res.note("%d lines had a vm sample or memory total out of range (negative, not finite, steal above cpu, over %.0e ms or %d bytes); those figures were left out", n, float64(MaxCPUMillis), int64(MaxMemoryBytes))
	}
	if a.vmSamples == 0 {
		return
	}
	vms := a.vmSteal()
	fns := make([]FunctionSteal, len(a.fns))
	for i, f := range a.fns {
		fns[i] = FunctionSteal{Name: f.name, MinHeadroom: -1}
	}
	fnCPU := make([]float64, len(a.fns))
	fnSteal := make([]float64, len(a.fns))
	for i := range a.sandboxes {
		s := &a.sandboxes[i]
		if s.vm >= 0 && vms[s.vm].Contended {
			st.ContendedSandboxCount++
			st.ContendedSandboxes = append(st.ContendedSandboxes, s.id)
		}
		if s.fn < 0 {
			continue
		}
		f := &fns[s.fn]
		f.Samples += int64(s.vmSample.samples)
		fnCPU[s.fn] += s.vmSample.cpuMs
		fnSteal[s.fn] += s.vmSample.stealMs
		if s.vm < 0 || s.vmSample.samples == 0 {
			continue
		}
		v := &vms[s.vm]
		f.MaxVMStealShare = max(f.MaxVMStealShare, v.StealShare)
		if v.Headroom >= 0 && (f.MinHeadroom < 0 || v.Headroom < f.MinHeadroom) {
			f.MinHeadroom = v.Headroom
		}
		if v.Contended {
			f.ContendedSandboxes++
		}
	}
	slices.Sort(st.ContendedSandboxes)
	if len(st.ContendedSandboxes) > maxContendedListed {
		st.ContendedSandboxes = st.ContendedSandboxes[:maxContendedListed]
	}
	for i := range fns {
		if fns[i].Samples == 0 {
			continue
		}
		if fnCPU[i] > 0 {
			fns[i].StealShare = fnSteal[i] / fnCPU[i]
		}
		st.Functions = append(st.Functions, fns[i])
	}
	slices.SortFunc(st.Functions, func(x, y FunctionSteal) int { return strings.Compare(x.Name, y.Name) })
	for _, v := range vms {
		if v.Samples == 0 {
			continue
		}
		if v.Contended {
			st.ContendedVMs++
		}
		st.VMs = append(st.VMs, v)
	}
	slices.SortFunc(st.VMs, func(x, y VMSteal) int {
		return cmp.Or(-cmp.Compare(x.StealShare, y.StealShare), strings.Compare(x.BootID, y.BootID))
	})
	if len(st.VMs) > maxVMsListed {
		res.note("%d VMs with samples; the %d with the most steal are listed", len(st.VMs), maxVMsListed)
		st.VMs = st.VMs[:maxVMsListed]
	}
	a.stealSeries(res)
}

// binStealShare is a bin's steal share; 0 without sampled CPU time.
func binStealShare(b *binCounts) float64 {
	if b.cpuMs <= 0 {
		return 0
	}
	return b.stealMs / b.cpuMs
}

// rowSteal returns the steal share of a sandbox's VM (-1 when unknown: no
// VM, or no CPU time sampled on it) and whether the VM is contended.
func rowSteal(vms []VMSteal, s *sandboxState) (float64, bool) {
	if s.vm < 0 || vms == nil || vms[s.vm].CPUMs <= 0 {
		return -1, false
	}
	return vms[s.vm].StealShare, vms[s.vm].Contended
}

// writeSteal writes the VM section of WriteText; nothing without samples.
func writeSteal(ew *errWriter, res *Result) {
	p, st := ew.printf, &res.Steal
	if st.Samples == 0 {
		return
	}
	p("VM contention (vm samples of invocation lines)\n")
	p("  samples %s (%s resets), steal share %s; contended: steal share ≥ %s\n",
		group(st.Samples), group(st.Resets), pct(st.StealShare), pct(st.Threshold))
	p("  contended VMs %d, their sandboxes %d\n", st.ContendedVMs, st.ContendedSandboxCount)
	for i, v := range st.VMs {
		if i == 10 {
			p("  … %d more VMs (--json lists up to %d)\n", len(st.VMs)-10, maxVMsListed)
			break
		}
		mark := ""
		if v.Contended {
			mark = "  contended"
		}
		p("  VM %s  steal %s over %s  memory headroom %s  (%d sandboxes, %s samples)%s\n",
			clip(v.BootID, 36), pct(v.StealShare), fmtSeconds(v.CPUMs/1000), headroom(v.Headroom), v.Sandboxes, group(v.Samples), mark)
	}
	for _, f := range st.Functions {
		p("  function %s  steal %s (worst VM %s)  min headroom %s  %d sandboxes on contended VMs\n",
			clip(f.Name, 64), pct(f.StealShare), pct(f.MaxVMStealShare), headroom(f.MinHeadroom), f.ContendedSandboxes)
	}
	if len(st.ContendedSandboxes) > 0 {
		p("  on contended VMs: %s", strings.Join(st.ContendedSandboxes[:min(len(st.ContendedSandboxes), 10)], ", "))
		if st.ContendedSandboxCount > 10 {
			p(", … %d more", st.ContendedSandboxCount-10)
		}
		p("\n")
	}
	writeStealSeries(ew, res)
	p("\n")
}

// headroom prints a headroom share, or "unknown".
func headroom(h float64) string {
	if h < 0 {
		return "unknown"
	}
	return pct(h)
}

// clip shortens s to n bytes for a text line.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
