package main

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/internal/fleet"
	"github.com/faasprobe/faasprobe/internal/logline"
	"github.com/faasprobe/faasprobe/internal/rietest"
	"github.com/faasprobe/faasprobe/internal/schema"
)

// requireTool returns the path of an interpreter the end-to-end tests
// need; like rietest.Require, a missing one fails in CI and skips
// elsewhere, saying so.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s not found (%v); CI is set, so this is a failure, not a skip", name, err)
	}
	t.Skipf("%s not found: %v", name, err)
	return ""
}

// requireRoot: a private /opt needs a mount namespace, so root.
func requireRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() == 0 {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatal("a private /opt per test needs root; CI is set, so this is a failure, not a skip")
	}
	t.Skip("a private /opt per test needs root")
}

// buildLayer builds the extension into a fresh /opt tree
// (opt/extensions/faasprobe) and returns the tree's root.
func buildLayer(t testing.TB) string {
	t.Helper()
	opt := t.TempDir()
	dir := filepath.Join(opt, "extensions")
	require.NoError(t, os.Mkdir(dir, 0o755))
	bin, err := rietest.BuildBootstrap(context.Background(), rietest.BuildConfig{
		Package: "github.com/faasprobe/faasprobe/cmd/faasprobe-extension", Dir: t.TempDir(),
	})
	require.NoError(t, err)
	require.NoError(t, os.Rename(bin, filepath.Join(dir, "faasprobe")))
	return opt
}

// scriptBootstrap writes an executable bootstrap that runs script with
// the interpreter at interp.
func scriptBootstrap(t *testing.T, interp, script string) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", script))
	require.NoError(t, err)
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, script), src, 0o644))
	boot := filepath.Join(dir, "bootstrap")
	sh := "#!/bin/sh\nexec " + interp + " " + filepath.Join(dir, script) + "\n"
	require.NoError(t, os.WriteFile(boot, []byte(sh), 0o755))
	return boot
}

// pythonPath is the real interpreter behind python3 (a version manager's
// shim needs an environment the emulator does not pass on).
func pythonPath(t *testing.T) string {
	t.Helper()
	py := requireTool(t, "python3")
	out, err := exec.Command(py, "-c", "import sys; print(sys.executable)").Output()
	require.NoError(t, err)
	return strings.TrimSpace(string(out))
}

// TestExtensionE2E runs a function with no Go and no faasprobe code, in
// Python and in Node.js, under the emulator with the extension in its
// private /opt: the extension logs the startup line, one line per
// invocation and, at the emulator's shutdown, the shutdown line, and exits
// within Lambda's 2 s; faasprobe fleet reads one sandbox, 3 invocations,
// 1 cold.
func TestExtensionE2E(t *testing.T) {
	t.Parallel()
	rie := rietest.Require(t)
	requireRoot(t)
	opt := buildLayer(t)
	runtimes := []struct {
		name, interp, script string
	}{
		{"python", "", "bootstrap.py"},
		{"nodejs", "", "bootstrap.js"},
	}
	for _, rt := range runtimes {
		t.Run(rt.name, func(t *testing.T) {
			t.Parallel()
			interp := ""
			if rt.name == "python" {
				interp = pythonPath(t)
			} else {
				interp = requireTool(t, "node")
			}
			emu := rietest.Start(t, rietest.Config{
				RIE:       rie,
				Bootstrap: scriptBootstrap(t, interp, rt.script),
				Env:       map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "ext-" + rt.name},
				Opt:       opt,
			})
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			for range 3 {
				inv, err := emu.Invoke(ctx, []byte(`{}`))
				require.NoError(t, err)
				require.Equal(t, http.StatusOK, inv.Status, "body: %s", inv.Body)
				assert.JSONEq(t, `{"ok":true}`, string(inv.Body))
			}
			stopStart := time.Now()
			require.NoError(t, emu.Stop())
			stopped := time.Since(stopStart)
			t.Logf("%s: emulator stopped %v after SIGTERM (SHUTDOWN to the extension, its exit, the runtime's)", rt.name, stopped)

			lines := faasprobeLines(emu.Lines())
			require.Len(t, lines, 5, "startup, 3 invocations, shutdown; output:\n%s", emu.Output())
			msgs := []string{logline.MsgStartup, logline.MsgInvocation, logline.MsgInvocation, logline.MsgInvocation, logline.MsgShutdown}
			shape := loadSchema(t)
			for i, l := range lines {
				assert.Empty(t, shape.ValidateLine([]byte(l)), "line %d follows docs/schema.md: %s", i, l)
				var m map[string]any
				require.NoError(t, json.Unmarshal([]byte(l), &m))
				assert.Equal(t, msgs[i], m["message"], "line %d", i)
				assert.Equal(t, Source, m["source"])
				if i == 4 {
					sd := m["shutdown"].(map[string]any)
					// The emulator's SIGTERM sends shutdownReason
					// "SandboxTerminated", which Lambda does not send.
					assert.Equal(t, "unknown", sd["reason"])
					assert.Equal(t, "SandboxTerminated", sd["reason_raw"])
					assert.Positive(t, sd["lifetime_ms"])
					assert.Equal(t, float64(3), m["stats"].(map[string]any)["invocations"])
				}
			}
			assert.NotContains(t, emu.Output(), "did not exit after deadline", "the extension exits before the 2 s deadline")
			assert.Less(t, stopped, 2*time.Second, "the extension exits within Lambda's 2 s")

			a := fleet.New()
			require.NoError(t, a.Read(rt.name, strings.NewReader(strings.Join(lines, "\n")+"\n"), 0))
			res := a.Result()
			assert.Equal(t, 1, res.Totals.Sandboxes)
			assert.Equal(t, 1, res.Totals.WithStartup)
			assert.Equal(t, int64(3), res.Cold.Invocations)
			assert.Equal(t, int64(1), res.Cold.Cold)
		})
	}
}

