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

// TestFIFOWithWriterDoesNotHang: a FIFO that has a writer but no data
// would block a read; the tree reader checks the type before reading.
func TestFIFOWithWriterDoesNotHang(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	require.NoError(t, syscall.Mkfifo(fifo, 0o644))
	fd, err := syscall.Open(fifo, syscall.O_RDWR|syscall.O_NONBLOCK, 0) // a writer that never writes
	require.NoError(t, err)
	defer syscall.Close(fd)
	r := FromEnv(dir, nil)
	_, err = r.ReadFile("fifo")
	assert.ErrorIs(t, err, ErrNotRegular)
	_, err = r.ReadHead("fifo", 4)
	assert.ErrorIs(t, err, ErrNotRegular)
	_, err = r.ReadDir("fifo")
	assert.ErrorIs(t, err, syscall.ENOTDIR)
	assert.True(t, r.Exists("fifo"))
	assert.False(t, r.IsDir("fifo"))
}

// Keep refuses a FIFO at once, with or without a writer.
func TestKeepFIFODoesNotHang(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o644))
	r, err := Recorded(dir)
	require.NoError(t, err)
	_, err = r.Keep("fifo")
	assert.ErrorIs(t, err, ErrNotRegular)
	_, err = Live().Keep(filepath.Join(dir, "fifo"))
	assert.ErrorIs(t, err, ErrNotRegular)
}
