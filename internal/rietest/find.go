package rietest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Module and Version pin the emulator the tests are written against.
const (
	Module  = "github.com/aws/aws-lambda-runtime-interface-emulator"
	Version = "v0.0.0-20261030222936-bef5c4ba774d"
)

// InstallCommand installs the pinned emulator into $(go env GOPATH)/bin.
const InstallCommand = "go install " + Module + "/cmd/aws-lambda-rie@" + Version

// binaryName is the emulator's command name.
const binaryName = "aws-lambda-rie"

// ErrNotFound is returned by Find when no emulator binary is found.
var ErrNotFound = errors.New("rietest: aws-lambda-rie not found (install: " + InstallCommand + ")")

// errNotLinux: the emulator (and the process control here) is Linux-only.
var errNotLinux = errors.New("rietest: the Runtime Interface Emulator runs only on Linux")

// Find returns the path of the aws-lambda-rie binary. It looks at
// $FAASPROBE_RIE (an explicit path), then $PATH, then $GOBIN and
// $(go env GOPATH)/bin (each GOPATH entry). It returns ErrNotFound if none
// holds an executable file.
func Find() (string, error) {
	if p := os.Getenv("FAASPROBE_RIE"); p != "" {
		if isExecutable(p) {
			return p, nil
		}
		return "", fmt.Errorf("rietest: FAASPROBE_RIE=%q is not an executable file", p)
	}
	if p, err := exec.LookPath(binaryName); err == nil {
		return p, nil
	}
	for _, dir := range goBinDirs() {
		p := filepath.Join(dir, binaryName)
		if isExecutable(p) {
			return p, nil
		}
	}
	return "", ErrNotFound
}

// Require returns the emulator's path for a test. When it is missing, or
// the OS is not Linux, the test is skipped with the install command — unless
// $CI is set, where a missing emulator on Linux fails the test: CI must
// never pass by skipping the end-to-end tests.
func Require(t testing.TB) string {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip(errNotLinux.Error())
	}
	p, err := Find()
	if err == nil {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%v; CI is set, so this is a failure, not a skip (run .ci/install-rie.sh)", err)
	}
	t.Skipf("%v", err)
	return ""
}

// goBinDirs lists where `go install` puts binaries: $GOBIN, else each
// $GOPATH entry's bin (GOPATH from `go env`, which knows its default).
func goBinDirs() []string {
	var dirs []string
	if d := goEnv("GOBIN"); d != "" {
		dirs = append(dirs, d)
	}
	for _, p := range filepath.SplitList(goEnv("GOPATH")) {
		if p != "" {
			dirs = append(dirs, filepath.Join(p, "bin"))
		}
	}
	return dirs
}

// goEnv returns `go env NAME`, or the environment variable when the go
// command cannot be run.
func goEnv(name string) string {
	goCmd, err := goTool()
	if err != nil {
		return os.Getenv(name)
	}
	out, err := exec.Command(goCmd, "env", name).Output()
	if err != nil {
		return os.Getenv(name)
	}
	return strings.TrimSpace(string(out))
}

// goTool finds the go command: on $PATH (go test puts $GOROOT/bin first),
// else in GOROOT.
func goTool() (string, error) {
	if p, err := exec.LookPath("go"); err == nil {
		return p, nil
	}
	p := filepath.Join(runtime.GOROOT(), "bin", "go")
	if isExecutable(p) {
		return p, nil
	}
	return "", errors.New("rietest: go command not found on PATH or in GOROOT")
}

func isExecutable(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}
