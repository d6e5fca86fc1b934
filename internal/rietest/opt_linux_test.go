//go:build linux

package rietest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStartWithOpt: the process sees dir as /opt; the machine's /opt and
// the test process's view of it are untouched.
func TestStartWithOpt(t *testing.T) {
	t.Parallel()
	if os.Geteuid() != 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("a private /opt needs root; CI is set, so this is a failure, not a skip")
		}
		t.Skip("a private /opt needs root")
	}
	dir := t.TempDir()
	marker := "rietest-private-opt-" + filepath.Base(dir)
	require.NoError(t, os.WriteFile(filepath.Join(dir, marker), []byte("inside"), 0o644))
	cmd := exec.Command("/bin/cat", filepath.Join("/opt", marker))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	done := make(chan struct{})
	require.NoError(t, startWithOpt(cmd, dir, done))
	err := cmd.Wait()
	close(done)
	require.NoError(t, err, "output: %s", out.String())
	assert.Equal(t, "inside", out.String())
	_, err = os.Stat(filepath.Join("/opt", marker))
	assert.ErrorIs(t, err, os.ErrNotExist, "the bind mount stayed in the child's namespace")
}
