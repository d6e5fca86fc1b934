package cgroupfs

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/internal/excerpt"
)

// capture reads a real file of sandbox's parser seeds
// (sandbox/testdata/captures, provenance in its README): one copy of each
// capture for the package that reads the files and the one that parses
// them.
func capture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "sandbox", "testdata", "captures", name))
	require.NoError(t, err)
	return b
}

// scenario reads a file of a recorded tree (testdata/scenarios); nil if
// the tree has no such file.
func scenario(t testing.TB, tree, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "scenarios", tree, filepath.FromSlash(name)))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	require.NoError(t, err)
	return b
}

func TestParseCgroup(t *testing.T) {
	t.Parallel()
	t.Run("lambda 2022 capture", func(t *testing.T) {
		t.Parallel()
		lines, err := ParseCgroup(capture(t, "lambda2022_proc_1_cgroup.txt"))
		require.NoError(t, err)
		require.Len(t, lines, 11)
		assert.Equal(t, Line{Hierarchy: 2, Controllers: []string{"cpu", "cpuacct"},
			Path: "/sandbox-root-uPxa7U/sandbox-service-252528"}, lines[9])
		assert.Equal(t, []string{"name=systemd"}, lines[10].Controllers)
	})
	t.Run("this machine: v1 plus unified", func(t *testing.T) {
		t.Parallel()
		lines, err := ParseCgroup(capture(t, "buildvm_proc_self_cgroup.txt"))
		require.NoError(t, err)
		require.Len(t, lines, 10)
		assert.Equal(t, Line{Hierarchy: 0, Path: "/"}, lines[9])
	})
	tests := []struct {
		name    string
		in      string
		want    []Line
		wantErr string
	}{
		{"v2 only", "0::/user.slice/session-1.scope\n", []Line{{Path: "/user.slice/session-1.scope"}}, ""},
		{"colon in path", "0::/a:b\n", []Line{{Path: "/a:b"}}, ""},
		{"CRLF and no final newline", "12:cpu,cpuacct:/x\r\n0::/", []Line{{Hierarchy: 12, Controllers: []string{"cpu", "cpuacct"}, Path: "/x"}, {Path: "/"}}, ""},
		{"blank lines skipped", "\n\r\n0::/\n\n", []Line{{Path: "/"}}, ""},
		{"garbage line kept out, good line kept", "junk\n0::/ok\n", []Line{{Path: "/ok"}}, `line 1 "junk": want ID:CONTROLLERS:/PATH`},
		{"relative path", "0::rel\n", nil, `line 1 "0::rel": want ID:CONTROLLERS:/PATH`},
		{"negative id", "-1::/\n", nil, "want ID"},
		{"missing path", "3:pids:\n", nil, "want ID"},
		{"one colon", "3:/x\n", nil, "want ID"},
		{"id not a number", "x:memory:/\n", nil, "want ID"},
		{"line number counts blank lines", "0::/\n\nbad\n", []Line{{Path: "/"}}, `line 3 "bad"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseCgroup([]byte(tt.in))
			assert.Equal(t, tt.want, got)
			if tt.wantErr == "" {
				assert.NoError(t, err)
				return
			}
			assert.ErrorContains(t, err, tt.wantErr)
		})
	}
}

// TestSyntaxError: the first three bad lines are quoted (cut to excerpt.Max bytes),
// all are counted, and a clean parse returns a nil error interface.
func TestSyntaxError(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("y", 100)
	_, err := ParseCgroup([]byte("a\n0::/\nb\n" + long + "\nc\nd\n"))
	var se *SyntaxError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, 5, se.Count) // a, b, the long one, c, d
	assert.Equal(t, []BadLine{{1, "a"}, {3, "b"}, {4, strings.Repeat("y", excerpt.Max) + "…"}}, se.Lines)
	assert.Equal(t, `line 1 "a": want ID:CONTROLLERS:/PATH; line 3 "b": want ID:CONTROLLERS:/PATH; line 4 "`+
		strings.Repeat("y", excerpt.Max)+`…": want ID:CONTROLLERS:/PATH`, err.Error())

	_, err = ParseMountInfo([]byte("1 2 3\n"))
	require.ErrorAs(t, err, &se)
	assert.Equal(t, wantMountInfo, se.Want)
	assert.Equal(t, 1, se.Count)

	lines, err := ParseCgroup([]byte("0::/\n"))
	assert.True(t, err == nil, "a clean parse returns a nil error, not a nil *SyntaxError: %#v", err)
	assert.Len(t, lines, 1)
	_, err = ParseMountInfo(nil)
	assert.True(t, err == nil, "%#v", err)
}

func TestParseMountInfo(t *testing.T) {
	t.Parallel()
	t.Run("this machine", func(t *testing.T) {
		t.Parallel()
		mounts, err := ParseMountInfo(capture(t, "buildvm_proc_self_mountinfo.txt"))
		require.NoError(t, err)
		require.Len(t, mounts, 10) // 9 cgroup v1 hierarchies + cgroup2 "unified"
		assert.Equal(t, Mount{Root: "/", MountPoint: "/sys/fs/cgroup/memory", FSType: "cgroup",
			SuperOpts: []string{"rw", "memory"}}, mounts[3])
		assert.Equal(t, "cgroup2", mounts[9].FSType)
		assert.Equal(t, "/sys/fs/cgroup/unified", mounts[9].MountPoint)
	})
	tests := []struct {
		name    string
		in      string
		want    []Mount
		wantErr string
	}{
		{"v2 with optional fields",
			"30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n",
			[]Mount{{Root: "/", MountPoint: "/sys/fs/cgroup", FSType: "cgroup2", SuperOpts: []string{"rw", "nsdelegate", "memory_recursiveprot"}}}, ""},
		{"docker v1 root",
			"1 0 0:1 /docker/abc /sys/fs/cgroup/memory ro master:9 - cgroup cgroup rw,memory\n",
			[]Mount{{Root: "/docker/abc", MountPoint: "/sys/fs/cgroup/memory", FSType: "cgroup", SuperOpts: []string{"rw", "memory"}}}, ""},
		{"escaped space", `1 0 0:1 / /sys/fs/cg\040x rw - cgroup2 none rw` + "\n",
			[]Mount{{Root: "/", MountPoint: "/sys/fs/cg x", FSType: "cgroup2", SuperOpts: []string{"rw"}}}, ""},
		{"escaped root, tmpfs and cgroup mixed",
			"31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n" +
				"32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:7 - cgroup cgroup rw,cpu,cpuacct\n" +
				`41 31 0:38 /docker/a\040b /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw` + "\n",
			[]Mount{
				{Root: "/", MountPoint: "/sys/fs/cgroup/cpu,cpuacct", FSType: "cgroup", SuperOpts: []string{"rw", "cpu", "cpuacct"}},
				{Root: "/docker/a b", MountPoint: "/sys/fs/cgroup/unified", FSType: "cgroup2", SuperOpts: []string{"rw"}},
			}, ""},
		{"no super options", "1 0 0:1 / /sys/fs/cgroup rw - cgroup2 cgroup2\n",
			[]Mount{{Root: "/", MountPoint: "/sys/fs/cgroup", FSType: "cgroup2"}}, ""},
		{"tabs and blank lines", "\n  \n1\t0\t0:1\t/\t/c\trw\t-\tcgroup2\tnone\trw\n",
			[]Mount{{Root: "/", MountPoint: "/c", FSType: "cgroup2", SuperOpts: []string{"rw"}}}, ""},
		{"non-cgroup mounts dropped", "22 27 0:21 / /proc rw,relatime - proc proc rw\n", nil, ""},
		{"cgroup as a source, not a type", "22 27 0:21 / /x rw - tmpfs cgroup rw\n", nil, ""},
		{"no separator", "22 27 0:21 / /proc rw,relatime proc proc rw x\n", nil, `line 1`},
		{"too short", "1 2 3\n", nil, `line 1 "1 2 3": want ID PARENT`},
		{"separator with nothing after", "1 0 0:1 / /x rw a b c -\n", nil, "line 1"},
		{"separator too early", "1 0 - cgroup2 none rw\n", nil, "line 1"},
		{"bad line among good ones", "1 0 0:1 / /c rw - cgroup2 none rw\nshort line\n",
			[]Mount{{Root: "/", MountPoint: "/c", FSType: "cgroup2", SuperOpts: []string{"rw"}}}, `line 2 "short line"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseMountInfo([]byte(tt.in))
			assert.Equal(t, tt.want, got)
			if tt.wantErr == "" {
				assert.NoError(t, err)
				return
			}
			assert.ErrorContains(t, err, tt.wantErr)
		})
	}
}

func TestUnescapeOctal(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{`a\040b`, "a b"},
		{`a\011b\012c\134d`, "a\tb\nc\\d"},
		{`a\04`, `a\04`},     // truncated escape left alone
		{`a\400b`, `a\400b`}, // above \377
		{`a\x`, `a\x`},
		{`\\040`, `\ `}, // the first backslash is not an escape, the second starts one
		{"plain", "plain"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, unescapeOctal(tt.in), tt.in)
	}
}

// TestScenarioTrees: the recorded trees that hold both files parse
// cleanly; the bad-input tree's cgroup file is reported, not dropped.
func TestScenarioTrees(t *testing.T) {
	t.Parallel()
	cg := scenario(t, "this-build-vm-firecracker", "proc/self/cgroup")
	mi := scenario(t, "this-build-vm-firecracker", "proc/self/mountinfo")
	require.NotNil(t, cg)
	require.NotNil(t, mi)
	lines, err := ParseCgroup(cg)
	require.NoError(t, err)
	mounts, err := ParseMountInfo(mi)
	require.NoError(t, err)
	assert.Equal(t, "hybrid", Version(mounts))
	d, ok := Resolve(lines, mounts, "memory")
	require.True(t, ok)
	assert.True(t, d.V1)
	assert.Equal(t, "/sys/fs/cgroup/memory", d.Mount)
	assert.True(t, strings.HasPrefix(d.Leaf, "/sys/fs/cgroup/memory/process_api/"), d.Leaf)

	bad := scenario(t, "bad-input", "proc/self/cgroup")
	require.NotNil(t, bad)
	_, err = ParseCgroup(bad)
	var se *SyntaxError
	require.ErrorAs(t, err, &se)
	assert.Positive(t, se.Count)
}
