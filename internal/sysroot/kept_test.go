package sysroot

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A kept file reads afresh from its start each time, in a buffer that
// grows to the file and is then reused.
func TestKeptRereads(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := filepath.Join(dir, "proc", "stat")
	require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
	require.NoError(t, os.WriteFile(p, []byte("cpu  1 2 3 4\n"), 0o644))
	r, err := Recorded(dir)
	require.NoError(t, err)
	k, err := r.Keep("proc/stat")
	require.NoError(t, err)
	defer k.Close()
	b, err := k.Read(nil)
	require.NoError(t, err)
	assert.Equal(t, "cpu  1 2 3 4\n", string(b))

	big := strings.Repeat("x", 10000)
	require.NoError(t, os.WriteFile(p, []byte(big), 0o644)) // same file, new content
	b, err = k.Read(b[:0])
	require.NoError(t, err)
	assert.Equal(t, big, string(b))

	require.NoError(t, os.WriteFile(p, []byte("short\n"), 0o644))
	b2, err := k.Read(b[:0])
	require.NoError(t, err)
	assert.Equal(t, "short\n", string(b2))
	assert.Equal(t, &b[:1][0], &b2[:1][0], "the grown buffer is reused")
}

// Over MaxFileSize is ErrTooLarge; a directory is not kept.
func TestKeptBounds(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "proc", "dir"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "proc", "big"), make([]byte, MaxFileSize+1), 0o644))
	r, err := Recorded(dir)
	require.NoError(t, err)
	k, err := r.Keep("proc/big")
	require.NoError(t, err)
	defer k.Close()
	_, err = k.Read(nil)
	assert.ErrorIs(t, err, ErrTooLarge)

	_, err = r.Keep("proc/dir")
	assert.ErrorIs(t, err, ErrNotRegular)
	_, err = r.Keep("proc/absent")
	assert.True(t, IsAbsent(err), "%v", err)
}

// The live machine's /proc/stat reads whole through a kept file, again.
func TestKeptLive(t *testing.T) {
	if _, err := os.Stat("/proc/stat"); err != nil {
		t.Skip("no /proc/stat")
	}
	k, err := Live().Keep("proc/stat")
	require.NoError(t, err)
	defer k.Close()
	var b []byte
	for range 3 {
		b, err = k.Read(b[:0])
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(string(b), "cpu "), "%.40q", b)
		assert.Contains(t, string(b), "\nbtime ")
	}
	_, err = Live().Keep("proc")
	assert.True(t, errors.Is(err, ErrNotRegular), "%v", err)
}
