package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/faasprobe/faasprobe/internal/excerpt"
	"github.com/faasprobe/faasprobe/internal/fleet"
	"github.com/faasprobe/faasprobe/internal/fleet/timeline"
)

// fleetUsage is the help of `faasprobe fleet`.
func fleetUsage(w io.Writer) {
	fmt.Fprint(w, `faasprobe fleet: what a fleet's logs say about its sandboxes and hosts

Usage:
  faasprobe fleet [flags] [FILE...]     (no FILE, or "-": standard input)

Reads the startup and invocation lines faasprobe-instrumented functions log
(as examples/hello writes them) and Lambda's REPORT records, as they come out
of CloudWatch Logs: raw JSON lines, "aws logs tail" output (detailed, short
or json), "aws logs filter-log-events" JSON, subscription payloads, S3
exports; gzip is decompressed. Lines it does not read are counted by kind
and skipped. It prints sandboxes, VMs (boot ids) and functions, the
cold-start rate overall and over time, the proactive-init share, sandbox
lifetimes, invocations per sandbox, sandboxes per VM and co-tenants seen,
the host CPUs and instance families seen, and, where invocation lines carry
a vm sample, steal share and memory headroom per VM and per function, overall
and over time, and the sandboxes on contended VMs. Every figure is defined in
docs/fleet.md.

Flags:
  --json               print one JSON object instead of the summary
  --bin DURATION       width of the time bins (default 5m)
  --svg FILE           draw the timeline (one row per sandbox, grouped by VM) as SVG
  --png FILE           ... as PNG
  --html FILE          write an HTML page: the timeline and the summary
  --rows N             sandboxes drawn at most (default 300)
  --colour-by WHAT     colour the timeline's bars by "function" (default) or by
                       "steal": the steal share of the sandbox's VM
  --title TEXT         title of the picture (default: a summary)
  --steal-threshold S  steal share (0 to 1) at or above which a VM counts as
                       contended, from the invocation lines' vm samples (default 0.1)
  --max-sandboxes N    sandboxes tracked one by one (default 250000, ~1 KB each); beyond,
                       lines count in the totals only
  --quiet              no progress on stderr (shown as a bar when stderr is a
                       terminal, else as a line every 5 s on long inputs)

Exit status: 0 when every input was read, 1 when an input could not be read
or an output file written (what could be read is still reported), 2 for bad
usage.
`)
}

// fleetFlags are the parsed arguments of `faasprobe fleet`.
type fleetFlags struct {
	json         bool
	bin          time.Duration
	svg, png     string
	html         string
	rows         int
	title        string
	maxSandboxes int
	steal        float64
	colourBy     string
	quiet        bool
	files        []string
}

// parseFleetArgs parses flags given before, between or after the files.
func parseFleetArgs(args []string) (fleetFlags, error) {
	var f fleetFlags
	fs := flag.NewFlagSet("faasprobe fleet", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.BoolVar(&f.json, "json", false, "")
	fs.DurationVar(&f.bin, "bin", fleet.DefaultBin, "")
	fs.StringVar(&f.svg, "svg", "", "")
	fs.StringVar(&f.png, "png", "", "")
	fs.StringVar(&f.html, "html", "", "")
	fs.IntVar(&f.rows, "rows", 300, "")
	fs.StringVar(&f.title, "title", "", "")
	fs.IntVar(&f.maxSandboxes, "max-sandboxes", fleet.DefaultMaxSandboxes, "")
	fs.Float64Var(&f.steal, "steal-threshold", fleet.DefaultStealThreshold, "")
	fs.StringVar(&f.colourBy, "colour-by", "function", "")
	fs.BoolVar(&f.quiet, "quiet", false, "")
	for {
		if err := fs.Parse(args); err != nil {
			return f, err
		}
		if fs.NArg() == 0 {
			break
		}
		f.files = append(f.files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	switch {
	case f.bin < time.Second:
		return f, fmt.Errorf("--bin %v: want at least 1s", f.bin)
	case f.rows < 1:
		return f, fmt.Errorf("--rows %d: want at least 1", f.rows)
	case f.colourBy != "function" && f.colourBy != "steal":
		return f, fmt.Errorf("--colour-by %q: want function or steal", excerpt.Clip(f.colourBy))
	case !(f.steal >= 0 && f.steal <= 1): // also NaN
		return f, fmt.Errorf("--steal-threshold %v: want a share from 0 to 1", f.steal)
	case f.maxSandboxes < 1:
		return f, fmt.Errorf("--max-sandboxes %d: want at least 1", f.maxSandboxes)
	}
	if len(f.files) == 0 {
		f.files = []string{"-"}
	}
	return f, nil
}

// runFleet is `faasprobe fleet`: args are what follows the subcommand.
func runFleet(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && (args[0] == "help" || args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		fleetUsage(stdout)
		return 0
	}
	f, err := parseFleetArgs(args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fleetUsage(stdout)
			return 0
		}
		fmt.Fprintf(stderr, "faasprobe fleet: %v\n", err)
		fleetUsage(stderr)
		return 2
	}
	opts := []fleet.Option{fleet.WithBin(f.bin), fleet.WithMaxSandboxes(f.maxSandboxes), fleet.WithStealThreshold(f.steal)}
	var prog *progress
	if !f.quiet {
		prog = newProgress(stderr)
		opts = append(opts, fleet.WithProgress(prog.update))
	}
	a := fleet.New(opts...)

	status := 0
	for _, name := range f.files {
		if err := readInput(a, name, stdin); err != nil {
			prog.clear()
			fmt.Fprintf(stderr, "faasprobe fleet: %v\n", err)
			status = 1
		}
	}
	prog.clear()
	res := a.Result()

	if f.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			fmt.Fprintf(stderr, "faasprobe fleet: %v\n", err)
			return 1
		}
	} else if err := fleet.WriteText(stdout, res); err != nil {
		fmt.Fprintf(stderr, "faasprobe fleet: %v\n", err)
		return 1
	}

	if f.svg == "" && f.png == "" && f.html == "" {
		return status
	}
	rows, omitted := a.Rows(f.rows)
	var colour timeline.Option // by function
	if f.colourBy == "steal" {
		colour = timeline.ColourBySteal()
	}
	title := f.title
	if title == "" {
		title = defaultTitle(res, f.files)
	}
	outputs := []struct {
		path   string
		render func(io.Writer) error
	}{
		{f.svg, func(w io.Writer) error { return timeline.Render(w, timeline.FormatSVG, rows, omitted, title, colour) }},
		{f.png, func(w io.Writer) error { return timeline.Render(w, timeline.FormatPNG, rows, omitted, title, colour) }},
		{f.html, func(w io.Writer) error { return timeline.WriteHTML(w, res, rows, omitted, title) }},
	}
	for _, o := range outputs {
		if o.path == "" {
			continue
		}
		if err := writeFile(o.path, o.render); err != nil {
			fmt.Fprintf(stderr, "faasprobe fleet: %v\n", err)
			status = 1
		}
	}
	return status
}

