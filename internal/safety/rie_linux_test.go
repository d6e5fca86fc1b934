//go:build linux

package safety

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A small harness for the AWS Lambda Runtime Interface Emulator. The
// examples' own harness (examples/internal/rietest) cannot be imported from
// here (Go's internal rule), so this is the part the canary test needs:
// start aws-lambda-rie on two free 127.0.0.1 ports with a given
// environment, invoke, capture all output, read the environment RIE gave
// the runtime (its AWS_LAMBDA_METADATA_TOKEN is RIE's own), stop everything.

const rieInvokePath = "/2015-03-31/functions/function/invocations"

// findRIE looks where examples/internal/rietest looks: $FAASPROBE_RIE,
// PATH, $GOBIN, $(go env GOPATH)/bin. Missing: skip, or fail when $CI is
// set (CI must not pass by skipping).
func findRIE(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("FAASPROBE_RIE"); p != "" {
		return p
	}
	if p, err := exec.LookPath("aws-lambda-rie"); err == nil {
		return p
	}
	for _, v := range []string{"GOBIN", "GOPATH"} {
		out, err := runGo(t, nil, "env", v)
		if err != nil {
			continue
		}
		for _, d := range filepath.SplitList(strings.TrimSpace(string(out))) {
			if d == "" {
				continue
			}
			if v == "GOPATH" {
				d = filepath.Join(d, "bin")
			}
			p := filepath.Join(d, "aws-lambda-rie")
			if st, err := os.Stat(p); err == nil && st.Mode()&0o111 != 0 {
				return p
			}
		}
	}
	msg := "aws-lambda-rie not found (install: bash .ci/install-rie.sh)"
	if os.Getenv("CI") != "" {
		t.Fatal(msg + "; CI is set: a failure, not a skip")
	}
	t.Skip(msg)
	return ""
}

// lockedBuffer collects a process's output from several writers.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// emulator is one running aws-lambda-rie with one function.
type emulator struct {
	cmd      *exec.Cmd
	invoke   string // host:port of the invoke API
	out      lockedBuffer
	runtime  int // the bootstrap's pid, once seen
	waitDone chan struct{}
}

func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startEmulator starts RIE with bootstrap and the environment env (nothing
// inherited), waits until it listens, and registers its stop.
func startEmulator(t testing.TB, rie, bootstrap string, env []string) *emulator {
	t.Helper()
	e := &emulator{waitDone: make(chan struct{})}
	e.invoke = "127.0.0.1:" + strconv.Itoa(freePort(t))
	runtimeAPI := "127.0.0.1:" + strconv.Itoa(freePort(t))
	e.cmd = exec.Command(rie, "--runtime-interface-emulator-address", e.invoke, "--runtime-api-address", runtimeAPI, bootstrap)
	e.cmd.Dir = filepath.Dir(bootstrap)
	e.cmd.Env = append([]string{"PATH=/usr/bin:/bin"}, env...)
	e.cmd.Stdout, e.cmd.Stderr = &e.out, &e.out
	e.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	e.cmd.WaitDelay = 3 * time.Second // the runtime (own process group) may hold the pipes
	require.NoError(t, e.cmd.Start())
	go func() { _ = e.cmd.Wait(); close(e.waitDone) }()
	t.Cleanup(func() { e.stop(t) })

	deadline := time.Now().Add(20 * time.Second)
	for _, addr := range []string{e.invoke, runtimeAPI} {
		for {
			c, err := net.DialTimeout("tcp", addr, time.Second)
			if err == nil {
				c.Close()
				break
			}
			select {
			case <-e.waitDone:
				t.Fatalf("aws-lambda-rie exited before listening on %s:\n%s", addr, e.out.String())
			default:
			}
			if time.Now().After(deadline) {
				t.Fatalf("aws-lambda-rie not listening on %s:\n%s", addr, e.out.String())
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	return e
}

// call invokes the function once and returns the status and body.
func (e *emulator) call(t testing.TB, payload string) (int, []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+e.invoke+rieInvokePath, strings.NewReader(payload))
	require.NoError(t, err)
	tr := &http.Transport{DisableKeepAlives: true}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Do(req)
	require.NoError(t, err, "invoke; emulator output:\n%s", e.out.String())
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	require.NoError(t, err)
	if e.runtime == 0 {
		e.runtime = childOf(e.cmd.Process.Pid)
	}
	return resp.StatusCode, body
}

// runtimeEnv reads the environment RIE gave the running bootstrap.
func (e *emulator) runtimeEnv(t testing.TB) map[string]string {
	t.Helper()
	require.NotZero(t, e.runtime, "no runtime process seen (invoke first)")
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(e.runtime), "environ"))
	require.NoError(t, err)
	env := map[string]string{}
	for _, kv := range bytes.Split(b, []byte{0}) {
		if k, v, ok := strings.Cut(string(kv), "="); ok {
			env[k] = v
		}
	}
	return env
}

// childOf returns a live child process of ppid (RIE has one: the
// bootstrap), or 0.
func childOf(ppid int) int {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid pgrp ...: comm may hold spaces; split after ')'.
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(string(b[i+1:]))
		if len(f) > 1 && f[1] == strconv.Itoa(ppid) && f[0] != "Z" {
			return pid
		}
	}
	return 0
}

// stop ends RIE's process group and the runtime's (RIE starts the
// bootstrap in a group of its own), and waits for RIE.
func (e *emulator) stop(t testing.TB) {
	t.Helper()
	if e.runtime == 0 {
		e.runtime = childOf(e.cmd.Process.Pid)
	}
	var errs []error
	if e.runtime != 0 {
		if err := syscall.Kill(-e.runtime, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
			errs = append(errs, fmt.Errorf("kill runtime group %d: %w", e.runtime, err))
		}
	}
	if err := syscall.Kill(-e.cmd.Process.Pid, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		errs = append(errs, fmt.Errorf("kill emulator group %d: %w", e.cmd.Process.Pid, err))
	}
	select {
	case <-e.waitDone:
	case <-time.After(10 * time.Second):
		errs = append(errs, fmt.Errorf("aws-lambda-rie %d did not exit", e.cmd.Process.Pid))
	}
	require.NoError(t, errors.Join(errs...))
}
