package detected_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/hostinfo"
	"github.com/faasprobe/faasprobe/internal/detected"
	"github.com/faasprobe/faasprobe/sandbox"
)

func TestCgroup(t *testing.T) {
	t.Parallel()
	const cg = "12:memory:/docker/0123abcd\n0::/\n"
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "proc", "self"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "proc", "self", "cgroup"), []byte(cg), 0o644))
	h, err := hostinfo.Detect(hostinfo.WithRoot(dir))
	require.NoError(t, err)
	assert.Equal(t, cg, detected.Cgroup(h))
	assert.Empty(t, detected.Cgroup(hostinfo.Host{}), "a Host not made by Detect carries no text")
}

func TestSandboxID(t *testing.T) {
	t.Parallel()
	id, scope := detected.SandboxID()
	require.NotEmpty(t, id)
	assert.Contains(t, []string{sandbox.ScopeSandbox, sandbox.ScopeProcess}, scope)
	again, _ := detected.SandboxID()
	assert.Equal(t, id, again, "the same sandbox, the same id")
	s, _ := sandbox.Detect(sandbox.WithHost(hostinfo.Host{}))
	assert.Equal(t, s.ID, id, "as sandbox.Detect says")
}
