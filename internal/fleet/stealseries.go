package fleet

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// Steal share and memory headroom over time, per VM and per function. A
// sandbox's VM and function are known once its startup line is read,
// which may come after its invocation lines (inputs in any order), so each
// sandbox keeps its samples summed per time bin (a cell) and the series
// are summed from the cells when the result is asked for.

const (
	// maxStealCells bounds the cells kept over all sandboxes (40 bytes
	// each: 40 MB at most, reached only by a million sandbox × bin pairs
	// with samples); samples beyond are left out of the series only, with
	// a note.
	maxStealCells = 1 << 20
	// maxStealSeries bounds the VMs (those with the most steal) and the
	// functions (those with the most samples) given a series.
	maxStealSeries = 20
	// maxTextSeries bounds the VMs and the functions whose series
	// WriteText prints.
	maxTextSeries = 5
)

// stealCell sums one sandbox's samples in one time bin.
type stealCell struct {
	bin            int64 // the bin's index at the width of its sandboxCells
	samples        uint32
	cpuMs, stealMs float64 // of the samples with CPU figures (resets left out)
	minAvail       float64 // bytes; 0 until a sample carries memory
}

func (c *stealCell) merge(o stealCell) {
	c.samples += o.samples
	c.cpuMs += o.cpuMs
	c.stealMs += o.stealMs
	if o.minAvail > 0 && (c.minAvail == 0 || o.minAvail < c.minAvail) {
		c.minAvail = o.minAvail
	}
}

// sandboxCells are one sandbox's cells, their bins at the width the bins
// had after shift widenings (Analyzer.binShift). The first sorted cells
// are in bin order, one per bin; cells after them (lines read out of time
// order) may repeat a bin until compact merges them.
type sandboxCells struct {
	cells  []stealCell
	sorted int
	shift  uint
}

// compact sorts the cells by bin and merges those of one bin; it returns
// how many were merged away.
func (sc *sandboxCells) compact() int {
	if sc.sorted < len(sc.cells) {
		slices.SortStableFunc(sc.cells, func(x, y stealCell) int { return cmp.Compare(x.bin, y.bin) })
	}
	out := sc.cells[:0]
	for _, c := range sc.cells {
		if n := len(out); n > 0 && out[n-1].bin == c.bin {
			out[n-1].merge(c)
			continue
		}
		out = append(out, c)
	}
	merged := len(sc.cells) - len(out)
	sc.cells, sc.sorted = out, len(out)
	return merged
}

// rebin brings the cells to the width after shift widenings, merging
// those that fall into one bin, and returns how many were merged away.
func (sc *sandboxCells) rebin(shift uint) int {
	d := shift - sc.shift
	for i := range sc.cells {
		sc.cells[i].bin >>= d // floor division by 2^d, as widenBins merges bins
	}
	sc.shift = shift
	return sc.compact()
}

// addCell folds a sample into the sandbox's cell of bin idx (at the
// current width); use: its CPU figures count. Lines come mostly in time
// order: the sample joins the last cell or a new one after it. Out of
// order, a new cell is appended and the cells are compacted when they have
// doubled since the last time, so that no line costs more than a few cells'
// work on average, whatever the order.
func (a *Analyzer) addCell(s *sandboxState, idx int64, v *vmFacts, use bool) {
	c := stealCell{bin: idx, samples: 1, minAvail: v.memAvail}
	if use {
		c.cpuMs, c.stealMs = v.cpuMs, v.stealMs
	}
	if s.cells == 0 {
		if a.cellCount >= maxStealCells {
			a.cellsDropped++
			return
		}
		a.cells = append(a.cells, sandboxCells{shift: a.binShift})
		s.cells = int32(len(a.cells))
	}
	sc := &a.cells[s.cells-1]
	if sc.shift != a.binShift {
		a.cellCount -= sc.rebin(a.binShift)
	}
	n := len(sc.cells)
	if n > 0 && sc.cells[n-1].bin == idx {
		sc.cells[n-1].merge(c)
		return
	}
	if a.cellCount >= maxStealCells && sc.sorted < n {
		a.cellCount -= sc.compact()
		if i, ok := slices.BinarySearchFunc(sc.cells, idx, func(c stealCell, idx int64) int { return cmp.Compare(c.bin, idx) }); ok {
			sc.cells[i].merge(c)
			return
		}
		n = len(sc.cells)
	}
	if a.cellCount >= maxStealCells {
		a.cellsDropped++
		return
	}
	a.cellCount++
	inOrder := sc.sorted == n && (n == 0 || sc.cells[n-1].bin < idx)
	sc.cells = append(sc.cells, c)
	switch {
	case inOrder:
		sc.sorted++
	case len(sc.cells) >= 2*sc.sorted+8:
		a.cellCount -= sc.compact()
	}
}

