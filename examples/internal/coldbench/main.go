// Command coldbench measures what faasprobe costs a Lambda cold start and
// a deployment package: examples/hello against the bare aws-lambda-go
// handler examples/bare, both built the same way
// (`CGO_ENABLED=0 GOOS=linux go build -tags lambda.norpc -ldflags='-s -w'`).
//
//	go run ./examples/internal/coldbench            # 30 interleaved cold starts each, plus sizes
//	go run ./examples/internal/coldbench -n 0 -fail-over-budget   # sizes only; exit 1 over budget
//
// Cold starts: every sample is a fresh aws-lambda-rie process (so a fresh
// sandbox) invoked once; the order alternates hello, bare / bare, hello so
// neither always runs second. The figure is the runtime's init as the
// emulator times it — its "INIT REPORT(durationMs: …)" log line, from the
// start of the init phase (before the bootstrap is executed) to the
// runtime's first /next — not the REPORT line's Init Duration, which in the
// emulator only times an asynchronous call (see package rietest). Reported:
// min/median/p90/max per handler, the difference of the medians, and the
// median of the paired differences. The budget: hello's median at
// most +1 ms over bare. Timings are reported, never gated: the machine is
// noisy.
//
// Sizes: both handlers for linux/amd64 and linux/arm64; the budget is
// +0.9 MB (10^6 bytes) at most, which -fail-over-budget enforces.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/faasprobe/faasprobe/internal/rietest"
)

const (
	helloPkg = "github.com/faasprobe/faasprobe/examples/hello"
	barePkg  = "github.com/faasprobe/faasprobe/examples/bare"
)

// The budgets.
const (
	initBudget = time.Millisecond
	sizeBudget = 900_000 // bytes
)

type options struct {
	pkg, baseline  string
	n              int
	warmup         int
	ldflags        string
	archs          []string
	failOverBudget bool
	jsonOut        string
	perStart       time.Duration
}

// result is everything one run measured (written with -json).
type result struct {
	GoVersion   string        `json:"go_version"`
	GOARCH      string        `json:"goarch"`
	NumCPU      int           `json:"num_cpu"`
	LDFlags     string        `json:"ldflags"`
	RIEVersion  string        `json:"rie_version"`
	Package     string        `json:"package"`  // measured ("hello" fields)
	Baseline    string        `json:"baseline"` // baseline ("bare" fields)
	ColdStarts  int           `json:"cold_starts_each"`
	Hello       series        `json:"hello"`
	Bare        series        `json:"bare"`
	MedianDiff  time.Duration `json:"median_diff_ns"`   // median(hello) - median(bare)
	PairedDiff  summary       `json:"paired_diff"`      // hello[i] - bare[i]
	InitOverrun bool          `json:"init_over_budget"` // MedianDiff > 1 ms
	Sizes       []sizeRow     `json:"sizes"`
	SizeOverrun bool          `json:"size_over_budget"` // any arch over sizeBudget
	Budgets     budgets       `json:"budgets"`
	Duration    time.Duration `json:"bench_duration_ns"`
}

type budgets struct {
	InitNs    time.Duration `json:"init_ns"`
	SizeBytes int64         `json:"size_bytes"`
}

// series is one handler's cold starts.
type series struct {
	Init      summary `json:"init"`       // RIE INIT REPORT durationMs
	RoundTrip summary `json:"round_trip"` // first invocation, as the client saw it
	RIEReport summary `json:"rie_report"` // the REPORT line's Init Duration (not the init: see doc)
	// Detect is hello's own "detect_ms" from its startup line: the time
	// hostinfo.Detect + sandbox.Detect took inside the init (empty for bare).
	Detect  summary         `json:"detect"`
	Samples []time.Duration `json:"init_samples_ns"`
}

type sizeRow struct {
	GOARCH string `json:"goarch"`
	Hello  int64  `json:"hello_bytes"`
	Bare   int64  `json:"bare_bytes"`
	Diff   int64  `json:"diff_bytes"`
	Over   bool   `json:"over_budget"`
}

