//go:build unix

package sysroot

import (
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadFileFIFODoesNotHang(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644))
	_, err := FromEnv(dir, nil).ReadFile("fifo")
	assert.ErrorIs(t, err, ErrNotRegular)
	_, err = FromEnv(dir, nil).ReadHead("fifo", 4)
	assert.ErrorIs(t, err, ErrNotRegular)
}
