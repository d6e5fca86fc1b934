package record

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/internal/sysroot"
)

func sampleTree() Tree {
	return Tree{
		RecordedAt: time.Date(2026, 11, 25, 17, 38, 12, 0, time.UTC),
		Files: []File{
			{Path: ".dockerenv", Data: []byte{}},
			{Path: NoteFile, Data: []byte("recorded_at: 2026-11-25T17:38:12Z\n")},
			{Path: "env", Data: []byte("AWS_REGION=eu-west-1\n")},
			{Path: "proc/cpuinfo", Data: []byte("processor\t: 0\n")},
			{Path: "sys/class/dmi/id", Dir: true},
			{Path: "sys/fs/cgroup/a/b/memory.max", Data: []byte("max\n")},
		},
	}
}

func TestValidPath(t *testing.T) {
	t.Parallel()
	for _, p := range []string{"proc/cpuinfo", ".dockerenv", "run/.containerenv", "sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us",
		"sys/fs/cgroup/system.slice/docker-0123.scope/memory.max", "a b/c"} {
		assert.NoError(t, ValidPath(p), p)
	}
	for _, p := range []string{"", "/proc/cpuinfo", "proc//cpuinfo", "proc/", "./proc", "proc/../etc/shadow", "..",
		"sys/fs/cgroup/pod:1/memory.max", `proc\cpuinfo`, "a\x00b", "a\nb", "a*b", "a?b", "x/\xff", strings.Repeat("a", 256),
		strings.Repeat("a/", 2049) + "a"} {
		assert.Error(t, ValidPath(p), "%q", p)
	}
}

func FuzzValidPath(f *testing.F) {
	for _, s := range []string{"proc/cpuinfo", "../x", "a:b", "/x", "a//b", "sys/fs/cgroup/cpu,cpuacct/cpu.max"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		if ValidPath(p) != nil {
			return
		}
		if !filepath.IsLocal(filepath.FromSlash(p)) || path.Clean(p) != p || path.IsAbs(p) {
			t.Fatalf("%q accepted but not a clean local path", p)
		}
		if strings.ContainsAny(p, ":\\\x00\n") {
			t.Fatalf("%q accepted with a banned character", p)
		}
	})
}

func TestWriteDir(t *testing.T) {
	t.Parallel()
	tree := sampleTree()

	t.Run("creates a missing directory", func(t *testing.T) {
		t.Parallel()
		dir := filepath.Join(t.TempDir(), "a", "b")
		require.NoError(t, tree.WriteDir(dir))
		got := map[string]fs.FileMode{}
		require.NoError(t, filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			require.NoError(t, err)
			rel, _ := filepath.Rel(dir, p)
			info, err := d.Info()
			require.NoError(t, err)
			got[filepath.ToSlash(rel)] = info.Mode()
			return nil
		}))
		if runtime.GOOS != "windows" {
			assert.Equal(t, fs.FileMode(0o644), got["proc/cpuinfo"])
			assert.Equal(t, fs.ModeDir|0o755, got["sys/class/dmi/id"])
			assert.Equal(t, fs.ModeDir|0o755, got["sys/fs/cgroup/a"])
		}
		for p, m := range got {
			assert.True(t, m.IsDir() || m.IsRegular(), "%s: %v: plain files and directories only", p, m)
		}
		b, err := os.ReadFile(filepath.Join(dir, "sys", "fs", "cgroup", "a", "b", "memory.max"))
		require.NoError(t, err)
		assert.Equal(t, "max\n", string(b))
		r, err := sysroot.Recorded(dir)
		require.NoError(t, err)
		assert.Equal(t, "eu-west-1", r.Getenv("AWS_REGION"))
	})
	t.Run("an empty directory is fine", func(t *testing.T) {
		t.Parallel()
		assert.NoError(t, tree.WriteDir(t.TempDir()))
	})
	t.Run("refuses a directory with something in it", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(dir, "keep.txt"), []byte("mine"), 0o644))
		err := tree.WriteDir(dir)
		assert.ErrorIs(t, err, ErrNotEmpty)
		ents, _ := os.ReadDir(dir)
		assert.Len(t, ents, 1, "nothing written")
	})
	t.Run("refuses a file", func(t *testing.T) {
		t.Parallel()
		file := filepath.Join(t.TempDir(), "f")
		require.NoError(t, os.WriteFile(file, nil, 0o644))
		assert.ErrorContains(t, tree.WriteDir(file), "not a directory")
	})
	t.Run("refuses a bad tree before writing", func(t *testing.T) {
		t.Parallel()
		for _, bad := range []Tree{
			{Files: []File{{Path: "../escape", Data: []byte("x")}}},
			{Files: []File{{Path: "b"}, {Path: "a"}}},
			{Files: []File{{Path: "a"}, {Path: "a"}}},
			{Files: []File{{Path: "a", Data: []byte("file")}, {Path: "a/b"}}},
		} {
			dir := filepath.Join(t.TempDir(), "out")
			assert.Error(t, bad.WriteDir(dir), "%v", paths(bad))
			_, err := os.Stat(dir)
			assert.ErrorIs(t, err, fs.ErrNotExist, "nothing created")
		}
	})
}