// StealPoint is one time bin of a VM's or a function's steal series.
type StealPoint struct {
	// Start: the bin's start, as in Result.Series.
	Start time.Time `json:"start"`
	// Samples: VM samples in the bin; CPUMs, StealMs: their Σ vm.cpu_ms
	// and Σ vm.steal_ms (samples with vm.reset left out).
	Samples int64   `json:"samples"`
	CPUMs   float64 `json:"cpu_ms"`
	StealMs float64 `json:"steal_ms"`
	// StealShare: StealMs / CPUMs; 0 if no CPU time was sampled.
	StealShare float64 `json:"steal_share"`
	// MinHeadroom: the least memory headroom sampled in the bin
	// (vm.memory_available_bytes over its VM's host.memory_total_bytes);
	// -1 when unknown.
	MinHeadroom float64 `json:"min_memory_headroom"`
}

// stealAcc sums the cells of one series in one bin.
type stealAcc struct {
	samples        int64
	cpuMs, stealMs float64
	headroom       float64 // the least; -1 unknown
}

// cellHeadroom is a cell's memory headroom on VM vm; -1 when unknown.
func (a *Analyzer) cellHeadroom(c *stealCell, vm int32) float64 {
	if vm < 0 || a.vms[vm].memTotal <= 0 || c.minAvail <= 0 {
		return -1
	}
	return min(c.minAvail/a.vms[vm].memTotal, 1)
}

// stealSeries fills the series of the first maxStealSeries VMs of st.VMs
// (the most steal) and of the maxStealSeries functions of st.Functions
// with the most samples; the others' series are empty.
func (a *Analyzer) stealSeries(res *Result) {
	st := &res.Steal
	vmPos := make(map[int32]int, min(len(st.VMs), maxStealSeries))
	for i := range st.VMs {
		st.VMs[i].Series = []StealPoint{}
		if i < maxStealSeries {
			vmPos[a.vmByBoot[st.VMs[i].BootID]] = i
		}
	}
	order := make([]int, len(st.Functions))
	for i := range st.Functions {
		st.Functions[i].Series = []StealPoint{}
		order[i] = i
	}
	slices.SortFunc(order, func(x, y int) int {
		fx, fy := &st.Functions[x], &st.Functions[y]
		return cmp.Or(-cmp.Compare(fx.Samples, fy.Samples), strings.Compare(fx.Name, fy.Name))
	})
	fnPos := make(map[int32]int, min(len(order), maxStealSeries))
	for _, i := range order[:min(len(order), maxStealSeries)] {
		fnPos[a.fnByName[st.Functions[i].Name]] = i
	}
	vmAcc := make([]map[int64]stealAcc, len(st.VMs))
	fnAcc := make([]map[int64]stealAcc, len(st.Functions))
	add := func(accs []map[int64]stealAcc, pos int, bin int64, c *stealCell, headroom float64) {
		if accs[pos] == nil {
			accs[pos] = map[int64]stealAcc{}
		}
		acc, ok := accs[pos][bin]
		if !ok {
			acc.headroom = -1
		}
		acc.samples += int64(c.samples)
		acc.cpuMs += c.cpuMs
		acc.stealMs += c.stealMs
		if headroom >= 0 && (acc.headroom < 0 || headroom < acc.headroom) {
			acc.headroom = headroom
		}
		accs[pos][bin] = acc
	}
	for i := range a.sandboxes {
		s := &a.sandboxes[i]
		if s.cells == 0 {
			continue
		}
		vp, vmOK := vmPos[s.vm]
		fp, fnOK := fnPos[s.fn]
		if !vmOK && !fnOK {
			continue
		}
		sc := &a.cells[s.cells-1]
		for k := range sc.cells {
			c := &sc.cells[k]
			bin := c.bin >> (a.binShift - sc.shift)
			h := a.cellHeadroom(c, s.vm)
			if vmOK && s.vm >= 0 {
				add(vmAcc, vp, bin, c, h)
			}
			if fnOK && s.fn >= 0 {
				add(fnAcc, fp, bin, c, h)
			}
		}
	}
	for i, acc := range vmAcc {
		st.VMs[i].Series = a.stealPoints(acc)
	}
	for i, acc := range fnAcc {
		st.Functions[i].Series = a.stealPoints(acc)
	}
	if len(st.VMs) > maxStealSeries || len(st.Functions) > maxStealSeries {
		res.note("steal and memory headroom over time are given for the %d VMs with the most steal and the %d functions with the most samples", maxStealSeries, maxStealSeries)
	}
	if a.cellsDropped > 0 {
		res.note("%d vm samples are left out of the per-VM and per-function series (more than %d sandbox × bin pairs with samples); the totals count them", a.cellsDropped, maxStealCells)
	}
}

