package rietest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// BuildConfig says what to build and how. The build is always
// `CGO_ENABLED=0 GOOS=linux go build -tags lambda.norpc`, as for the
// provided.al2023 runtime.
type BuildConfig struct {
	// Package is the import path (or a ./relative path from the current
	// directory) of the handler's main package.
	Package string
	// Dir is where `bootstrap` is written. Required.
	Dir string
	// GOARCH to build for. Default: runtime.GOARCH (the emulator runs the
	// binary natively).
	GOARCH string
	// LDFlags is passed as -ldflags when not empty (e.g. "-s -w").
	// Default: none.
	LDFlags string
	// Tags are build tags added to lambda.norpc. Default: none.
	Tags []string
}

// buildTimeout bounds one `go build`.
const buildTimeout = 5 * time.Minute

// BuildBootstrap builds cfg.Package into cfg.Dir/bootstrap and returns that
// path. The go command's own output is included in the error on failure.
func BuildBootstrap(ctx context.Context, cfg BuildConfig) (string, error) {
	if cfg.Package == "" || cfg.Dir == "" {
		return "", errors.New("rietest: BuildConfig needs Package and Dir")
	}
	goCmd, err := goTool()
	if err != nil {
		return "", err
	}
	goarch := cfg.GOARCH
	if goarch == "" {
		goarch = runtime.GOARCH
	}
	tags := "lambda.norpc"
	for _, t := range cfg.Tags {
		tags += "," + t
	}
	out := filepath.Join(cfg.Dir, "bootstrap")
	args := []string{"build", "-tags", tags, "-o", out}
	if cfg.LDFlags != "" {
		args = append(args, "-ldflags", cfg.LDFlags)
	}
	args = append(args, cfg.Package)

	ctx, cancel := context.WithTimeout(ctx, buildTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, goCmd, args...)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+goarch)
	var stderr bytes.Buffer
	cmd.Stdout = &stderr
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("rietest: GOARCH=%s go %v: %w\n%s", goarch, args, err, stderr.Bytes())
	}
	return out, nil
}

// Build builds pkg for this machine's architecture into a fresh temporary
// directory of the test and returns the bootstrap's path; it fails the test
// on error.
func Build(t testing.TB, pkg string) string {
	t.Helper()
	p, err := BuildBootstrap(context.Background(), BuildConfig{Package: pkg, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	return p
}
