// Command extbench measures what faasprobe-extension costs a function: the
// same function (examples/bare) under the emulator with the extension in
// its /opt and with an empty /opt, over interleaved cold starts.
//
//	sudo go run ./examples/internal/extbench -n 40
//
// Every sample is a fresh aws-lambda-rie process in a private mount
// namespace with its own /opt (so root is needed), invoked once cold and
// -warm times warm. Reported, as medians over the samples: the init (the
// emulator's INIT REPORT line: it includes waiting for every extension to
// register and call next), the per-invocation round trip (the median warm
// invoke as the caller sees it: with an extension, the invocation ends only
// when it has called next again), and the extension's resident set size
// (VmRSS after the last invocation). Timings are reported, never gated.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/faasprobe/faasprobe/internal/rietest"
)

const (
	barePkg = "github.com/faasprobe/faasprobe/examples/bare"
	extPkg  = "github.com/faasprobe/faasprobe/cmd/faasprobe-extension"
)

func main() {
	n := flag.Int("n", 40, "cold starts per side")
	warm := flag.Int("warm", 10, "warm invocations per cold start")
	flag.Parse()
	if err := run(*n, *warm); err != nil {
		fmt.Fprintln(os.Stderr, "extbench:", err)
		os.Exit(1)
	}
}

// side is one configuration's samples.
type side struct {
	name      string
	opt       string
	init, rtt []time.Duration
	rssKB     []int64
}

func run(n, warm int) error {
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
	withOpt, emptyOpt := filepath.Join(tmp, "with"), filepath.Join(tmp, "empty")
	for _, d := range []string{filepath.Join(withOpt, "extensions"), emptyOpt, filepath.Join(tmp, "ext")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	ext, err := rietest.BuildBootstrap(ctx, rietest.BuildConfig{Package: extPkg, Dir: filepath.Join(tmp, "ext"), LDFlags: "-s -w"})
	if err != nil {
		return err
	}
	if err := os.Rename(ext, filepath.Join(withOpt, "extensions", "faasprobe")); err != nil {
		return err
	}
	sides := []*side{{name: "extension", opt: withOpt}, {name: "none", opt: emptyOpt}}
	for i := range n {
		order := sides
		if i%2 == 1 {
			order = []*side{sides[1], sides[0]}
		}
		for _, s := range order {
			if err := sample(ctx, s, boot, warm); err != nil {
				return fmt.Errorf("%s sample %d: %w", s.name, i, err)
			}
		}
	}
	with, none := sides[0], sides[1]
	fmt.Printf("cold starts per side: %d, warm invocations each: %d\n", n, warm)
	fmt.Printf("init median: extension %v, none %v, difference %+v\n", median(with.init), median(none.init), median(with.init)-median(none.init))
	fmt.Printf("round trip median: extension %v, none %v, difference %+v\n", median(with.rtt), median(none.rtt), median(with.rtt)-median(none.rtt))
	fmt.Printf("extension RSS median: %d kB (max %d kB)\n", medianInt(with.rssKB), slices.Max(with.rssKB))
	return nil
}

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
	if s.name == "extension" {
		kb, err := rssOf("faasprobe")
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