// stealPoints lists the bins of one series in time order.
func (a *Analyzer) stealPoints(acc map[int64]stealAcc) []StealPoint {
	out := make([]StealPoint, 0, len(acc))
	for _, bin := range slices.Sorted(maps.Keys(acc)) {
		x := acc[bin]
		p := StealPoint{Start: time.Unix(0, bin*a.binWidth).UTC(), Samples: x.samples, CPUMs: x.cpuMs, StealMs: x.stealMs, MinHeadroom: x.headroom}
		if x.cpuMs > 0 {
			p.StealShare = x.stealMs / x.cpuMs
		}
		out = append(out, p)
	}
	return out
}

// writeStealSeries writes the series of the first VMs and functions, one
// character per bin of the text's "Over time" table.
func writeStealSeries(ew *errWriter, res *Result) {
	bins := res.Series[:min(len(res.Series), MaxTextBins)]
	st := &res.Steal
	if len(bins) == 0 {
		return
	}
	ew.printf("  over time, a character per bin of \"Over time\" below, from %s UTC: steal share 0 under 10%%, 1 from 10%%, 2 from 20%%, … 9 from 90%%;\n", bins[0].Start.Format("2006-01-02 15:04"))
	ew.printf("  memory: the least headroom (share of the VM's memory available) likewise; . no sample\n")
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	tp := func(format string, args ...any) { fmt.Fprintf(tw, format, args...) }
	row := func(what, name string, pts []StealPoint) {
		tp("  %s %s\tsteal\t%s\n", what, name, seriesRow(bins, pts, func(p StealPoint) float64 {
			if p.CPUMs <= 0 {
				return -1
			}
			return p.StealShare
		}))
		tp("  \tmemory\t%s\n", seriesRow(bins, pts, func(p StealPoint) float64 { return p.MinHeadroom }))
	}
	n := 0
	for _, v := range st.VMs {
		if len(v.Series) > 0 && n < maxTextSeries {
			row("VM", clip(v.BootID, 36), v.Series)
			n++
		}
	}
	n = 0
	for _, f := range st.Functions {
		if len(f.Series) > 0 && n < maxTextSeries {
			row("function", clip(f.Name, 40), f.Series)
			n++
		}
	}
	tw.Flush()
}

// seriesRow prints one character per bin: the tens of percent of value(p)
// for the bin's point ('0' under 10%, '9' from 90%), '.' where the bin has
// no point or value is unknown (< 0).
func seriesRow(bins []Bin, pts []StealPoint, value func(StealPoint) float64) string {
	b := make([]byte, len(bins))
	j := 0
	for i, bin := range bins {
		for j < len(pts) && pts[j].Start.Before(bin.Start) {
			j++
		}
		b[i] = '.'
		if j < len(pts) && pts[j].Start.Equal(bin.Start) {
			if v := value(pts[j]); v >= 0 {
				b[i] = byte('0' + min(int(min(v, 1)*10), 9))
			}
		}
	}
	return string(b)
}