func main() {
	var o options
	flag.StringVar(&o.pkg, "pkg", helloPkg, "handler package to measure")
	flag.StringVar(&o.baseline, "baseline", barePkg, "baseline handler package")
	flag.IntVar(&o.n, "n", 30, "cold starts per handler (0: sizes only)")
	flag.IntVar(&o.warmup, "warmup", 3, "cold starts per handler run first and discarded (page cache, build cache)")
	flag.StringVar(&o.ldflags, "ldflags", "-s -w", "-ldflags for every build")
	flag.BoolVar(&o.failOverBudget, "fail-over-budget", false, "exit 1 when a binary is over the size budget (timings never fail)")
	flag.StringVar(&o.jsonOut, "json", "", "also write the results as JSON to this file")
	flag.DurationVar(&o.perStart, "timeout", 30*time.Second, "bound on one cold start")
	archs := flag.String("archs", "amd64,arm64", "GOARCH list for the size comparison (empty: skip)")
	flag.Parse()
	if *archs != "" {
		o.archs = splitComma(*archs)
	}

	res, err := run(context.Background(), o, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "coldbench:", err)
		os.Exit(2)
	}
	printResult(os.Stdout, res, o)
	if o.jsonOut != "" {
		b, err := json.MarshalIndent(res, "", "  ")
		if err == nil {
			err = os.WriteFile(o.jsonOut, append(b, '\n'), 0o644)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "coldbench: write json:", err)
			os.Exit(2)
		}
	}
	if o.failOverBudget && res.SizeOverrun {
		os.Exit(1)
	}
}

func splitComma(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' })
}

func run(ctx context.Context, o options, progress io.Writer) (result, error) {
	began := time.Now()
	res := result{
		GoVersion:  runtime.Version(),
		GOARCH:     runtime.GOARCH,
		NumCPU:     runtime.NumCPU(),
		LDFlags:    o.ldflags,
		RIEVersion: rietest.Version,
		Package:    o.pkg,
		Baseline:   o.baseline,
		ColdStarts: o.n,
		Budgets:    budgets{InitNs: initBudget, SizeBytes: sizeBudget},
	}
	tmp, err := os.MkdirTemp("", "coldbench-")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(tmp)

	if len(o.archs) > 0 {
		fmt.Fprintf(progress, "building for %v …\n", o.archs)
		for _, arch := range o.archs {
			row := sizeRow{GOARCH: arch}
			for _, b := range []struct {
				pkg  string
				size *int64
			}{{o.pkg, &row.Hello}, {o.baseline, &row.Bare}} {
				p, err := rietest.BuildBootstrap(ctx, rietest.BuildConfig{
					Package: b.pkg, Dir: filepath.Join(tmp, "size", arch, b.pkg),
					GOARCH: arch, LDFlags: o.ldflags,
				})
				if err != nil {
					return res, err
				}
				fi, err := os.Stat(p)
				if err != nil {
					return res, err
				}
				*b.size = fi.Size()
			}
			row.Diff = row.Hello - row.Bare
			row.Over = row.Diff > sizeBudget
			res.SizeOverrun = res.SizeOverrun || row.Over
			res.Sizes = append(res.Sizes, row)
		}
	}
	if o.n <= 0 {
		res.Duration = time.Since(began)
		return res, nil
	}

	rie, err := rietest.Find()
	if err != nil {
		return res, err
	}
	build := func(pkg string) (string, error) {
		return rietest.BuildBootstrap(ctx, rietest.BuildConfig{
			Package: pkg, Dir: filepath.Join(tmp, "cold", pkg), LDFlags: o.ldflags,
		})
	}
	hello, err := build(o.pkg)
	if err != nil {
		return res, err
	}
	bare, err := build(o.baseline)
	if err != nil {
		return res, err
	}
	// The same environment for both, shaped like Lambda's.
	env := map[string]string{
		"AWS_LAMBDA_FUNCTION_NAME": "coldbench",
		"AWS_REGION":               "us-east-1",
		"AWS_ACCESS_KEY_ID":        "AKIACOLDBENCHCANARY0",
		"AWS_SECRET_ACCESS_KEY":    "coldbench-canary-secret",
		"AWS_SESSION_TOKEN":        "coldbench-canary-session",
	}
	type sample struct{ init, roundTrip, rieReport, detect time.Duration }
	coldStart := func(bootstrap string) (sample, error) {
		cctx, cancel := context.WithTimeout(ctx, o.perStart)
		defer cancel()
		emu, err := rietest.Launch(cctx, rietest.Config{RIE: rie, Bootstrap: bootstrap, Env: env})
		if err != nil {
			return sample{}, err
		}
		inv, err := emu.Invoke(cctx, []byte(`{}`))
		stopErr := emu.Stop()
		if err == nil && inv.Status != http.StatusOK {
			err = fmt.Errorf("status %d: %s", inv.Status, inv.Body)
		}
		if err == nil && !inv.Report.HasInit {
			err = errors.New("first invocation without init")
		}
		if err = errors.Join(err, stopErr); err != nil {
			return sample{}, fmt.Errorf("%s: %w\n%s", filepath.Base(filepath.Dir(bootstrap)), err, emu.Output())
		}
		return sample{inv.InitDuration, inv.Elapsed, inv.Report.InitDuration, detectTime(emu.Lines())}, nil
	}

	fmt.Fprintf(progress, "warm-up: %d cold starts each …\n", o.warmup)
	for range o.warmup {
		for _, b := range []string{hello, bare} {
			if _, err := coldStart(b); err != nil {
				return res, err
			}
		}
	}
	fmt.Fprintf(progress, "measuring: %d interleaved cold starts each …\n", o.n)
	var h, b []sample
	for i := range o.n {
		order := []string{hello, bare}
		if i%2 == 1 {
			order = []string{bare, hello}
		}
		for _, bs := range order {
			s, err := coldStart(bs)
			if err != nil {
				return res, err
			}
			if bs == hello {
				h = append(h, s)
			} else {
				b = append(b, s)
			}
		}
	}
	toSeries := func(ss []sample) series {
		var init, rt, rep, det []time.Duration
		for _, s := range ss {
			init = append(init, s.init)
			rt = append(rt, s.roundTrip)
			rep = append(rep, s.rieReport)
			if s.detect >= 0 {
				det = append(det, s.detect)
			}
		}
		return series{Init: summarize(init), RoundTrip: summarize(rt), RIEReport: summarize(rep), Detect: summarize(det), Samples: init}
	}
	res.Hello, res.Bare = toSeries(h), toSeries(b)
	res.MedianDiff = res.Hello.Init.Median - res.Bare.Init.Median
	res.PairedDiff = summarize(pairedDiffs(res.Hello.Samples, res.Bare.Samples))
	res.InitOverrun = res.MedianDiff > initBudget
	res.Duration = time.Since(began)
	return res, nil
}

