package fleetgen

import (
	"cmp"
	"slices"
	"time"

	"github.com/faasprobe/faasprobe/coldstart"
)

// truth computes the answers from the model, following the rules of
// docs/fleet.md: a sandbox's span runs over the times of its startup and
// invocation lines, and of its REPORT records where they carry a time and
// can be tied to it (by log stream in Tail and Events; in Raw, only JSON
// records with an Init Duration, by request id).
func (g *gen) truth() Truth {
	c := g.cfg
	t := Truth{Lines: g.lines, Sandboxes: len(g.sbs), FirstReasons: map[string]int64{}, Kinds: g.kinds}
	vmSandboxes := map[int]int{}
	fns := map[int]bool{}
	type span struct{ first, last int64 }
	vmSpans := map[int][]span{}
	for i := range g.sbs {
		s := &g.sbs[i]
		t.SandboxIDs = append(t.SandboxIDs, s.id)
		n := int64(len(s.invTimes))
		t.Invocations += n
		first, last := s.invTimes[0], s.invTimes[len(s.invTimes)-1]
		if !s.before {
			t.WithStartup++
			vmSandboxes[s.vm]++
			fns[s.fn] = true
			t.FirstInvocations++
			t.FirstReasons[string(s.reason)]++
			if s.reason == coldstart.ReasonOnDemand {
				t.Cold++
			}
			if s.reason == coldstart.ReasonProactiveInit {
				t.ProactiveInit++
			}
			first = min(first, s.init)
		} else {
			t.MissingInvocations += int64(s.seq0 - 1)
		}
		if c.Reports != NoReports {
			t.Reports += n
			if s.initMs > 0 {
				t.ReportsWithInit++
			}
			for k, at := range s.invTimes {
				end := at + int64(s.durs[k]*float64(time.Millisecond))
				ms := end / int64(time.Millisecond) * int64(time.Millisecond)
				seen := c.Format != Raw || (c.Reports == JSONReports && k == 0 && s.initMs > 0)
				if seen {
					first, last = min(first, ms), max(last, ms)
				}
			}
		}
		s.first, s.last = first, last
		t.Lifetimes = append(t.Lifetimes, time.Duration(last-first))
		if !s.before {
			vmSpans[s.vm] = append(vmSpans[s.vm], span{first, last})
		}
	}
	t.Functions = len(fns)
	vms := make([]int, 0, len(vmSandboxes))
	for vm := range vmSandboxes {
		vms = append(vms, vm)
	}
	slices.Sort(vms)
	t.VMs = len(vms)
	for _, vm := range vms {
		t.BootIDs = append(t.BootIDs, g.vmBoot[vm])
		t.SandboxesPerVM = append(t.SandboxesPerVM, vmSandboxes[vm])
		// most spans overlapping at once (touching counts)
		type point struct {
			t int64
			d int
		}
		var pts []point
		for _, sp := range vmSpans[vm] {
			pts = append(pts, point{sp.first, 1}, point{sp.last, -1})
		}
		slices.SortFunc(pts, func(a, b point) int { return cmp.Or(cmp.Compare(a.t, b.t), -cmp.Compare(a.d, b.d)) })
		cur, most := 0, 0
		for _, p := range pts {
			cur += p.d
			most = max(most, cur)
		}
		t.ConcurrentPerVM = append(t.ConcurrentPerVM, most)
	}
	return t
}
