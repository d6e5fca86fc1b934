package cgroupfs

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fill repeats line(i) until the text reaches n bytes.
func fill(n int, line func(i int) string) []byte {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		b.WriteString(line(i))
	}
	return []byte(b.String())
}

// TestResolveLinear pins the regression where Resolve tried every cgroup
// line against every mount and every mount option: 1 MB of
// proc/self/cgroup against 1 MB of proc/self/mountinfo took 31 s, a long
// option list over a minute. Parsing and resolving the three controllers
// must now take well under a second (ten under the race detector).
func TestResolveLinear(t *testing.T) {
	t.Parallel()
	const mb = 1 << 20
	manyLines := fill(mb, func(i int) string { return fmt.Sprintf("%d:memory,cpu,pids:/x/%d\n", i+1, i) })
	manyMounts := fill(mb, func(i int) string {
		return fmt.Sprintf("%d 1 0:1 /y/%d /sys/fs/cgroup/m%d rw - cgroup cgroup rw,memory,cpu,pids\n", i, i, i)
	})
	longOpts := "rw" + strings.Repeat(",opt", mb/8) + ",memory"
	hugeOptions := fill(mb, func(i int) string {
		return fmt.Sprintf("%d 1 0:1 /y/%d /sys/fs/cgroup/o%d rw - cgroup cgroup %s\n", i, i, i, longOpts)
	})
	deep := "/" + strings.Repeat("a/", mb/4) + "leaf"
	deepLine := []byte("4:memory:" + deep + "\n0::" + deep + "\n")
	prefixMounts := fill(mb, func(i int) string {
		return fmt.Sprintf("%d 1 0:1 /%s /sys/fs/cgroup/p%d rw - cgroup2 cgroup2 rw\n", i, strings.TrimSuffix(strings.Repeat("a/", i%200+1), "/"), i)
	})
	tests := []struct {
		name       string
		cgroup, mi []byte
		wantLeaf   string // for memory; "" when nothing resolves
	}{
		{name: "many lines × many mounts", cgroup: manyLines, mi: manyMounts},
		{name: "many lines × huge option lists", cgroup: manyLines, mi: hugeOptions},
		{name: "deep path × roots at its prefixes", cgroup: deepLine, mi: prefixMounts,
			wantLeaf: "/sys/fs/cgroup/p0" + strings.TrimPrefix(deep, "/a")},
	}
	limit := time.Second
	if raceEnabled {
		limit = 10 * time.Second
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			lines, err := ParseCgroup(tt.cgroup)
			require.NoError(t, err)
			mounts, err := ParseMountInfo(tt.mi)
			require.NoError(t, err)
			var memory Dir
			for _, ctrl := range []string{"memory", "cpu", "pids"} {
				d, _ := Resolve(lines, mounts, ctrl)
				if ctrl == "memory" {
					memory = d
				}
			}
			took := time.Since(start)
			assert.Equal(t, tt.wantLeaf, memory.Leaf)
			assert.Less(t, took, limit, "parse and resolve of %d+%d bytes", len(tt.cgroup), len(tt.mi))
		})
	}
}