// loadSchema parses docs/schema.md, the shape every line follows.
func loadSchema(t *testing.T) schema.Schema {
	t.Helper()
	page, err := os.ReadFile("../../docs/schema.md")
	require.NoError(t, err)
	s, err := schema.Parse(page)
	require.NoError(t, err)
	return s
}

// faasprobeLines are the JSON lines of faasprobe's messages, in order.
func faasprobeLines(all []rietest.Line) []string {
	var out []string
	for _, l := range all {
		if strings.HasPrefix(l.Text, "{") && strings.Contains(l.Text, `"message":"faasprobe.`) {
			out = append(out, l.Text)
		}
	}
	return out
}

// TestExtensionTimeoutReason: an invocation that runs past the function's
// timeout makes the emulator reset the sandbox; the extension gets
// SHUTDOWN with reason "timeout" and logs it.
func TestExtensionTimeoutReason(t *testing.T) {
	t.Parallel()
	rie := rietest.Require(t)
	requireRoot(t)
	opt := buildLayer(t)
	emu := rietest.Start(t, rietest.Config{
		RIE:       rie,
		Bootstrap: scriptBootstrap(t, pythonPath(t), "bootstrap.py"),
		Env:       map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "ext-timeout"},
		// The emulator's timeout covers the init as well: 1 s was too short
		// for the interpreter's start on a loaded machine; the sleep (5 s)
		// still runs past 3 s.
		FunctionTimeout: 3 * time.Second,
		Opt:             opt,
	})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	inv, err := emu.Invoke(ctx, []byte(`{}`))
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, inv.Status)
	require.JSONEq(t, `{"ok":true}`, string(inv.Body), "the first invocation ends in time")
	_, _ = emu.Invoke(ctx, []byte(`{"sleep":true}`)) // times out: the answer is the emulator's error
	wctx, wcancel := context.WithTimeout(ctx, 10*time.Second)
	defer wcancel()
	l, err := emu.WaitLine(wctx, func(l rietest.Line) bool {
		return strings.Contains(l.Text, `"message":"`+logline.MsgShutdown+`"`)
	})
	require.NoError(t, err, "output:\n%s", emu.Output())
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(l.Text), &m))
	sd := m["shutdown"].(map[string]any)
	assert.Equal(t, "timeout", sd["reason"])
	assert.Nil(t, sd["reason_raw"])
	assert.Equal(t, float64(2), m["stats"].(map[string]any)["invocations"])
}

// TestExtensionWithLibrary: a Go function that uses the library, with the
// extension beside it, logs each invocation twice, once from each side,
// with the same sandbox_id and requestId; only the extension's line has
// "source". fleet counts each invocation once (docs/fleet.md).
func TestExtensionWithLibrary(t *testing.T) {
	t.Parallel()
	rie := rietest.Require(t)
	requireRoot(t)
	opt := buildLayer(t)
	emu := rietest.Start(t, rietest.Config{
		RIE:       rie,
		Bootstrap: rietest.Build(t, "github.com/faasprobe/faasprobe/examples/hello"),
		// The emulator names no log stream, so each process would draw an
		// id of its own (id_scope "process"); Lambda names one per sandbox,
		// which both sides read.
		Env: map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "hello", "AWS_LAMBDA_LOG_STREAM_NAME": "2026/12/05/[$LATEST]0f4b2c7e9d1a4e3b8c6f5a2d1e0b9c8a"},
		Opt: opt,
	})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var ids []string
	for range 3 {
		inv, err := emu.Invoke(ctx, []byte(`{"id":"o-1"}`))
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, inv.Status, "body: %s", inv.Body)
		ids = append(ids, inv.RequestID)
	}
	require.NoError(t, emu.Stop())
	type side struct{ lib, ext int }
	seen := map[string]*side{}
	sandboxes := map[string]bool{}
	lines := faasprobeLines(emu.Lines())
	for _, l := range lines {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &m))
		if m["message"] != logline.MsgInvocation {
			continue
		}
		id, _ := m[logline.KeyRequestID].(string)
		sandboxes[m[logline.KeySandboxID].(string)] = true
		if seen[id] == nil {
			seen[id] = &side{}
		}
		if m["source"] == Source {
			seen[id].ext++
		} else {
			assert.Nil(t, m["source"])
			seen[id].lib++
		}
	}
	require.Len(t, seen, 3, "output:\n%s", emu.Output())
	for _, id := range ids {
		require.Contains(t, seen, id)
		assert.Equal(t, side{1, 1}, *seen[id], "request %s: one line from each side", id)
	}
	assert.Len(t, sandboxes, 1, "both sides name the same sandbox")

	a := fleet.New()
	require.NoError(t, a.Read("both", strings.NewReader(strings.Join(lines, "\n")+"\n"), 0))
	res := a.Result()
	assert.Equal(t, 1, res.Totals.Sandboxes)
	assert.Equal(t, int64(3), res.Cold.Invocations, "each invocation once")
	assert.Equal(t, int64(1), res.Cold.Cold)
	assert.Equal(t, int64(3), res.Totals.ExtensionDuplicates)
	assert.Zero(t, res.Totals.DuplicateStartups)
	assert.Equal(t, 1, res.Totals.Shutdowns)
	assert.Equal(t, 1, res.LifetimesExact, "the extension's shutdown line")
	assert.Empty(t, res.Notes)
}
