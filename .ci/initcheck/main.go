// Command initcheck measures what importing faasprobe costs a process
// before main runs, and fails when one of faasprobe's own packages does any
// work at init (no init(), no package-level maps, regexps or
// other computed values — importing a faasprobe package costs nothing).
//
//	go run ./.ci/initcheck                    # the gate: exit 1 if a faasprobe package shows up
//	go run ./.ci/initcheck -runs 7 -json out.json -bin ./bootstrap -bin ./other
//
// It derives the library packages from `go list ./...` (every package of
// the module that is not a command — package main, cmd/..., examples/... —
// and whose non-test code does not import "testing"), builds a program
// that links them all (generated, and handed to go build with -overlay, so
// nothing is written into the work tree), then runs it — and every -bin
// binary — with GODEBUG=inittrace=1 and parses the runtime's init lines:
//
//	init github.com/prometheus/procfs @0.51 ms, 0.15 ms clock, 61064 bytes, 889 allocs
//
// A package appears there only when it has init work (package-level
// variables computed at run time, init functions). The verdict is taken on
// every run, the figures are the medians over -runs runs.
//
// Every binary runs with an empty environment (but GODEBUG), no
// arguments, and is killed after -timeout: a Lambda bootstrap started
// outside Lambda fails at once (no AWS_LAMBDA_RUNTIME_API) after its inits
// ran.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// ownPrefix is the import-path prefix of faasprobe's own packages.
const ownPrefix = "github.com/faasprobe/faasprobe/"

// Init is one package's init work in one run, as the runtime reports it.
type Init struct {
	Package string  `json:"package"`
	ClockMs float64 `json:"clock_ms"`
	Bytes   int64   `json:"bytes"`
	Allocs  int64   `json:"allocs"`
}

// Binary is the median init cost per package over the runs of one binary.
type Binary struct {
	Name     string `json:"name"` // "every library package" or the -bin path's base
	Path     string `json:"path"`
	Runs     int    `json:"runs"`
	Packages []Init `json:"packages"` // medians, in init order of the first run
	// Own lists faasprobe packages that did init work in any run (must be
	// empty).
	Own []string `json:"own"`
	// TotalClockMs is the median of the per-run sums of ClockMs.
	TotalClockMs float64 `json:"total_clock_ms"`
	TotalBytes   int64   `json:"total_bytes"`
	TotalAllocs  int64   `json:"total_allocs"`
}

type binList []string

func (b *binList) String() string     { return strings.Join(*b, ",") }
func (b *binList) Set(v string) error { *b = append(*b, v); return nil }

func main() {
	runs := flag.Int("runs", 3, "runs per binary (figures are medians)")
	jsonOut := flag.String("json", "", "write the results as JSON to this file")
	timeout := flag.Duration("timeout", 10*time.Second, "bound on one run of a binary")
	tags := flag.String("tags", "lambda.norpc", "build tags for the generated program (as functions are built)")
	quiet := flag.Bool("q", false, "print only failures")
	var bins binList
	flag.Var(&bins, "bin", "also measure this binary (repeatable); the gate applies to every binary")
	flag.Parse()
	if *runs < 1 {
		fmt.Fprintln(os.Stderr, "initcheck: -runs must be ≥ 1")
		os.Exit(2)
	}

	tmp, err := os.MkdirTemp("", "initcheck-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "initcheck:", err)
		os.Exit(2)
	}
	defer os.RemoveAll(tmp)
	all, pkgs, err := buildAll(tmp, *tags)
	if err != nil {
		fmt.Fprintln(os.Stderr, "initcheck:", err)
		os.Exit(2)
	}
	if !*quiet {
		fmt.Printf("library packages linked: %s\n\n", strings.Join(pkgs, " "))
	}
	targets := []struct{ name, path string }{{"every library package", all}}
	for _, b := range bins {
		targets = append(targets, struct{ name, path string }{filepath.Base(b), b})
	}

	var results []Binary
	failed := false
	for _, t := range targets {
		res, err := measure(t.name, t.path, *runs, *timeout)
		if err != nil {
			fmt.Fprintln(os.Stderr, "initcheck:", err)
			os.Exit(2)
		}
		results = append(results, res)
		if len(res.Own) > 0 {
			failed = true
			fmt.Fprintf(os.Stderr, "initcheck: FAIL: %s: faasprobe packages do work at init: %s\n", t.name, strings.Join(res.Own, ", "))
		}
		if !*quiet {
			printBinary(os.Stdout, res)
		}
	}
	if *jsonOut != "" {
		b, err := json.MarshalIndent(results, "", "  ")
		if err == nil {
			err = os.WriteFile(*jsonOut, append(b, '\n'), 0o644)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "initcheck: write json:", err)
			os.Exit(2)
		}
	}
	if failed {
		os.Exit(1)
	}
	if !*quiet {
		fmt.Println("initcheck: ok — no faasprobe package does work at init")
	}
}

