// Command record writes hello-rie.log: examples/hello's stdout under the
// Lambda Runtime Interface Emulator (internal/rietest's pinned one), three
// emulator processes on this machine, as PROVENANCE.md describes them.
//
//	go run ./internal/fleet/testdata/record   # from the repository root
//
// Run it again whenever the lines hello writes gain or lose a field: the
// fleetgen tests check that the file has exactly the fields hello writes.
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/faasprobe/faasprobe/internal/rietest"
)

const out = "internal/fleet/testdata/hello-rie.log"

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "record:", err)
		os.Exit(1)
	}
}

func run() error {
	ctx := context.Background()
	tmp, err := os.MkdirTemp("", "record-hello")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	boot, err := rietest.BuildBootstrap(ctx, rietest.BuildConfig{Package: "github.com/faasprobe/faasprobe/examples/hello", Dir: filepath.Join(tmp, "fn")})
	if err != nil {
		return err
	}
	runs := []struct {
		stream string // AWS_LAMBDA_LOG_STREAM_NAME; "" for the emulator's default
		n      int
	}{
		{"2026/12/05/[$LATEST]0f4b2c7e9d1a4e3b8c6f5a2d1e0b9c8a", 4},
		{"2026/12/05/[$LATEST]7a1d3e5f2b4c4d6e8f0a1b2c3d4e5f60", 2},
		{"", 2},
	}
	var b strings.Builder
	for _, r := range runs {
		env := map[string]string{
			"AWS_LAMBDA_FUNCTION_NAME":        "hello",
			"AWS_REGION":                      "us-east-1",
			"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
			"AWS_LAMBDA_INITIALIZATION_TYPE":  "on-demand",
		}
		if r.stream != "" {
			env["AWS_LAMBDA_LOG_STREAM_NAME"] = r.stream
		}
		emu, err := rietest.Launch(ctx, rietest.Config{Bootstrap: boot, Env: env})
		if err != nil {
			return err
		}
		for i := range r.n {
			if _, err := emu.Invoke(ctx, []byte(fmt.Sprintf(`{"i":%d}`, i))); err != nil {
				emu.Stop()
				return err
			}
		}
		if err := emu.Stop(); err != nil {
			return err
		}
		for _, l := range emu.Lines() {
			if l.Stream == rietest.Stdout {
				b.WriteString(l.Text + "\n")
			}
		}
	}
	return os.WriteFile(out, []byte(b.String()), 0o644)
}
