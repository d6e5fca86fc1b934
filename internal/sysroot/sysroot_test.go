package sysroot

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "proc"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "proc", "small"), []byte("hello\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "proc", "exact"), make([]byte, MaxFileSize), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "proc", "huge"), make([]byte, MaxFileSize+1), 0o644))
	r := FromEnv(dir, nil)

	b, err := r.ReadFile("proc/small")
	require.NoError(t, err)
	assert.Equal(t, "hello\n", string(b))
	s, err := r.ReadString("/proc/small")
	require.NoError(t, err)
	assert.Equal(t, "hello", s)

	b, err = r.ReadFile("proc/exact")
	require.NoError(t, err)
	assert.Len(t, b, MaxFileSize)

	_, err = r.ReadFile("proc/huge")
	assert.ErrorIs(t, err, ErrTooLarge)
	_, err = r.ReadFile("proc/missing")
	assert.True(t, IsAbsent(err))
	_, err = r.ReadFile("proc")
	assert.Error(t, err, "a directory is not a file")
	assert.False(t, IsAbsent(err))

	h, err := r.ReadHead("proc/huge", 16)
	require.NoError(t, err)
	assert.Len(t, h, 16)
	h, err = r.ReadHead("proc/small", 16)
	require.NoError(t, err)
	assert.Equal(t, "hello\n", string(h))

	assert.True(t, r.Exists("proc/small"))
	assert.False(t, r.Exists("proc/nope"))
	names, err := r.ReadDir("proc")
	require.NoError(t, err)
	assert.Equal(t, []string{"exact", "huge", "small"}, names)
}

// TestReadFileBuf: one buffer serves a run of reads; each result holds
// exactly its file, a larger file grows the buffer, and the limits and
// errors are ReadFile's.
func TestReadFileBuf(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "proc"), 0o755))
	long := strings.Repeat("0123456789abcdef", 1024) // 16 KiB: more than the first buffer
	for name, text := range map[string]string{"a": "first file, longer than the second\n", "b": "second\n", "long": long, "empty": ""} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "proc", name), []byte(text), 0o644))
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "proc", "huge"), make([]byte, MaxFileSize+1), 0o644))
	r := FromEnv(dir, nil)

	tests := []struct {
		name    string
		want    string
		wantErr error
	}{
		{name: "proc/a", want: "first file, longer than the second\n"},
		{name: "proc/b", want: "second\n"},
		{name: "proc/long", want: long},
		{name: "proc/empty", want: ""},
		{name: "proc/b", want: "second\n"},
		{name: "proc/missing", wantErr: fs.ErrNotExist},
		{name: "proc/huge", wantErr: ErrTooLarge},
		{name: "proc/a", want: "first file, longer than the second\n"},
	}
	var buf []byte
	for _, tt := range tests {
		b, err := r.ReadFileBuf(tt.name, buf)
		if tt.wantErr != nil {
			assert.ErrorIs(t, err, tt.wantErr, tt.name)
			assert.Nil(t, b, tt.name)
			continue
		}
		require.NoError(t, err, tt.name)
		assert.Equal(t, tt.want, string(b), tt.name)
		if buf != nil && len(tt.want) <= cap(buf) {
			assert.Same(t, &buf[:1][0], &b[:1][0], "%s: the given storage is used", tt.name)
		}
		buf = b[:0]
	}
	assert.GreaterOrEqual(t, cap(buf), len(long), "the buffer grew to the largest file")

	plain, err := r.ReadFile("proc/long")
	require.NoError(t, err)
	viaBuf, err := r.ReadFileBuf("proc/long", make([]byte, 0, 8))
	require.NoError(t, err)
	assert.Equal(t, plain, viaBuf)
}

