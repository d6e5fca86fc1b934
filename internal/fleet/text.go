package fleet

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/faasprobe/faasprobe/internal/textsafe"
)

// MaxTextBins bounds the time series printed by WriteText (--json has all).
const MaxTextBins = 60

// WriteText writes the result for people. Everything goes through
// textsafe: function names, CPU models and notes come from the logs.
func WriteText(w io.Writer, res *Result) error {
	ew := &errWriter{w: textsafe.NewWriter(w)}
	p := ew.printf

	var bytes int64
	for _, in := range res.Inputs {
		bytes += in.Bytes
	}
	p("faasprobe fleet: %s, %s lines (%s)", plural(len(res.Inputs), "input"), group(res.Lines), sizeOf(bytes))
	if !res.Window.First.IsZero() {
		p(", %s to %s UTC (%s)", res.Window.First.Format("2006-01-02 15:04:05"), res.Window.Last.Format("2006-01-02 15:04:05"),
			fmtSeconds(res.Window.Last.Sub(res.Window.First).Seconds()))
	}
	p("\n\n")

	p("Lines read\n")
	var used, skipped []string
	for k := range numKinds {
		n := res.Kinds[k.String()]
		if n == 0 {
			continue
		}
		item := k.String() + " " + group(n)
		if k <= KindShutdown {
			used = append(used, item)
		} else {
			skipped = append(skipped, item)
		}
	}
	p("  used:    %s\n", orNone(strings.Join(used, ", ")))
	p("  skipped: %s\n\n", orNone(strings.Join(skipped, ", ")))

	t := res.Totals
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	tp := func(format string, args ...any) { fmt.Fprintf(tw, format, args...) }
	tp("Sandboxes\t%s  (%s with a startup line, %s started before the input, %s never invoked",
		group(int64(t.Sandboxes)), group(int64(t.WithStartup)), group(int64(t.Sandboxes-t.WithStartup)), group(int64(t.NeverInvoked)))
	if t.ProcessScoped > 0 {
		tp(", %s with a per-process id", group(int64(t.ProcessScoped)))
	}
	tp(")\n")
	tp("VMs\t%s  (distinct boot ids; %s sandboxes of unknown VM)\n", group(int64(t.VMs)), group(int64(t.WithoutVM)))
	tp("Functions\t%s\n", group(int64(t.Functions)))
	if t.ExtensionDuplicates > 0 {
		tp("Extension copies\t%d  (invocation lines of the extension dropped: the library logged the same sandboxes)\n", t.ExtensionDuplicates)
	}
	if t.DuplicateStartups+t.DuplicateFirsts > 0 {
		tp("Duplicates\t%d, %d  (sandboxes with a repeated startup line, first invocation: overlapping inputs?)\n", t.DuplicateStartups, t.DuplicateFirsts)
	}
	tw.Flush()
	p("\n")

	c := res.Cold
	p("Cold starts (faasprobe invocation lines)\n")
	tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	tp("  invocations\t%s\n", group(c.Invocations))
	tp("  cold\t%s  (%s of invocations)\n", group(c.Cold), pct(c.ColdRate))
	if c.Pings > 0 {
		tp("  keep-warm pings\t%s  (%s cold; neither in the figures above)\n", group(c.Pings), group(c.PingsCold))
	}
	reasons := make([]Count, 0, len(c.FirstReasons))
	for r, n := range c.FirstReasons {
		reasons = append(reasons, Count{Value: r, N: int(n)})
	}
	slices.SortFunc(reasons, func(x, y Count) int {
		if x.N != y.N {
			return y.N - x.N
		}
		return strings.Compare(x.Value, y.Value)
	})
	var rs []string
	for _, r := range reasons {
		rs = append(rs, fmt.Sprintf("%s %s", orNone(r.Value), group(int64(r.N))))
	}
	tp("  first invocations\t%s  (%s)\n", group(c.FirstInvocations), orNone(strings.Join(rs, ", ")))
	tp("  proactive init\t%s  (%s of on-demand sandboxes' first invocations)\n", group(c.ProactiveInit), pct(c.ProactiveShare))
	tp("  first-invocation gap\t%s  (ms from init end)\n", distText(c.FirstGapMs, fmtMs))
	if c.MissingInvocations > 0 {
		tp("  missing\t%s  (invocations whose lines are not in the input, from invocation.seq)\n", group(c.MissingInvocations))
	}
	r := res.Reports
	if r.Count > 0 {
		tp("  REPORT records\t%s  (%s with Init Duration: %s; %s tied to a sandbox)\n", group(r.Count), group(r.WithInit), pct(r.ColdRate), group(r.Attributed))
		tp("  Init Duration\t%s\n", distText(r.InitMs, fmtMs))
	}
	tw.Flush()
	p("\n")

	tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	tp("Sandbox lifetime\t%s  (%s exact from a shutdown line, %s first to last seen: lower bounds)\n",
		distText(res.Lifetime, fmtSeconds), group(int64(res.LifetimesExact)), group(int64(res.LifetimesLowerBound)))
	if len(res.ShutdownReasons) > 0 {
		tp("Shutdowns\t%s  (%s)\n", group(int64(res.Totals.Shutdowns)), countsText(res.ShutdownReasons, 8))
	}
	tp("Invocations per sandbox\t%s\n", distText(res.InvocationsPerSandbox, fmtCount))
	h := res.Hosts
	tp("Sandboxes per VM\t%s  (%s VMs hosted several)\n", distText(h.SandboxesPerVM, fmtCount), group(int64(h.VMsShared)))
	tp("Sandboxes at once per VM\t%s  (%s VMs hosted several at once: co-tenants observed)\n", distText(h.ConcurrentPerVM, fmtCount), group(int64(h.VMsConcurrent)))
	tp("Co-tenant estimate\t%s  (sandbox.co_tenants.per_vm: value ×sandboxes)\n", countsText(h.CoTenantEstimates, 8))
	tw.Flush()
	p("\n")

	if len(res.Functions) > 0 {
		p("Functions\n")
		tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		tp("  NAME\tREGION\tMEMORY MB\tSANDBOXES\tVMS\tMAX VMS/BIN\tINVOCATIONS\tCOLD\tRATE\tPROACTIVE\n")
		for _, f := range res.Functions {
			mem := make([]string, len(f.MemoryMB))
			for i, m := range f.MemoryMB {
				mem[i] = strconv.Itoa(m)
			}
			tp("  %s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s\t%d\n", orNone(f.Name), orNone(f.Region), orNone(strings.Join(mem, ",")),
				f.Sandboxes, f.VMs, f.MaxVMsInBin, f.Invocations, f.Cold, pct(f.ColdRate), f.ProactiveInit)
		}
		tw.Flush()
		p("\n")
	}

	writeSubnets(ew, res.Functions)
	writeSteal(ew, res)

	if len(res.CPUs) > 0 {
		p("Host CPUs (by VM)\n")
		tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		tp("  VMS\tSANDBOXES\tMODEL NAME\tCACHE KB\tMICROARCHITECTURE\tARCH\n")
		for _, cpu := range res.CPUs {
			tp("  %d\t%d\t%s\t%d\t%s\t%s\n", cpu.VMs, cpu.Sandboxes, orNone(cpu.ModelName), cpu.CacheKB, orNone(cpu.Microarchitecture), orNone(cpu.Arch))
		}
		tw.Flush()
		tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
		tp("  instance families\t%s\n", countsText(res.InstanceFamilies, 6))
		tp("  host CPU candidates\t%s\n", countsText(res.HostCPUs, 6))
		tp("  instance types\t%s\n", countsText(res.InstanceTypes, 6))
		tp("  hypervisors\t%s\n", countsText(res.Hypervisors, 6))
		tp("  kernels\t%s\n", countsText(res.Kernels, 6))
		tw.Flush()
		p("\n")
	}

	if len(res.Series) > 0 {
		p("Over time (%s bins)\n", fmtSeconds(res.Window.BinSeconds))
		tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', tabwriter.AlignRight)
		steal := res.Steal.Samples > 0 // a STEAL column: the bin's steal share
		tp("START (UTC)\tINVOCATIONS\tCOLD\tRATE\tSTARTUPS\tPROACTIVE\tSANDBOXES\tVMS\t")
		if steal {
			tp("STEAL\t")
		}
		tp("\n")
		startFmt := "2006-01-02 15:04"
		if math.Mod(res.Window.BinSeconds, 60) != 0 { // bins that do not start on whole minutes
			startFmt = "2006-01-02 15:04:05"
		}
		for i, b := range res.Series {
			if i == MaxTextBins {
				break
			}
			tp("%s\t%d\t%d\t%s\t%d\t%d\t%d\t%d\t", b.Start.Format(startFmt), b.Invocations, b.Cold, pct(b.ColdRate),
				b.Startups, b.ProactiveInit, b.ActiveSandboxes, b.ActiveVMs)
			switch {
			case steal && b.VMSamples == 0:
				tp("-\t")
			case steal:
				tp("%s\t", pct(b.StealShare))
			}
			tp("\n")
		}
		tw.Flush()
		if len(res.Series) > MaxTextBins {
			p("  … %d more bins (widen --bin, or see --json)\n", len(res.Series)-MaxTextBins)
		}
		p("\n")
	}

	if len(res.Notes) > 0 {
		p("Notes\n")
		for _, n := range res.Notes {
			p("  - %s\n", n)
		}
	}
	return ew.err
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(b []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(b)
	e.err = err
	return n, err
}

func (e *errWriter) printf(format string, args ...any) { fmt.Fprintf(e, format, args...) }

func distText(d Dist, f func(float64) string) string {
	if d.N == 0 {
		return "(none)"
	}
	s := fmt.Sprintf("p50 %s  p90 %s  max %s  (n=%s)", f(d.P50), f(d.P90), f(d.Max), group(d.N))
	if d.Sampled {
		s += " sampled"
	}
	return s
}

func countsText(cs []Count, n int) string {
	if len(cs) == 0 {
		return "(none)"
	}
	var parts []string
	for i, c := range cs {
		if i == n {
			parts = append(parts, fmt.Sprintf("… %d more", len(cs)-n))
			break
		}
		parts = append(parts, fmt.Sprintf("%s ×%d", c.Value, c.N))
	}
	return strings.Join(parts, "; ")
}

func fmtCount(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func fmtMs(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

// fmtSeconds prints a duration in seconds compactly ("950ms", "12m5s", "7h58m").
func fmtSeconds(s float64) string {
	d := time.Duration(s * float64(time.Second))
	switch {
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return d.Round(100 * time.Millisecond).String()
	case d < time.Hour:
		return d.Round(time.Second).String()
	}
	return strings.TrimSuffix(d.Round(time.Minute).String(), "0s")
}

func pct(r float64) string { return strconv.FormatFloat(100*r, 'f', 1, 64) + "%" }

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// group prints n with thousands separators.
func group(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func sizeOf(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
