//go:build unix

package sysroot

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hostileSecret is the content of the file outside every hostile tree.
const hostileSecret = "aws_secret_access_key=OUTSIDE-THE-TREE"

// hostileTree builds, in a fresh directory, a tree whose files link out
// of it in every way a link can, next to a secret file outside it. It
// returns the tree's directory.
func hostileTree(t *testing.T) string {
	t.Helper()
	base := t.TempDir()
	secret := filepath.Join(base, "credentials")
	require.NoError(t, os.WriteFile(secret, []byte(hostileSecret+"\n"), 0o600))
	require.NoError(t, os.Mkdir(filepath.Join(base, "outside"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(base, "outside", "online"), []byte(hostileSecret+"\n"), 0o600))
	dir := filepath.Join(base, "tree")
	for _, d := range []string{"proc/self", "proc/sys/kernel/random", "sys/devices/system", "etc", "inside"} {
		require.NoError(t, os.MkdirAll(filepath.Join(dir, d), 0o755))
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "inside", "cpuinfo"), []byte("processor\t: 0\n"), 0o644))
	links := map[string]string{
		"proc/self/cgroup":                secret,                       // absolute, outside
		"proc/sys/kernel/random/boot_id":  "../../../../../credentials", // relative, climbs out
		"sys/devices/system/cpu":          "../../../../outside",        // a directory outside
		"etc/os-release":                  "loop-a",                     // a loop
		"etc/loop-a":                      "os-release",
		"proc/cpuinfo":                    "../inside/cpuinfo", // stays inside: followed
		"proc/self/mountinfo":             "/proc/self/mountinfo",
		"proc/sys/kernel/osrelease":       "..",
		"sys/devices/system/online-alias": "../../../../credentials",
	}
	for name, target := range links {
		require.NoError(t, os.Symlink(target, filepath.Join(dir, filepath.FromSlash(name))))
	}
	return dir
}

// TestReadsStayBeneathRoot: every read of a recorded root resolves beneath
// it. A link that leaves the tree is refused with ErrOutsideRoot (or, for
// a loop, its own error) naming the path; the bytes outside never come back.
// A link that stays inside is followed.
func TestReadsStayBeneathRoot(t *testing.T) {
	t.Parallel()
	dir := hostileTree(t)
	r, err := Recorded(dir)
	require.NoError(t, err)
	tests := []struct {
		name    string
		outside bool // refused with ErrOutsideRoot (a loop is refused otherwise)
	}{
		{name: "proc/self/cgroup", outside: true},
		{name: "proc/sys/kernel/random/boot_id", outside: true},
		{name: "sys/devices/system/cpu/online", outside: true},
		{name: "/proc/self/mountinfo", outside: true},
		{name: "proc/sys/kernel/osrelease/../../../../credentials", outside: true},
		{name: "../credentials", outside: true},
		{name: "sys/devices/system/online-alias", outside: true},
		{name: "etc/os-release"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for how, read := range map[string]func() ([]byte, error){
				"ReadFile":    func() ([]byte, error) { return r.ReadFile(tt.name) },
				"ReadFileBuf": func() ([]byte, error) { return r.ReadFileBuf(tt.name, make([]byte, 0, 8)) },
				"ReadHead":    func() ([]byte, error) { return r.ReadHead(tt.name, 64) },
				"Keep": func() ([]byte, error) {
					k, err := r.Keep(tt.name)
					if err != nil {
						return nil, err
					}
					defer k.Close()
					return k.Read(nil)
				},
			} {
				b, err := read()
				require.Error(t, err, how)
				assert.NotContains(t, string(b), "OUTSIDE", how)
				assert.NotContains(t, err.Error(), "OUTSIDE", how)
				assert.Contains(t, err.Error(), filepath.Join(dir, strings.TrimPrefix(filepath.FromSlash(tt.name), "/")), how)
				assert.False(t, IsAbsent(err), "%s: a refused link is a problem, not an absent file", how)
				if tt.outside {
					assert.ErrorIs(t, err, ErrOutsideRoot, how)
				}
			}
		})
	}

	t.Run("directory outside", func(t *testing.T) {
		t.Parallel()
		_, err := r.ReadDir("sys/devices/system/cpu")
		assert.ErrorIs(t, err, ErrOutsideRoot)
		assert.False(t, r.IsDir("sys/devices/system/cpu"))
		assert.False(t, r.Exists("sys/devices/system/cpu/online"))
		assert.True(t, r.Exists("sys/devices/system/cpu"), "the link itself is in the tree")
		target, err := r.Readlink("proc/self/cgroup")
		require.NoError(t, err, "Readlink returns the text without following it")
		assert.True(t, filepath.IsAbs(target))
	})
	t.Run("link inside the tree", func(t *testing.T) {
		t.Parallel()
		b, err := r.ReadFile("proc/cpuinfo")
		require.NoError(t, err)
		assert.Equal(t, "processor\t: 0\n", string(b))
		assert.True(t, r.IsDir("inside"))
	})
	t.Run("hand-built root", func(t *testing.T) {
		t.Parallel()
		_, err := Root{Dir: dir}.ReadFile("proc/self/cgroup")
		assert.ErrorIs(t, err, ErrOutsideRoot)
	})
}