// TestReadDirMany: a directory larger than one getdents buffer is listed
// whole and sorted, without "." and "..".
func TestReadDirMany(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var want []string
	for i := range 300 {
		name := fmt.Sprintf("entry-with-a-long-name-%03d", i)
		want = append(want, name)
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), nil, 0o644))
	}
	require.NoError(t, os.Mkdir(filepath.Join(dir, "a-subdir"), 0o755))
	want = append([]string{"a-subdir"}, want...)
	got, err := FromEnv(dir, nil).ReadDir("")
	require.NoError(t, err)
	assert.Equal(t, want, got)

	_, err = FromEnv(dir, nil).ReadDir("missing")
	assert.True(t, IsAbsent(err))
	_, err = FromEnv(dir, nil).ReadDir("a-subdir/..//entry-with-a-long-name-000")
	assert.Error(t, err, "a file is not a directory")
}

func TestPath(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "/proc/cpuinfo", Live().Path("proc/cpuinfo"))
	assert.Equal(t, "/proc/cpuinfo", Live().Path("/proc/cpuinfo"))
	assert.Equal(t, filepath.Join("x", "proc", "cpuinfo"), FromEnv("x", nil).Path("proc/cpuinfo"))
	assert.Equal(t, "", Root{}.Getenv("HOME"), "a zero Root has an empty environment")
}

func TestRecorded(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	r, err := Recorded(dir)
	require.NoError(t, err, "a tree without env has an empty environment")
	assert.True(t, r.Recorded)
	assert.Equal(t, "", r.Getenv("HOME"))

	require.NoError(t, os.WriteFile(filepath.Join(dir, "env"), []byte("A=1\nB=x=y\nsecret-looking-garbage\n"), 0o644))
	r, err = Recorded(dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "line 3")
	assert.NotContains(t, err.Error(), "secret-looking-garbage", "bad lines are never echoed")
	assert.Equal(t, "1", r.Getenv("A"))
	assert.Equal(t, "x=y", r.Getenv("B"))

	_, err = Recorded(filepath.Join(dir, "missing"))
	assert.True(t, errors.Is(err, fs.ErrNotExist))
	_, err = Recorded(filepath.Join(dir, "env"))
	assert.ErrorContains(t, err, "not a directory")
}

func TestParseEnv(t *testing.T) {
	t.Parallel()
	env, err := ParseEnv([]byte("# comment\n\nK=V\r\nEMPTY=\n=novalue\nBAD KEY=1\nX=a b c\n"))
	require.Error(t, err)
	assert.Equal(t, map[string]string{"K": "V", "EMPTY": "", "X": "a b c"}, env)
	assert.Contains(t, err.Error(), "line 5")
	assert.Contains(t, err.Error(), "line 6")
}

func FuzzParseEnv(f *testing.F) {
	f.Add([]byte("AWS_REGION=eu-central-1\nAWS_LAMBDA_FUNCTION_MEMORY_SIZE=128\n"))
	f.Add([]byte("=\n\x00=\x00\n"))
	if b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "scenarios", "lambda-firecracker-2022-x86", "env")); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		env, err := ParseEnv(data)
		for k := range env {
			if k == "" || strings.ContainsAny(k, " \t\x00\n") {
				t.Fatalf("bad key %q accepted", k)
			}
		}
		if err != nil && strings.Count(err.Error(), "\n") > 4 {
			t.Fatalf("error lists more than 5 lines: %v", err)
		}
	})
}

// Close releases a recorded tree's directory handle: reads through the
// Root fail after it; on the live machine it does nothing.
func TestRootClose(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "proc"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "proc", "uptime"), []byte("1.00 2.00\n"), 0o644))
	for _, opened := range []bool{true, false} {
		r, err := Recorded(dir)
		require.NoError(t, err)
		if opened {
			_, err = r.ReadFile("proc/uptime")
			require.NoError(t, err)
		}
		require.NoError(t, r.Close())
		_, err = r.ReadFile("proc/uptime")
		assert.Error(t, err, "opened before Close: %v", opened)
	}
	assert.NoError(t, Live().Close())
}
