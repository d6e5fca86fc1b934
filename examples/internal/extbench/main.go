// Command extbench measures what faasprobe-extension costs a function: the
// same function (examples/bare) under the emulator with faasprobe-extension
// in its /opt, with the least possible extension in its /opt
// (./minimalext: register, then next until SHUTDOWN), with the same least
// extension written in C and linked statically (./minimalc, when a C
// compiler is on PATH: no language runtime to start), and with an empty
// /opt, over interleaved cold starts. The minimal extensions separate what
// any extension costs under the emulator (its process start and the
// register/next handshake, which the emulator runs before it starts the
// runtime) from what faasprobe's extension adds to that; the C one is the
// floor for an extension in any language.
//
//	sudo go run ./examples/internal/extbench -n 40 [-json out.json]
//
// Every sample is a fresh aws-lambda-rie process in a private mount
// namespace with its own /opt (so root is needed), invoked once cold and
// -warm times warm; the three sides take turns, their order rotating from
// one sample to the next. Reported, as medians over the samples: the init
// (the emulator's INIT REPORT line: it includes waiting for every extension
// to register and call next), the per-invocation round trip (the median
// warm invoke as the caller sees it: with an extension, the invocation ends
// only when it has called next again), and the extension's resident set
// size (VmRSS after the last invocation). Timings are reported, never gated.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/faasprobe/faasprobe/internal/rietest"
)

const (
	barePkg    = "github.com/faasprobe/faasprobe/examples/bare"
	extPkg     = "github.com/faasprobe/faasprobe/cmd/faasprobe-extension"
	minimalPkg = "github.com/faasprobe/faasprobe/examples/internal/extbench/minimalext"
	extName    = "faasprobe" // the file name in /opt/extensions, and so the process name
)

func main() {
	n := flag.Int("n", 40, "cold starts per side")
	warm := flag.Int("warm", 10, "warm invocations per cold start")
	out := flag.String("json", "", "also write the medians as JSON to this file")
	flag.Parse()
	if err := run(*n, *warm, *out); err != nil {
		fmt.Fprintln(os.Stderr, "extbench:", err)
		os.Exit(1)
	}
}

// side is one configuration's samples.
type side struct {
	name      string
	pkg       string // the extension's package; "" for an empty /opt
	csrc      string // or the extension's C source, built with cc
	opt       string
	init, rtt []time.Duration
	rssKB     []int64
}

// Result is the -json output: medians per side, in milliseconds.
type Result struct {
	ColdStarts int         `json:"cold_starts"`
	Warm       int         `json:"warm_invocations"`
	Sides      []SideStats `json:"sides"`
}

// SideStats is one side's medians.
type SideStats struct {
	Name   string  `json:"name"` // "faasprobe", "minimal", "minimal-c" (when cc was found), "none"
	InitMs float64 `json:"init_ms"`
	RTTMs  float64 `json:"round_trip_ms"`
	RSSKB  int64   `json:"rss_kb,omitempty"` // the extension's VmRSS; 0 for none
}

func run(n, warm int, out string) error {
	ctx := context.Background()
	tmp, err := os.MkdirTemp("", "extbench")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	boot, err := rietest.BuildBootstrap(ctx, rietest.BuildConfig{Package: barePkg, Dir: filepath.Join(tmp, "fn"), LDFlags: "-s -w"})
	if err != nil {
		return err
	}
	sides := []*side{{name: "faasprobe", pkg: extPkg}, {name: "minimal", pkg: minimalPkg}}
	if csrc, err := cSource(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "extbench: no C side:", err)
	} else {
		sides = append(sides, &side{name: "minimal-c", csrc: csrc})
	}
	sides = append(sides, &side{name: "none"}) // last: the others are read against it
	for _, s := range sides {
		if s.opt, err = makeOpt(ctx, filepath.Join(tmp, s.name), s); err != nil {
			return err
		}
	}
	for i := range n {
		for j := range sides {
			s := sides[(i+j)%len(sides)]
			if err := sample(ctx, s, boot, warm); err != nil {
				return fmt.Errorf("%s sample %d: %w", s.name, i, err)
			}
		}
	}
	res := Result{ColdStarts: n, Warm: warm}
	for _, s := range sides {
		st := SideStats{Name: s.name, InitMs: ms(median(s.init)), RTTMs: ms(median(s.rtt))}
		if len(s.rssKB) > 0 {
			st.RSSKB = medianInt(s.rssKB)
		}
		res.Sides = append(res.Sides, st)
	}
	fmt.Printf("cold starts per side: %d, warm invocations each: %d\n", n, warm)
	none := res.Sides[len(res.Sides)-1]
	for _, s := range res.Sides {
		fmt.Printf("%-9s init %7.3f ms (%+.3f over none)  round trip %6.3f ms (%+.3f)", s.Name, s.InitMs, s.InitMs-none.InitMs, s.RTTMs, s.RTTMs-none.RTTMs)
		if s.RSSKB > 0 {
			fmt.Printf("  RSS %d kB", s.RSSKB)
		}
		fmt.Println()
	}
	if out == "" {
		return nil
	}
	b, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(out, append(b, '\n'), 0o644)
}

