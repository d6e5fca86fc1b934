package record

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/internal/sysroot"
)

// limitFiles are the cgroup limit files planted in the trees below, in
// every directory of each hierarchy; the recorder must copy exactly those
// sandbox would read.
var limitFiles = map[string]string{
	"sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us":                         "-1\n",
	"sys/fs/cgroup/cpu,cpuacct/sandbox-root-abc/cpu.cfs_quota_us":        "-1\n",
	"sys/fs/cgroup/cpu,cpuacct/sandbox-root-abc/x/cpu.cfs_quota_us":      "20000\n",
	"sys/fs/cgroup/cpu,cpuacct/sandbox-root-abc/x/cpu.cfs_period_us":     "100000\n",
	"sys/fs/cgroup/cpu,cpuacct/other/cpu.cfs_quota_us":                   "1\n", // not ours
	"sys/fs/cgroup/pids/pids.max":                                        "max\n",
	"sys/fs/cgroup/pids/a/pids.max":                                      "64\n",
	"sys/fs/cgroup/unified/memory.max":                                   "max\n",
	"sys/fs/cgroup/unified/pids.max":                                     "max\n", // v2 name, but pids resolves to v1
	"sys/fs/cgroup/cpu,cpuacct/sandbox-root-abc/x/memory.limit_in_bytes": "1\n",   // no v1 memory hierarchy
}

// TestCgroupsLenient: malformed lines in proc/self/cgroup and
// proc/self/mountinfo are skipped and the rest still resolves, so a tree
// with a bad line still gets the limit files of its good ones (sandbox
// reports the bad lines when it reads the tree back). The parsing and
// resolution themselves are tested and fuzzed in internal/cgroupfs.
func TestCgroupsLenient(t *testing.T) {
	t.Parallel()
	files := map[string]string{
		"proc/self/cgroup": "12:cpu,cpuacct:/sandbox-root-abc/x\r\n0::/\nbad\n-1::/x\n3:memory:relative\n4:pids:/a\n",
		"proc/self/mountinfo": "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n" +
			"32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:7 - cgroup cgroup rw,cpu,cpuacct\n" +
			"short line\n" +
			"33 31 0:30 / /sys/fs/cgroup/pids rw - cgroup cgroup rw,pids\n" +
			"41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n",
	}
	for p, c := range limitFiles {
		files[p] = c
	}
	tree := collect(t, files)
	assert.Subset(t, paths(tree), []string{
		// cpu: our v1 directory and every one above it up to the mount.
		"sys/fs/cgroup/cpu,cpuacct/sandbox-root-abc/x/cpu.cfs_quota_us",
		"sys/fs/cgroup/cpu,cpuacct/sandbox-root-abc/x/cpu.cfs_period_us",
		"sys/fs/cgroup/cpu,cpuacct/sandbox-root-abc/cpu.cfs_quota_us",
		"sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us",
		// pids: v1.
		"sys/fs/cgroup/pids/a/pids.max",
		"sys/fs/cgroup/pids/pids.max",
		// memory: its v1 line is malformed ("relative"), so the unified hierarchy.
		"sys/fs/cgroup/unified/memory.max",
	})
	for _, p := range []string{
		"sys/fs/cgroup/cpu,cpuacct/other/cpu.cfs_quota_us",
		"sys/fs/cgroup/unified/pids.max",
		"sys/fs/cgroup/cpu,cpuacct/sandbox-root-abc/x/memory.limit_in_bytes",
	} {
		assert.NotContains(t, paths(tree), p)
	}
}

// TestCgroupsUnresolved: when our cgroup cannot be placed under a mount,
// no limit file is copied (none would be read).
func TestCgroupsUnresolved(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, cgroup string
	}{
		{"cgroup namespace: /..", "0::/../sibling\n"},
		{"only malformed lines", "junk\n0::relative\n"},
		{"no line for the hierarchy mounted", "4:memory:/a\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			files := map[string]string{
				"proc/self/cgroup":                 tt.cgroup,
				"proc/self/mountinfo":              "30 1 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
				"sys/fs/cgroup/memory.max":         "max\n",
				"sys/fs/cgroup/sibling/memory.max": "1\n",
			}
			got := paths(collect(t, files))
			assert.NotContains(t, got, "sys/fs/cgroup/memory.max")
			assert.NotContains(t, got, "sys/fs/cgroup/sibling/memory.max")
			assert.Contains(t, got, "proc/self/cgroup") // the tree itself was read
		})
	}
}

// collect records a tree written from files.
func collect(t *testing.T, files map[string]string) Tree {
	t.Helper()
	root, err := sysroot.Recorded(writeTree(t, files))
	require.NoError(t, err)
	tree, _ := Collect(root, WithClock(fixedClock), WithVersion("test")) // errors: the other sources are absent
	return tree
}