func TestTarRoundTrip(t *testing.T) {
	t.Parallel()
	tree := sampleTree()
	var a, b bytes.Buffer
	require.NoError(t, tree.WriteTarGz(&a))
	require.NoError(t, tree.WriteTarGz(&b))
	assert.Equal(t, a.Bytes(), b.Bytes(), "the same tree gives the same bytes")

	back, err := ReadTarGz(bytes.NewReader(a.Bytes()))
	require.NoError(t, err)
	assert.Equal(t, tree.Files, back.Files)
	assert.Equal(t, tree.RecordedAt, back.RecordedAt)

	// The archive holds a directory entry for every directory, modes 0755/0644.
	zr, err := gzip.NewReader(bytes.NewReader(a.Bytes()))
	require.NoError(t, err)
	tr := tar.NewReader(zr)
	var names []string
	for {
		h, err := tr.Next()
		if err != nil {
			break
		}
		names = append(names, h.Name)
		if h.Typeflag == tar.TypeDir {
			assert.EqualValues(t, 0o755, h.Mode, h.Name)
		} else {
			assert.EqualValues(t, 0o644, h.Mode, h.Name)
		}
		assert.Equal(t, tree.RecordedAt, h.ModTime.UTC())
	}
	assert.Equal(t, []string{".dockerenv", NoteFile, "env", "proc/", "proc/cpuinfo", "sys/", "sys/class/", "sys/class/dmi/",
		"sys/class/dmi/id/", "sys/fs/", "sys/fs/cgroup/", "sys/fs/cgroup/a/", "sys/fs/cgroup/a/b/", "sys/fs/cgroup/a/b/memory.max"}, names)
}

// tarGz builds an archive by hand.
func tarGz(t testing.TB, hdrs ...*tar.Header) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, h := range hdrs {
		if h.Typeflag == tar.TypeReg && h.Size == 0 {
			h.Size = 1
		}
		require.NoError(t, tw.WriteHeader(h))
		if h.Typeflag == tar.TypeReg {
			_, err := tw.Write(bytes.Repeat([]byte("x"), int(h.Size)))
			require.NoError(t, err)
		}
	}
	require.NoError(t, tw.Close())
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func TestReadTarGzRefuses(t *testing.T) {
	t.Parallel()
	reg := func(name string) *tar.Header { return &tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: 0o644} }
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"not gzip", []byte("plain text"), "gzip"},
		{"symlink", tarGz(t, &tar.Header{Typeflag: tar.TypeSymlink, Name: "proc/self", Linkname: "/proc/1"}), "not allowed"},
		{"hard link", tarGz(t, reg("a"), &tar.Header{Typeflag: tar.TypeLink, Name: "b", Linkname: "a"}), "not allowed"},
		{"escape", tarGz(t, reg("../etc/passwd")), `".."`},
		{"absolute", tarGz(t, reg("/etc/passwd")), "absolute"},
		{"colon", tarGz(t, reg("sys/fs/cgroup/a:b/memory.max")), "not allowed"},
		{"repeated", tarGz(t, reg("env"), reg("./env")), "repeated"},
		{"file and directory", tarGz(t, reg("proc"), reg("proc/cpuinfo")), "is a file and the directory"},
		{"too large", tarGz(t, &tar.Header{Typeflag: tar.TypeReg, Name: "big", Size: sysroot.MaxFileSize + 1}), "larger than 1 MiB"},
		{"truncated", tarGz(t, reg("a"))[:20], "tar"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ReadTarGz(bytes.NewReader(tt.data))
			assert.ErrorContains(t, err, tt.want)
		})
	}
	// "./" prefixes and a top "./" entry are fine (tar -C dir -czf x.tgz .).
	tree, err := ReadTarGz(bytes.NewReader(tarGz(t, &tar.Header{Typeflag: tar.TypeDir, Name: "./"}, reg("./proc/cpuinfo"),
		&tar.Header{Typeflag: tar.TypeDir, Name: "./sys/class/dmi/id/"})))
	require.NoError(t, err)
	assert.Equal(t, []string{"proc/cpuinfo", "sys/class/dmi/id"}, paths(tree))
}

