package cgroupfs

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/internal/excerpt"
)

// The fuzz targets assert properties, not values: no panic, every line
// either parsed or reported (the strict reader and the lenient recorder
// see the same lines), and no resolved directory outside its mount.

// checkSyntaxError checks err against the number of malformed lines and
// the number of lines of data.
func checkSyntaxError(t *testing.T, err error, bad, nLines int) {
	t.Helper()
	if bad == 0 {
		assert.True(t, err == nil, "no malformed line, no error: %#v", err)
		return
	}
	var se *SyntaxError
	require.True(t, errors.As(err, &se), "%#v", err)
	assert.Equal(t, bad, se.Count)
	assert.Len(t, se.Lines, min(bad, maxQuoted))
	prev := 0
	for _, l := range se.Lines {
		assert.Greater(t, l.N, prev, "line numbers in file order")
		assert.LessOrEqual(t, l.N, nLines)
		assert.LessOrEqual(t, len(l.Text), 4*excerpt.Max+len("…"), "an excerpt, escapes included")
		prev = l.N
	}
	assert.NotEmpty(t, se.Error())
}

func FuzzParseCgroup(f *testing.F) {
	f.Add(capture(f, "lambda2022_proc_1_cgroup.txt"))
	f.Add(capture(f, "buildvm_proc_self_cgroup.txt"))
	f.Add(scenario(f, "bad-input", "proc/self/cgroup"))
	f.Add([]byte("0::/sandbox-root-pQEzKi/x\r\njunk\n-1::/\n3:memory:relative\n4:pids:/a:b"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lines, err := ParseCgroup(data)
		nonEmpty, nLines := 0, 0
		for l := range bytes.Lines(data) {
			nLines++
			if len(bytes.TrimRight(bytes.TrimSuffix(l, []byte{'\n'}), "\r")) > 0 {
				nonEmpty++
			}
		}
		for _, l := range lines {
			assert.GreaterOrEqual(t, l.Hierarchy, 0)
			assert.True(t, strings.HasPrefix(l.Path, "/"), l.Path)
			assert.NotContains(t, l.Path, "\n")
			assert.True(t, l.Controllers == nil || len(l.Controllers) > 0)
		}
		require.LessOrEqual(t, len(lines), nonEmpty)
		checkSyntaxError(t, err, nonEmpty-len(lines), nLines)
	})
}

func FuzzParseMountInfo(f *testing.F) {
	f.Add(capture(f, "buildvm_proc_self_mountinfo.txt"))
	f.Add(scenario(f, "this-build-vm-firecracker", "proc/self/mountinfo"))
	f.Add([]byte("30 23 0:26 / /sys/fs/cgroup rw shared:4 - cgroup2 cgroup2 rw,nsdelegate\n"))
	f.Add([]byte(`1 0 0:1 /docker/a\040b /sys/fs/cg\134 ro - cgroup cgroup rw,memory` + "\n1 2 3\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		mounts, err := ParseMountInfo(data)
		nLines := 0
		for range bytes.Lines(data) {
			nLines++
		}
		for _, m := range mounts {
			assert.Contains(t, []string{"cgroup", "cgroup2"}, m.FSType)
			assert.NotEmpty(t, m.Root)
			assert.NotEmpty(t, m.MountPoint)
		}
		assert.LessOrEqual(t, len(mounts), nLines)
		if len(mounts) > 0 {
			assert.Contains(t, string(data), "cgroup")
		}
		assert.Contains(t, []string{"", "v1", "v2", "hybrid"}, Version(mounts))
		if err != nil {
			var se *SyntaxError
			require.True(t, errors.As(err, &se), "%#v", err)
			checkSyntaxError(t, err, se.Count, nLines)
			assert.LessOrEqual(t, len(mounts)+se.Count, nLines)
		}
	})
}

// FuzzResolveCgroup checks that no input, however crafted, resolves to a
// directory outside the cgroup mount (a recorded tree must not make
// sandbox read, or the recorder copy, elsewhere).
func FuzzResolveCgroup(f *testing.F) {
	f.Add(capture(f, "buildvm_proc_self_cgroup.txt"), capture(f, "buildvm_proc_self_mountinfo.txt"))
	f.Add(capture(f, "lambda2022_proc_1_cgroup.txt"), []byte("1 0 0:1 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"))
	for _, tree := range []string{"this-build-vm-firecracker", "lambda-firecracker-2022-x86", "bad-input"} {
		f.Add(scenario(f, tree, "proc/self/cgroup"), scenario(f, tree, "proc/self/mountinfo"))
	}
	f.Add([]byte("0::/../../etc\n"), []byte("1 0 0:1 / /sys/fs/cgroup rw - cgroup2 none rw\n"))
	f.Add([]byte("0::/a/../b\n"), []byte("1 0 0:1 / /x rw - cgroup2 c rw\n"))
	f.Add([]byte("3:memory:/docker/abc/x\n"), []byte("1 0 0:1 /docker/abc /sys/fs/cgroup/memory rw - cgroup none memory\n"))
	f.Fuzz(func(t *testing.T, cg, mi []byte) {
		lines, _ := ParseCgroup(cg)
		mounts, _ := ParseMountInfo(mi)
		for _, ctrl := range []string{"memory", "cpu", "pids"} {
			d, ok := Resolve(lines, mounts, ctrl)
			if !ok {
				assert.Equal(t, Dir{}, d)
				continue
			}
			if d.V1 {
				assert.Contains(t, []string{"v1", "hybrid"}, Version(mounts))
			} else {
				assert.Contains(t, []string{"v2", "hybrid"}, Version(mounts))
			}
			levels := d.Levels()
			assert.NotEmpty(t, levels)
			assert.LessOrEqual(t, len(levels), MaxDepth)
			assert.Equal(t, d.Leaf, levels[0])
			for _, l := range levels {
				assert.False(t, hasDotDot(l), l)
				assert.True(t, strings.HasPrefix(l, "/"), l)
				assert.True(t, l == d.Mount || strings.HasPrefix(l, strings.TrimSuffix(d.Mount, "/")+"/"), "%q outside %q", l, d.Mount)
			}
		}
	})
}