func printResult(w io.Writer, r result, o options) {
	fmt.Fprintf(w, "coldbench: %s %s/%d CPUs, aws-lambda-rie %s, -tags lambda.norpc -ldflags=%q\n",
		r.GoVersion, r.GOARCH, r.NumCPU, r.RIEVersion, r.LDFlags)
	hello, bare := path.Base(r.Package), path.Base(r.Baseline)
	fmt.Fprintf(w, "%s = %s, %s = %s\n\n", hello, r.Package, bare, r.Baseline)
	if r.ColdStarts > 0 {
		fmt.Fprintf(w, "Cold start, %d interleaved cold starts each (fresh emulator per start), ms:\n", r.ColdStarts)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "\tmin\tmedian\tp90\tmax\t")
		row := func(name string, s summary) {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", name, msStr(s.Min), msStr(s.Median), msStr(s.P90), msStr(s.Max))
		}
		row(hello+" init (RIE INIT REPORT)", r.Hello.Init)
		row(bare+" init (RIE INIT REPORT)", r.Bare.Init)
		row(hello+" - "+bare+", paired", r.PairedDiff)
		if r.Hello.Detect.N > 0 {
			row(hello+" detect_ms (its startup line)", r.Hello.Detect)
		}
		row(hello+" first round trip", r.Hello.RoundTrip)
		row(bare+" first round trip", r.Bare.RoundTrip)
		tw.Flush()
		verdict := "within"
		if r.InitOverrun {
			verdict = "OVER"
		}
		fmt.Fprintf(w, "median init: %s %s ms, %s %s ms, difference %+.3f ms (%s the +1 ms budget; reported, not gated)\n\n",
			hello, msStr(r.Hello.Init.Median), bare, msStr(r.Bare.Init.Median), float64(r.MedianDiff)/1e6, verdict)
	}
	if len(r.Sizes) > 0 {
		fmt.Fprintln(w, "Binary size (linux, -tags lambda.norpc, -ldflags="+fmt.Sprintf("%q", r.LDFlags)+"):")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "GOARCH\t%s bytes\t%s bytes\tdiff bytes\tdiff MB\tbudget %+.1f MB\t\n", hello, bare, float64(sizeBudget)/1e6)
		for _, s := range r.Sizes {
			verdict := "ok"
			if s.Over {
				verdict = "OVER"
			}
			fmt.Fprintf(tw, "%s\t%d\t%d\t%+d\t%+.3f\t%s\t\n", s.GOARCH, s.Hello, s.Bare, s.Diff, float64(s.Diff)/1e6, verdict)
		}
		tw.Flush()
	}
	fmt.Fprintf(w, "\n(run took %v)\n", r.Duration.Round(time.Millisecond))
}

// detectTime returns the detect_ms of hello's startup line, or -1 when
// there is none (bare) or it does not parse.
func detectTime(lines []rietest.Line) time.Duration {
	for _, l := range lines {
		if l.Stream != rietest.Stdout || !strings.Contains(l.Text, `"message":"faasprobe.startup"`) {
			continue
		}
		var v struct {
			DetectMs *float64 `json:"detect_ms"`
		}
		if json.Unmarshal([]byte(l.Text), &v) != nil || v.DetectMs == nil || *v.DetectMs < 0 {
			return -1
		}
		return time.Duration(*v.DetectMs * 1e6)
	}
	return -1
}

func msStr(d time.Duration) string { return fmt.Sprintf("%.3f", float64(d)/1e6) }
