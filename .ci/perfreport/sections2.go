package main

import (
	"encoding/json"
	"fmt"
	"os"
)

// probe: the README program's wrapper (faasprobe.Probe.Handler) per
// invocation against the same handler made by aws-lambda-go alone.
func (r *report) probe(bs *benchSet) {
	pkg := mod
	if !bs.has(pkg, "Handler") || !bs.has(pkg, "BareHandler") {
		return
	}
	r.p("\n## The README program's wrapper, per invocation\n\n`faasprobe.New(…).Handler(h)` — cold-start tracking, the keep-warm ping check, the invocation line written to a handler that discards it — against `lambda.NewHandler(h)`, the same typed handler on the same small JSON payload (`bench_test.go` of the root package). `HandlerNoLine` is the wrapper with `WithLogger(nil)`: the difference to `Handler` is the line's own cost.\n")
	r.table(bs, pkg, "BareHandler", "Handler", "HandlerNoLine")
	over := bs.paired(pkg, "Handler", "BareHandler", "ns/op", diff)
	line := bs.paired(pkg, "Handler", "HandlerNoLine", "ns/op", diff)
	allocs := bs.of(pkg, "Handler", "allocs/op").median - bs.of(pkg, "BareHandler", "allocs/op").median
	r.p("\n- Wrapper over the bare handler: %s per invocation (of which the line: %s), %s more allocations: the invocation's context (what `coldstart.FromContext` reads) and the line's `invocation` group.\n", fmtNsStat(over), fmtNsStat(line), fmtNum(allocs))
	v := verdict(over, atMost(3000))
	if allocs > 2 {
		v = "**FAIL** (allocates more than the context and the line's group)"
	}
	r.claim("README wrapper per invocation vs bare handler", "≤ 3 µs; no allocation beyond the line's", fmt.Sprintf("+%s, +%s allocs", fmtNsStat(over), fmtNum(allocs)), v)
}

// otelDetector: the OTel module's detector against the two Detects it
// wraps (otel/bench_test.go; its own module, benchmarked apart).
func (r *report) otelDetector(bs *benchSet) {
	pkg := mod + "/otel"
	if !bs.has(pkg, "Detector") || !bs.has(pkg, "HostSandboxDetect") {
		return
	}
	r.p("\n## OpenTelemetry detector\n\n`otel.NewDetector().Detect` (the `go.opentelemetry.io/otel/sdk/resource.Detector`) against `hostinfo.Detect` + `sandbox.Detect(WithHost)` alone, in the same rounds (`otel/bench_test.go`, the otel module).\n")
	r.table(bs, pkg, "HostSandboxDetect", "Detector", "DetectorOverhead", "ColdstartWrap", "Wrap")
	ra := bs.paired(pkg, "Detector", "HostSandboxDetect", "ns/op", ratio)
	r.p("\n- Detector / (hostinfo.Detect + sandbox.Detect): %s.\n", fmtRatio(ra))
	r.claim("OTel detector vs hostinfo.Detect + sandbox.Detect", "≤ 1.2×", fmtRatio(ra), verdict(ra, atMost(1.2)))
}

// extbenchResult is extbench's -json output.
type extbenchResult struct {
	ColdStarts int `json:"cold_starts"`
	Warm       int `json:"warm_invocations"`
	Sides      []struct {
		Name   string  `json:"name"`
		InitMs float64 `json:"init_ms"`
		RTTMs  float64 `json:"round_trip_ms"`
		RSSKB  int64   `json:"rss_kb"`
	} `json:"sides"`
}

// extension: faasprobe-extension against the least possible extension
// and none, under the emulator.
func (r *report) extension(file string) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var e extbenchResult
	if err := json.Unmarshal(b, &e); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	side := map[string]int{}
	for i, s := range e.Sides {
		side[s.Name] = i
	}
	fi, ok1 := side["faasprobe"]
	mi, ok2 := side["minimal"]
	ni, ok3 := side["none"]
	if !ok1 || !ok2 || !ok3 {
		return fmt.Errorf("%s: want the sides faasprobe, minimal and none", file)
	}
	f, m, n := e.Sides[fi], e.Sides[mi], e.Sides[ni]
	ci, haveC := side["minimal-c"]
	type row struct {
		name string
		i    int // in e.Sides
	}
	rows := []row{{"faasprobe-extension", fi}, {"minimal extension (Go)", mi}}
	cText := ""
	if haveC {
		rows = append(rows, row{"minimal extension (C, static)", ci})
		cText = ", the same least extension in C, linked statically (`examples/internal/extbench/minimalc`: no language runtime to start; built when `cc` is on PATH)"
	}
	rows = append(rows, row{"no extension", ni})
	r.p("\n## The Lambda extension\n\n`examples/bare` under aws-lambda-rie with `cmd/faasprobe-extension` in its `/opt/extensions`, with the least possible extension there (`examples/internal/extbench/minimalext`: register, then `next` until SHUTDOWN, nothing else)%s, and with an empty `/opt`; %d cold starts each, the %d sides taking turns, each a fresh emulator in a private mount namespace, then %d warm invocations (`go run ./examples/internal/extbench -n %d`, as root). Medians.\n\n", cText, e.ColdStarts, len(rows), e.Warm, e.ColdStarts)
	r.p("| Side | Init (INIT REPORT) | over none | warm round trip | over none | extension RSS |\n|---|---|---|---|---|---|\n")
	for _, s := range rows {
		x := e.Sides[s.i]
		rss := "—"
		if x.RSSKB > 0 {
			rss = fmt.Sprintf("%d kB", x.RSSKB)
		}
		r.p("| %s | %.3f ms | %+.3f ms | %.3f ms | %+.3f ms | %s |\n", s.name, x.InitMs, x.InitMs-n.InitMs, x.RTTMs, x.RTTMs-n.RTTMs, rss)
	}
	own := f.InitMs - m.InitMs
	r.p("\nThe emulator starts the runtime only after every extension has registered, so any extension's process start and handshake is on the init path: the minimal Go extension costs %+.3f ms here, of which nothing is faasprobe's. faasprobe-extension's own part is the difference to it: %+.3f ms (it registers first and detects in the background).", m.InitMs-n.InitMs, own)
	floor := m.InitMs - n.InitMs
	if haveC {
		c := e.Sides[ci]
		floor = c.InitMs - n.InitMs
		r.p(" The C extension is the floor for an extension in any language under this emulator on this machine: %+.3f ms; a Go extension's runtime start adds %+.3f ms to it.", floor, m.InitMs-c.InitMs)
	}
	r.p("\n")
	initV := pass(f.InitMs-n.InitMs <= 3)
	if f.InitMs-n.InitMs > 3 {
		initV = fmt.Sprintf("**FAIL** as stated: the least possible Go extension alone costs %+.3f ms under the emulator (the C floor %+.3f ms); faasprobe's own part is %+.3f ms (%s against +3 ms)", m.InitMs-n.InitMs, floor, own, pass(own <= 3))
	}
	r.claim("Extension: Init median vs no extension (RIE)", "≤ +3 ms", fmt.Sprintf("%+.3f ms (minimal extension %+.3f ms)", f.InitMs-n.InitMs, m.InitMs-n.InitMs), initV)
	r.claim("Extension: warm round trip vs no extension", "≤ +0.3 ms", fmt.Sprintf("%+.3f ms", f.RTTMs-n.RTTMs), pass(f.RTTMs-n.RTTMs <= 0.3))
	r.claim("Extension RSS", "≤ 12 MB", fmt.Sprintf("%d kB", f.RSSKB), pass(f.RSSKB > 0 && f.RSSKB <= 12*1024))
	return nil
}