func FuzzReadTarGz(f *testing.F) {
	var buf bytes.Buffer
	if err := sampleTree().WriteTarGz(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	dir := filepath.Join("..", "..", "testdata", "scenarios", "lambda-xen-2017-c4")
	if root, err := sysroot.Recorded(dir); err == nil {
		if tree, err := Collect(root, WithClock(fixedClock), WithVersion("fuzz")); err == nil {
			var b bytes.Buffer
			if tree.WriteTarGz(&b) == nil {
				f.Add(b.Bytes())
			}
		}
	}
	f.Add(tarGz(f, &tar.Header{Typeflag: tar.TypeSymlink, Name: "x", Linkname: "/"}))
	f.Add([]byte{0x1f, 0x8b})
	f.Fuzz(func(t *testing.T, data []byte) {
		tree, err := ReadTarGz(bytes.NewReader(data))
		if err != nil {
			return
		}
		if !slices.IsSortedFunc(tree.Files, func(a, b File) int { return strings.Compare(a.Path, b.Path) }) {
			t.Fatal("files out of order")
		}
		for _, f := range tree.Files {
			if err := ValidPath(f.Path); err != nil {
				t.Fatalf("accepted %v", err)
			}
			if len(f.Data) > sysroot.MaxFileSize {
				t.Fatalf("%s: %d bytes accepted", f.Path, len(f.Data))
			}
		}
		var out bytes.Buffer
		if err := tree.WriteTarGz(&out); err != nil {
			t.Fatalf("a tree read back cannot be written: %v", err)
		}
		again, err := ReadTarGz(&out)
		if err != nil {
			t.Fatalf("round trip: %v", err)
		}
		if len(again.Files) != len(tree.Files) {
			t.Fatalf("round trip: %d files, then %d", len(tree.Files), len(again.Files))
		}
		for i := range tree.Files {
			if again.Files[i].Path != tree.Files[i].Path || !bytes.Equal(again.Files[i].Data, tree.Files[i].Data) || again.Files[i].Dir != tree.Files[i].Dir {
				t.Fatalf("round trip changed %s", tree.Files[i].Path)
			}
		}
	})
}

// TestOnlyCommandsImportRecord: the library never writes a file, so no
// library package (coldstart, hostinfo, sandbox, warmer, internal/…) may
// import this one: only cmd/ and examples/.
func TestOnlyCommandsImportRecord(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..")
	const self = "github.com/faasprobe/faasprobe/internal/record"
	var importers []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); p != root && (strings.HasPrefix(n, ".") || n == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, im := range f.Imports {
			if im.Path.Value == `"`+self+`"` {
				rel, _ := filepath.Rel(root, p)
				importers = append(importers, filepath.ToSlash(rel))
			}
		}
		return nil
	})
	require.NoError(t, err)
	for _, p := range importers {
		assert.True(t, strings.HasPrefix(p, "cmd/") || strings.HasPrefix(p, "examples/"),
			"%s imports internal/record: only cmd/ and examples/ may (the library never writes files)", p)
	}
}