// readInput reads one named input ("-": stdin) into the analysis.
func readInput(a *fleet.Analyzer, name string, stdin io.Reader) error {
	if name == "-" {
		return a.Read("stdin", stdin, 0)
	}
	file, err := os.Open(name)
	if err != nil {
		return err
	}
	defer file.Close()
	var size int64
	if st, err := file.Stat(); err == nil {
		if st.IsDir() {
			return fmt.Errorf("%s: is a directory", name)
		}
		size = st.Size()
	}
	return a.Read(name, file, size)
}

// writeFile creates path and fills it with render.
func writeFile(path string, render func(io.Writer) error) error {
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	err = render(out)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// defaultTitle sums the fleet up in one line.
func defaultTitle(res *fleet.Result, files []string) string {
	src := strings.Join(files, ", ")
	if len(src) > 60 {
		src = src[:57] + "..."
	}
	return fmt.Sprintf("%s: %d sandboxes on %d VMs, %d invocations, %.1f%% cold",
		src, res.Totals.Sandboxes, res.Totals.VMs, res.Cold.Invocations, 100*res.Cold.ColdRate)
}

// progress shows how far the reading has come on stderr: a bar redrawn in
// place on a terminal; elsewhere a plain line every plainEvery, so short
// runs print nothing.
type progress struct {
	w        io.Writer
	terminal bool
	start    time.Time
	last     time.Time
	drawn    bool // a bar is on the screen
	now      func() time.Time
}

// plainEvery is the interval of the plain progress lines.
const plainEvery = 5 * time.Second

func newProgress(stderr io.Writer) *progress {
	p := &progress{w: stderr, now: time.Now}
	if f, ok := stderr.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.terminal = true
		}
	}
	p.start = p.now()
	p.last = p.start
	return p
}

// update is the fleet.WithProgress callback.
func (p *progress) update(pr fleet.Progress) {
	now := p.now()
	if p.terminal {
		if pr.Done {
			return // cleared at the end
		}
		fmt.Fprintf(p.w, "\r%s\x1b[K", progressLine(pr, now.Sub(p.start), true))
		p.drawn = true
		return
	}
	if now.Sub(p.last) < plainEvery {
		return
	}
	p.last = now
	fmt.Fprintf(p.w, "faasprobe fleet: %s\n", progressLine(pr, now.Sub(p.start), false))
}

// clear removes the bar (nil-safe).
func (p *progress) clear() {
	if p == nil || !p.drawn {
		return
	}
	fmt.Fprint(p.w, "\r\x1b[K")
	p.drawn = false
}

// progressLine describes the progress: "[#####-----]  48% big.log 1,234,567 lines, 410k lines/s".
func progressLine(pr fleet.Progress, elapsed time.Duration, bar bool) string {
	var b strings.Builder
	if pr.Size > 0 {
		frac := min(float64(pr.Bytes)/float64(pr.Size), 1)
		if bar {
			const width = 24
			n := int(frac * width)
			b.WriteString("[" + strings.Repeat("#", n) + strings.Repeat("-", width-n) + "] ")
		}
		fmt.Fprintf(&b, "%3.0f%% ", 100*frac)
	}
	fmt.Fprintf(&b, "%s %d lines", pr.Input, pr.Lines)
	if s := elapsed.Seconds(); s > 0 {
		fmt.Fprintf(&b, ", %.0fk lines/s", float64(pr.Lines)/s/1000)
	}
	return b.String()
}
