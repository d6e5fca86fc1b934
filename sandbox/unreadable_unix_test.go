//go:build unix

package sandbox

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/hostinfo"
)

func TestDetectUnreadableSources(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{"etc/passwd": "root:x:0:0:root:/root:/bin/bash\n", "proc/self/status": "Uid:\t0\nGid:\t0\n"})
	// A directory where a file should be, and a FIFO (must not hang): both
	// are failures, not absences. (Permissions do not stop root.)
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "proc/self/cgroup"), 0o755))
	fifo := filepath.Join(dir, "proc/self/limits")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Logf("no FIFO support here: %v", err)
	}
	s, err := Detect(WithRoot(dir), WithHost(hostinfo.Host{}))
	require.Error(t, err)
	assert.Contains(t, problemSources(s), "proc/self/cgroup")
	if _, serr := os.Stat(fifo); serr == nil {
		assert.Contains(t, problemSources(s), "proc/self/limits")
	}
	assert.Equal(t, "root", s.User)
}