// makeOpt makes dir, an /opt holding s's extension built as
// extensions/faasprobe (empty when s has none).
func makeOpt(ctx context.Context, dir string, s *side) (string, error) {
	opt := filepath.Join(dir, "opt")
	ext := filepath.Join(opt, "extensions", extName)
	if err := os.MkdirAll(filepath.Dir(ext), 0o755); err != nil {
		return "", err
	}
	switch {
	case s.csrc != "":
		out, err := exec.CommandContext(ctx, "cc", "-O2", "-static", "-D_GNU_SOURCE", "-o", ext, s.csrc).CombinedOutput()
		if err != nil {
			return "", fmt.Errorf("cc %s: %w\n%s", s.csrc, err, out)
		}
	case s.pkg != "":
		bin, err := rietest.BuildBootstrap(ctx, rietest.BuildConfig{Package: s.pkg, Dir: filepath.Join(dir, "build"), LDFlags: "-s -w"})
		if err != nil {
			return "", err
		}
		return opt, os.Rename(bin, ext)
	}
	return opt, nil
}

// cSource is the path of minimalc/minimal.c, when a C compiler is on PATH.
func cSource(ctx context.Context) (string, error) {
	if _, err := exec.LookPath("cc"); err != nil {
		return "", err
	}
	dir, err := exec.CommandContext(ctx, "go", "list", "-f", "{{.Dir}}", "github.com/faasprobe/faasprobe/examples/internal/extbench").Output()
	if err != nil {
		return "", fmt.Errorf("go list: %w", err)
	}
	return filepath.Join(strings.TrimSpace(string(dir)), "minimalc", "minimal.c"), nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// sample runs one fresh emulator: a cold invocation, then warm ones.
func sample(ctx context.Context, s *side, boot string, warm int) error {
	emu, err := rietest.Launch(ctx, rietest.Config{Bootstrap: boot, Opt: s.opt, Env: map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "bare"}})
	if err != nil {
		return err
	}
	defer emu.Stop()
	inv, err := emu.Invoke(ctx, []byte(`{}`))
	if err != nil {
		return err
	}
	if inv.InitDuration <= 0 {
		return errors.New("no INIT REPORT")
	}
	s.init = append(s.init, inv.InitDuration)
	rtts := make([]time.Duration, 0, warm)
	for range warm {
		inv, err := emu.Invoke(ctx, []byte(`{}`))
		if err != nil {
			return err
		}
		rtts = append(rtts, inv.Elapsed)
	}
	s.rtt = append(s.rtt, median(rtts))
	if s.pkg != "" || s.csrc != "" {
		kb, err := rssOf(extName)
		if err != nil {
			return err
		}
		s.rssKB = append(s.rssKB, kb)
	}
	return emu.Stop()
}

// rssOf is the VmRSS (kB) of the one process named comm, from /proc.
func rssOf(comm string) (int64, error) {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return 0, err
	}
	for _, e := range ents {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		c, err := os.ReadFile(filepath.Join("/proc", e.Name(), "comm"))
		if err != nil || strings.TrimSpace(string(c)) != comm {
			continue
		}
		st, err := os.ReadFile(filepath.Join("/proc", e.Name(), "status"))
		if err != nil {
			continue
		}
		for l := range strings.Lines(string(st)) {
			if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
				return strconv.ParseInt(f[1], 10, 64)
			}
		}
	}
	return 0, fmt.Errorf("no process %q", comm)
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func medianInt(xs []int64) int64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}