// libraryPackages lists the module's library packages: not package main,
// not under cmd/ or examples/, and not test support (non-test code that
// imports "testing", or only a doc.go). Run from the module root.
func libraryPackages() ([]string, error) {
	out, err := exec.Command("go", "list", "-e", "-json", "./...").Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			err = fmt.Errorf("%w: %s", err, ee.Stderr)
		}
		return nil, fmt.Errorf("go list: %w", err)
	}
	var pkgs []string
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p struct {
			ImportPath, Name string
			GoFiles, Imports []string
			Error            *struct{ Err string }
		}
		if err := dec.Decode(&p); err != nil {
			return nil, err
		}
		rel, ok := strings.CutPrefix(p.ImportPath, ownPrefix)
		if !ok || p.Name == "main" || strings.HasPrefix(rel, "cmd/") || strings.HasPrefix(rel, "examples/") ||
			slices.Contains(p.Imports, "testing") || slices.Equal(p.GoFiles, []string{"doc.go"}) {
			continue // a command, or test support (internal/safety is a doc.go and tests)
		}
		if p.Error != nil {
			return nil, fmt.Errorf("%s: %s", p.ImportPath, p.Error.Err)
		}
		pkgs = append(pkgs, p.ImportPath)
	}
	if len(pkgs) == 0 {
		return nil, errors.New("no library package found (run from the module root)")
	}
	return pkgs, nil
}

// buildAll generates a program that blank-imports every library package
// and builds it into dir. The source is given to go build through -overlay
// at .ci/initcheck/generated/main.go (inside the module, so internal
// packages may be imported); nothing is written into the work tree.
func buildAll(dir, tags string) (bin string, pkgs []string, err error) {
	pkgs, err = libraryPackages()
	if err != nil {
		return "", nil, err
	}
	var src strings.Builder
	src.WriteString("// Generated by .ci/initcheck: links every faasprobe library package.\npackage main\n\nimport (\n")
	for _, p := range pkgs {
		fmt.Fprintf(&src, "\t_ %q\n", p)
	}
	src.WriteString(")\n\nfunc main() {}\n")
	srcFile := filepath.Join(dir, "main.go")
	if err := os.WriteFile(srcFile, []byte(src.String()), 0o644); err != nil {
		return "", nil, err
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", nil, err
	}
	virtual := filepath.Join(wd, ".ci", "initcheck", "generated", "main.go")
	overlay, err := json.Marshal(map[string]map[string]string{"Replace": {virtual: srcFile}})
	if err != nil {
		return "", nil, err
	}
	overlayFile := filepath.Join(dir, "overlay.json")
	if err := os.WriteFile(overlayFile, overlay, 0o644); err != nil {
		return "", nil, err
	}
	bin = filepath.Join(dir, "all-library-packages")
	cmd := exec.Command("go", "build", "-overlay", overlayFile, "-tags", tags, "-o", bin, "./.ci/initcheck/generated")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", nil, fmt.Errorf("build the generated program: %w\n%s", err, out)
	}
	return bin, pkgs, nil
}

// measure runs path runs times under GODEBUG=inittrace=1.
func measure(name, path string, runs int, timeout time.Duration) (Binary, error) {
	res := Binary{Name: name, Path: path, Runs: runs, Packages: []Init{}, Own: []string{}}
	var all [][]Init
	for range runs {
		inits, err := traceOnce(path, timeout)
		if err != nil {
			return res, err
		}
		all = append(all, inits)
	}
	res.Packages, res.TotalClockMs, res.TotalBytes, res.TotalAllocs = medians(all)
	for _, run := range all {
		for _, in := range run {
			if strings.HasPrefix(in.Package, ownPrefix) && !slices.Contains(res.Own, in.Package) {
				res.Own = append(res.Own, in.Package)
			}
		}
	}
	return res, nil
}

