//go:build linux

package cgroupfs

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/procfs"
	"github.com/stretchr/testify/require"
)

// The differential tests: prometheus/procfs parses both files too and is
// the oracle. Each feeds the same bytes to procfs (written into a fake
// /proc under t.TempDir(): FS.GetMounts reads a root's self/mountinfo,
// Proc.Cgroups a pid's cgroup) and to the parser here. The parsers here
// are lenient by design (a bad line is counted in the *SyntaxError, the
// good ones kept), procfs rejects the whole file for one bad line; so
// where both accept the file, the facts must be the same, and where procfs
// accepts it, so must the parser here, unless a difference named below
// explains it:
//
//   - mountinfo: octal escapes (\040) in paths are decoded here, kept by
//     procfs; runs of blanks or tabs separate fields here (the kernel
//     writes one space), where procfs counts an empty field; fields after
//     the super options (the kernel writes none) are ignored here, kept
//     by procfs as part of the last super option.
//   - cgroup: a negative hierarchy ID, or a path that does not start with
//     "/" (the kernel writes only absolute paths), is rejected here;
//     blank lines are skipped here, rejected by procfs; trailing carriage
//     returns are all trimmed here, one by procfs's scanner.

func fakeProc(t *testing.T, name string, data []byte) procfs.FS {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, filepath.FromSlash(name))
	require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
	require.NoError(t, os.WriteFile(p, data, 0o644))
	fs, err := procfs.NewFS(dir)
	require.NoError(t, err)
	return fs
}

// oracle runs f, turning a panic into an error.
func oracle[T any](f func() (T, error)) (v T, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("procfs panicked: %v", r)
		}
	}()
	return f()
}

func FuzzMountInfoMatchesProcfs(f *testing.F) {
	f.Add([]byte("31 23 0:28 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw\n"))
	f.Add([]byte("36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue\n"))
	f.Add([]byte("40 25 0:35 /docker/abc /sys/fs/cgroup/memory ro shared:18 - cgroup cgroup rw,memory\n"))
	f.Add([]byte("41 25 0:36 / /sys/fs/cgroup/my\\040dir rw - cgroup cgroup rw,name=systemd,xattr\n"))
	f.Add(scenario(f, "this-build-vm-firecracker", "proc/self/mountinfo"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ours, err := ParseMountInfo(data)
		theirs, perr := oracle(func() ([]*procfs.MountInfo, error) {
			return fakeProc(t, "self/mountinfo", data).GetMounts()
		})
		if perr != nil {
			return // lenient here, strict there
		}
		if bytes.ContainsAny(data, "\t") || bytes.Contains(data, []byte("  ")) {
			return // runs of blanks: the field boundaries differ (above)
		}
		require.NoError(t, err, "procfs accepts what is rejected here: %q", data)
		var cg []*procfs.MountInfo
		for _, m := range theirs {
			if m.FSType == "cgroup" || m.FSType == "cgroup2" {
				cg = append(cg, m)
			}
		}
		require.Len(t, ours, len(cg))
		for i, m := range ours {
			p := cg[i]
			require.Equal(t, p.FSType, m.FSType)
			if !strings.Contains(p.Root+p.MountPoint, `\`) {
				require.Equal(t, p.Root, m.Root)
				require.Equal(t, p.MountPoint, m.MountPoint)
			}
			// procfs keeps the super options as a map (name=value split).
			keys := map[string]bool{}
			for _, o := range m.SuperOpts {
				k, _, _ := strings.Cut(o, "=")
				keys[k] = true
			}
			if trailingFields(p.SuperOptions) {
				continue // procfs keeps fields after the super options inside them, the kernel writes none, and ours ignores them
			}
			for k := range p.SuperOptions {
				if k == "" {
					continue // procfs maps an empty super options field to the key ""
				}
				require.True(t, keys[k], "super option %q", k)
			}
		}
	})
}

// trailingFields reports whether procfs joined fields after the super
// options into them: its options then hold a blank, in a key ("rw ,x" gives
// "rw " and "x") or in a value ("a=1 ,x" gives a="1 ").
func trailingFields(opts map[string]string) bool {
	for k, v := range opts {
		if strings.Contains(k, " ") || strings.Contains(v, " ") {
			return true
		}
	}
	return false
}

func FuzzCgroupMatchesProcfs(f *testing.F) {
	f.Add([]byte("0::/sandbox\n"))
	f.Add([]byte("12:memory:/sandbox-root-uPxa7U/sandbox-service-252528\n1:name=systemd:/\n"))
	f.Add([]byte("-1:cpu:/\n"))
	f.Add([]byte("3:cpu:relative\n\n"))
	for _, tree := range []string{"this-build-vm-firecracker", "lambda-firecracker-2022-x86", "bad-input"} {
		f.Add(scenario(f, tree, "proc/self/cgroup"))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if bytes.Contains(data, []byte{'\r'}) {
			return // carriage returns are trimmed differently (above)
		}
		ours, err := ParseCgroup(data)
		read := func(b []byte) ([]procfs.Cgroup, error) {
			return oracle(func() ([]procfs.Cgroup, error) {
				p, err := fakeProc(t, "1/cgroup", b).Proc(1)
				require.NoError(t, err)
				return p.Cgroups()
			})
		}
		theirs, perr := read(data)
		switch {
		case err == nil && perr != nil:
			// Blank lines, skipped here: without them procfs agrees.
			var kept []byte
			for line := range bytes.Lines(data) {
				if len(bytes.TrimSuffix(line, []byte{'\n'})) > 0 {
					kept = append(kept, line...)
				}
			}
			theirs, perr = read(kept)
			require.NoError(t, perr, "procfs rejects what is accepted here: %q", data)
		case perr == nil && err != nil:
			// A negative hierarchy or a relative path, rejected here.
			require.True(t, slices.ContainsFunc(theirs, func(c procfs.Cgroup) bool {
				return c.HierarchyID < 0 || !strings.HasPrefix(c.Path, "/")
			}), "procfs accepts what is rejected here for a reason not listed: %v", err)
			return
		case perr != nil:
			return
		}
		require.Len(t, ours, len(theirs))
		for i, l := range ours {
			require.Equal(t, theirs[i].HierarchyID, l.Hierarchy)
			require.Equal(t, theirs[i].Controllers, l.Controllers)
			require.Equal(t, theirs[i].Path, l.Path)
		}
	})
}
