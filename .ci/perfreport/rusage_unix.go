//go:build unix

package main

import (
	"context"
	"fmt"
	"os/exec"
	"syscall"
	"time"
)

// peakRSS runs the test binary for the benchmarks matching re, once each,
// alone, and returns the process's maximum resident set size in KiB.
func peakRSS(bin, re string) (int64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-test.run", "^$", "-test.bench", re, "-test.benchtime", "1x")
	cmd.Dir = "internal/fleet" // the package directory, as go test runs it (testdata)
	if out, err := cmd.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("%s: %w: %s", bin, err, out)
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0, fmt.Errorf("no rusage")
	}
	return ru.Maxrss, nil // KiB on Linux
}
