package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// result is one benchmark line of one round.
type result struct {
	pkg     string
	name    string // without "Benchmark" and the -GOMAXPROCS suffix
	procs   int
	iters   int64
	metrics map[string]float64 // unit → value ("ns/op", "B/op", "allocs/op", "MB/s", custom)
	round   int                // 0-based: the n-th line for this pkg+name
}

// benchSet is every result of a run, with the header facts.
type benchSet struct {
	results []result
	cpu     string
	goos    string
	goarch  string
}

// parseBench reads `go test -bench` output (many runs appended). Lines
// that are not benchmark results or headers are ignored.
func parseBench(r io.Reader) (*benchSet, error) {
	s := &benchSet{}
	seen := map[string]int{}
	pkg := ""
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if v, ok := strings.CutPrefix(line, "pkg: "); ok {
			pkg = strings.TrimSpace(v)
			continue
		}
		if v, ok := strings.CutPrefix(line, "cpu: "); ok {
			s.cpu = strings.TrimSpace(v)
			continue
		}
		if v, ok := strings.CutPrefix(line, "goos: "); ok {
			s.goos = strings.TrimSpace(v)
			continue
		}
		if v, ok := strings.CutPrefix(line, "goarch: "); ok {
			s.goarch = strings.TrimSpace(v)
			continue
		}
		if !strings.HasPrefix(line, "Benchmark") {
			continue
		}
		res, ok, err := parseResult(line)
		if err != nil {
			return s, err
		}
		if !ok {
			continue
		}
		res.pkg = pkg
		key := pkg + " " + res.name
		res.round = seen[key]
		seen[key]++
		s.results = append(s.results, res)
	}
	return s, sc.Err()
}

// parseResult parses "BenchmarkName-2  N  V unit  V unit ...". ok is false
// for lines that start with Benchmark but are not results (a name printed
// alone before its output, a log line).
func parseResult(line string) (result, bool, error) {
	f := strings.Fields(line)
	if len(f) < 4 || len(f)%2 != 0 {
		return result{}, false, nil
	}
	iters, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil {
		return result{}, false, nil
	}
	name := strings.TrimPrefix(f[0], "Benchmark")
	procs := 1
	if i := strings.LastIndexByte(name, '-'); i > 0 {
		if p, err := strconv.Atoi(name[i+1:]); err == nil {
			name, procs = name[:i], p
		}
	}
	res := result{name: name, procs: procs, iters: iters, metrics: map[string]float64{}}
	for i := 2; i+1 < len(f); i += 2 {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			return result{}, false, fmt.Errorf("bench line %q: value %q: %w", line, f[i], err)
		}
		res.metrics[f[i+1]] = v
	}
	return res, true, nil
}

// values returns name's values of unit in pkg, by round.
func (s *benchSet) values(pkg, name, unit string) map[int]float64 {
	out := map[int]float64{}
	for _, r := range s.results {
		if r.pkg == pkg && r.name == name {
			if v, ok := r.metrics[unit]; ok {
				out[r.round] = v
			}
		}
	}
	return out
}

// has reports whether pkg has a benchmark name.
func (s *benchSet) has(pkg, name string) bool {
	return slices.ContainsFunc(s.results, func(r result) bool { return r.pkg == pkg && r.name == name })
}

// stat is a median with the range of the values it summarises.
type stat struct {
	median, min, max float64
	n                int
	vals             []float64 // the values, one per round
}

// meeting counts the values that meet a target.
func (s stat) meeting(meets func(float64) bool) int {
	k := 0
	for _, v := range s.vals {
		if meets(v) {
			k++
		}
	}
	return k
}

func summarize(vs []float64) stat {
	if len(vs) == 0 {
		return stat{median: math.NaN(), min: math.NaN(), max: math.NaN()}
	}
	s := slices.Clone(vs)
	slices.Sort(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return stat{median: m, min: s[0], max: s[len(s)-1], n: len(s), vals: s}
}

// of summarises name's values of unit in pkg over the rounds.
func (s *benchSet) of(pkg, name, unit string) stat {
	var vs []float64
	for _, v := range s.values(pkg, name, unit) {
		vs = append(vs, v)
	}
	return summarize(vs)
}

// paired combines two benchmarks round by round (both measured in the same
// round, seconds apart) with op and summarises the results.
func (s *benchSet) paired(pkg, a, b, unit string, op func(x, y float64) float64) stat {
	av, bv := s.values(pkg, a, unit), s.values(pkg, b, unit)
	var vs []float64
	for round, x := range av {
		if y, ok := bv[round]; ok {
			vs = append(vs, op(x, y))
		}
	}
	return summarize(vs)
}

func ratio(x, y float64) float64 { return x / y }
func diff(x, y float64) float64  { return x - y }

// names returns the benchmark names of pkg in first-seen order.
func (s *benchSet) names(pkg string) []string {
	var out []string
	for _, r := range s.results {
		if r.pkg == pkg && !slices.Contains(out, r.name) {
			out = append(out, r.name)
		}
	}
	return out
}

// pkgs returns the packages in first-seen order.
func (s *benchSet) pkgs() []string {
	var out []string
	for _, r := range s.results {
		if !slices.Contains(out, r.pkg) {
			out = append(out, r.pkg)
		}
	}
	return out
}

// units returns the units name reports in pkg, ns/op first.
func (s *benchSet) units(pkg, name string) []string {
	var out []string
	for _, r := range s.results {
		if r.pkg != pkg || r.name != name {
			continue
		}
		for u := range r.metrics {
			if !slices.Contains(out, u) {
				out = append(out, u)
			}
		}
	}
	order := map[string]int{"ns/op": 0, "B/op": 1, "allocs/op": 2, "MB/s": 3}
	slices.SortFunc(out, func(a, b string) int {
		oa, okA := order[a]
		ob, okB := order[b]
		switch {
		case okA && okB:
			return oa - ob
		case okA:
			return -1
		case okB:
			return 1
		}
		return strings.Compare(a, b)
	})
	return out
}
