package sources

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCovers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		src  Source
		path string
		want bool
	}{
		{Source{Path: "proc/cpuinfo", Kind: File}, "proc/cpuinfo", true},
		{Source{Path: "proc/cpuinfo", Kind: File}, "proc/cpuinfo/x", false},
		{Source{Path: "sys/class/net/*/device/uevent", Kind: Glob}, "sys/class/net/eth0/device/uevent", true},
		{Source{Path: "sys/class/net/*/device/uevent", Kind: Glob}, "sys/class/net/eth0/x/device/uevent", false},
		{Source{Path: "memory.max", Kind: Cgroup}, "sys/fs/cgroup/a/b/memory.max", true},
		{Source{Path: "memory.max", Kind: Cgroup}, "sys/fs/cgroup/a/b/memory.current", false},
		{Source{Path: "tmp", Kind: LiveOnly}, "tmp", true},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.src.Covers(tt.path), "%s %q", tt.src.Path, tt.path)
	}
}

func TestAll(t *testing.T) {
	t.Parallel()
	all := All()
	assert.True(t, slices.IsSortedFunc(all, func(a, b Source) int { return strings.Compare(a.Path, b.Path) }))
	n := 0
	for _, s := range all {
		if s.Path == "proc/self/cgroup" {
			n++
		}
		assert.NotEqual(t, "unknown", s.Kind.String(), s.Path)
		assert.False(t, strings.HasPrefix(s.Path, "/"), s.Path)
		assert.NotContains(t, s.Path, ":")
		if s.Kind == Head {
			assert.Positive(t, s.HeadBytes, s.Path)
		}
		if s.Kind == Cgroup {
			assert.Contains(t, []string{"memory", "cpu", "pids"}, s.Controller, s.Path)
		}
	}
	assert.Equal(t, 1, n, "read by hostinfo and sandbox, listed once")
	pidsMax := slices.DeleteFunc(slices.Clone(all), func(s Source) bool { return s.Path != "pids.max" })
	assert.Len(t, pidsMax, 2, "v1 and v2 are different sources")
	assert.Equal(t, "unknown", Kind(0).String())

	// Packages returns fresh slices: changing one changes nothing else.
	p := Packages()
	p[0].Sources[0].Path = "changed"
	assert.NotEqual(t, "changed", Packages()[0].Sources[0].Path)
}