// traceOnce runs the binary once and parses its init lines from stderr.
func traceOnce(path string, timeout time.Duration) ([]Init, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path)
	cmd.Env = []string{"GODEBUG=inittrace=1", "PATH=/usr/bin:/bin"}
	var stderr bytes.Buffer
	cmd.Stdout = io.Discard
	cmd.Stderr = &stderr
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	inits, perr := ParseInitTrace(&stderr)
	if perr != nil {
		return nil, fmt.Errorf("%s: %w", path, perr)
	}
	if len(inits) == 0 {
		// A Go binary always reports runtime's init; nothing means it did
		// not start (or is not a Go binary).
		return nil, fmt.Errorf("%s: no inittrace output (exit: %v)", path, err)
	}
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) && ctx.Err() == nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return inits, nil
}

// ParseInitTrace parses the runtime's inittrace lines
//
//	init PKG @START ms, CLOCK ms clock, BYTES bytes, ALLOCS allocs
//
// and ignores every other line. A line that starts with "init " and has
// " ms clock" but does not parse is an error.
func ParseInitTrace(r io.Reader) ([]Init, error) {
	var out []Init
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "init ") || !strings.Contains(line, " ms clock") {
			continue
		}
		in, err := parseInitLine(line)
		if err != nil {
			return out, err
		}
		out = append(out, in)
	}
	return out, sc.Err()
}

func parseInitLine(line string) (Init, error) {
	bad := func(why string) (Init, error) {
		return Init{}, fmt.Errorf("inittrace: %s: %q", why, line)
	}
	rest := strings.TrimPrefix(line, "init ")
	pkg, rest, ok := strings.Cut(rest, " @")
	if !ok || pkg == "" {
		return bad("no package")
	}
	fields := strings.Split(rest, ", ")
	if len(fields) != 4 {
		return bad("want 4 comma-separated fields")
	}
	num := func(field, unit string) (string, bool) {
		v, ok := strings.CutSuffix(field, " "+unit)
		return v, ok
	}
	clock, ok := num(fields[1], "ms clock")
	if !ok {
		return bad("no clock")
	}
	bytesS, ok := num(fields[2], "bytes")
	if !ok {
		return bad("no bytes")
	}
	allocsS, ok := num(fields[3], "allocs")
	if !ok {
		return bad("no allocs")
	}
	c, err1 := strconv.ParseFloat(clock, 64)
	b, err2 := strconv.ParseInt(bytesS, 10, 64)
	a, err3 := strconv.ParseInt(allocsS, 10, 64)
	if err := errors.Join(err1, err2, err3); err != nil {
		return bad(err.Error())
	}
	return Init{Package: pkg, ClockMs: c, Bytes: b, Allocs: a}, nil
}

// medians returns, per package (in the first run's order, then any package
// only later runs show), the median clock, bytes and allocs over the runs
// (a run where the package is absent counts as 0), and the medians of the
// per-run totals.
func medians(runs [][]Init) (pkgs []Init, clock float64, bytes, allocs int64) {
	var order []string
	for _, run := range runs {
		for _, in := range run {
			if !slices.Contains(order, in.Package) {
				order = append(order, in.Package)
			}
		}
	}
	pkgs = []Init{}
	for _, p := range order {
		var cs []float64
		var bs, as []int64
		for _, run := range runs {
			var found Init
			for _, in := range run {
				if in.Package == p {
					found = in
					break
				}
			}
			cs, bs, as = append(cs, found.ClockMs), append(bs, found.Bytes), append(as, found.Allocs)
		}
		pkgs = append(pkgs, Init{Package: p, ClockMs: median(cs), Bytes: median(bs), Allocs: median(as)})
	}
	var tc []float64
	var tb, ta []int64
	for _, run := range runs {
		var c float64
		var b, a int64
		for _, in := range run {
			c, b, a = c+in.ClockMs, b+in.Bytes, a+in.Allocs
		}
		tc, tb, ta = append(tc, c), append(tb, b), append(ta, a)
	}
	return pkgs, median(tc), median(tb), median(ta)
}

func median[T float64 | int64](v []T) T {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func printBinary(w io.Writer, b Binary) {
	fmt.Fprintf(w, "%s: %d packages with init work, total %.3f ms, %d bytes, %d allocs (median of %d runs)\n",
		b.Name, len(b.Packages), b.TotalClockMs, b.TotalBytes, b.TotalAllocs, b.Runs)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "package\tclock ms\tbytes\tallocs\t")
	for _, p := range b.Packages {
		fmt.Fprintf(tw, "%s\t%.3f\t%d\t%d\t\n", p.Package, p.ClockMs, p.Bytes, p.Allocs)
	}
	tw.Flush()
	fmt.Fprintln(w)
}
