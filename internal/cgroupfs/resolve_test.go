package cgroupfs

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestVersion(t *testing.T) {
	t.Parallel()
	v1 := Mount{FSType: "cgroup"}
	v2 := Mount{FSType: "cgroup2"}
	tests := []struct {
		name   string
		mounts []Mount
		want   string
	}{
		{"none", nil, ""},
		{"v1", []Mount{v1, v1}, "v1"},
		{"v2", []Mount{v2}, "v2"},
		{"hybrid", []Mount{v1, v2}, "hybrid"},
		{"unknown type ignored", []Mount{{FSType: "tmpfs"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, Version(tt.mounts))
		})
	}
}

func TestResolve(t *testing.T) {
	t.Parallel()
	v1mem := Mount{Root: "/", MountPoint: "/sys/fs/cgroup/memory", FSType: "cgroup", SuperOpts: []string{"rw", "memory"}}
	v2 := Mount{Root: "/", MountPoint: "/sys/fs/cgroup", FSType: "cgroup2", SuperOpts: []string{"rw"}}
	tests := []struct {
		name   string
		lines  []Line
		mounts []Mount
		ctrl   string
		want   Dir
		ok     bool
	}{
		{"v1 memory", []Line{{Hierarchy: 7, Controllers: []string{"memory"}, Path: "/sandbox-service-9ac6cf/sandbox-672d8a"}},
			[]Mount{v1mem}, "memory",
			Dir{Leaf: "/sys/fs/cgroup/memory/sandbox-service-9ac6cf/sandbox-672d8a", Mount: "/sys/fs/cgroup/memory", V1: true}, true},
		{"v2", []Line{{Path: "/system.slice/x.service"}}, []Mount{v2}, "memory",
			Dir{Leaf: "/sys/fs/cgroup/system.slice/x.service", Mount: "/sys/fs/cgroup"}, true},
		{"hybrid prefers v1 controller", []Line{{Hierarchy: 4, Controllers: []string{"memory"}, Path: "/a"}, {Path: "/"}},
			[]Mount{v2, v1mem}, "memory",
			Dir{Leaf: "/sys/fs/cgroup/memory/a", Mount: "/sys/fs/cgroup/memory", V1: true}, true},
		{"hybrid falls back to v2 for cpu", []Line{{Hierarchy: 4, Controllers: []string{"memory"}, Path: "/a"}, {Path: "/u"}},
			[]Mount{v2, v1mem}, "cpu",
			Dir{Leaf: "/sys/fs/cgroup/u", Mount: "/sys/fs/cgroup"}, true},
		{"v1 line without its mount falls back to v2", []Line{{Hierarchy: 4, Controllers: []string{"pids"}, Path: "/p"}, {Path: "/u"}},
			[]Mount{v2, v1mem}, "pids",
			Dir{Leaf: "/sys/fs/cgroup/u", Mount: "/sys/fs/cgroup"}, true},
		{"co-mounted controllers", []Line{{Hierarchy: 2, Controllers: []string{"cpu", "cpuacct"}, Path: "/sandbox-root-uPxa7U/s"}},
			[]Mount{{Root: "/", MountPoint: "/sys/fs/cgroup/cpu,cpuacct", FSType: "cgroup", SuperOpts: []string{"rw", "cpu", "cpuacct"}}}, "cpu",
			Dir{Leaf: "/sys/fs/cgroup/cpu,cpuacct/sandbox-root-uPxa7U/s", Mount: "/sys/fs/cgroup/cpu,cpuacct", V1: true}, true},
		{"container: mount root is our cgroup", []Line{{Hierarchy: 3, Controllers: []string{"memory"}, Path: "/docker/abc"}},
			[]Mount{{Root: "/docker/abc", MountPoint: "/sys/fs/cgroup/memory", FSType: "cgroup", SuperOpts: []string{"memory"}}}, "memory",
			Dir{Leaf: "/sys/fs/cgroup/memory", Mount: "/sys/fs/cgroup/memory", V1: true}, true},
		{"container: our cgroup below the mount root", []Line{{Path: "/docker/abc/x"}},
			[]Mount{{Root: "/docker/abc", MountPoint: "/sys/fs/cgroup", FSType: "cgroup2"}}, "memory",
			Dir{Leaf: "/sys/fs/cgroup/x", Mount: "/sys/fs/cgroup"}, true},
		{"a sibling sharing the root's prefix is outside", []Line{{Path: "/docker/abcd"}},
			[]Mount{{Root: "/docker/abc", MountPoint: "/sys/fs/cgroup", FSType: "cgroup2"}}, "memory", Dir{}, false},
		{"cgroup namespace escape does not resolve", []Line{{Path: "/../../etc"}}, []Mount{v2}, "memory", Dir{}, false},
		{"outside the mounted root", []Line{{Hierarchy: 3, Controllers: []string{"memory"}, Path: "/other"}},
			[]Mount{{Root: "/docker/abc", MountPoint: "/sys/fs/cgroup/memory", FSType: "cgroup", SuperOpts: []string{"memory"}}}, "memory",
			Dir{}, false},
		{"relative mount point", []Line{{Path: "/a"}}, []Mount{{Root: "/", MountPoint: "sys/fs/cgroup", FSType: "cgroup2"}}, "memory", Dir{}, false},
		{"not mounted", []Line{{Path: "/"}}, nil, "memory", Dir{}, false},
		// Regression (found by FuzzResolveCgroup): an unclean mount point
		// made the walk up the hierarchy leave the mount.
		{"unclean mount point is cleaned", []Line{{Hierarchy: 1, Controllers: []string{"memory"}, Path: "/docker/abc"}},
			[]Mount{{Root: "/", MountPoint: "/sys/fs/cgroup/memory/.", FSType: "cgroup", SuperOpts: []string{"memory"}}}, "memory",
			Dir{Leaf: "/sys/fs/cgroup/memory/docker/abc", Mount: "/sys/fs/cgroup/memory", V1: true}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := Resolve(tt.lines, tt.mounts, tt.ctrl)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestJoin(t *testing.T) {
	t.Parallel()
	m := Mount{Root: "/", MountPoint: "/sys/fs/cgroup", FSType: "cgroup2"}
	tests := []struct {
		name, cg, want string
		ok             bool
	}{
		{"root", "/", "/sys/fs/cgroup", true},
		{"nested", "/a/b", "/sys/fs/cgroup/a/b", true},
		{"relative path", "a", "", false},
		{"empty path", "", "", false},
		{"dot-dot", "/a/../b", "", false},
		{"dot-dot at the end", "/a/..", "", false},
		{"dots in a name are fine", "/a..b/c", "/sys/fs/cgroup/a..b/c", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := Join(m, tt.cg)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestLevels(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		d    Dir
		want []string
	}{
		{"walk up to the mount", Dir{Leaf: "/sys/fs/cgroup/a/b", Mount: "/sys/fs/cgroup"},
			[]string{"/sys/fs/cgroup/a/b", "/sys/fs/cgroup/a", "/sys/fs/cgroup"}},
		{"leaf is the mount", Dir{Leaf: "/sys/fs/cgroup", Mount: "/sys/fs/cgroup"}, []string{"/sys/fs/cgroup"}},
		{"mount at /", Dir{Leaf: "/a/b", Mount: "/"}, []string{"/a/b", "/a", "/"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, tt.d.Levels())
		})
	}
	t.Run("bounded depth", func(t *testing.T) {
		t.Parallel()
		deep := "/m"
		for range 2 * MaxDepth {
			deep += "/x"
		}
		lv := Dir{Leaf: deep, Mount: "/m"}.Levels()
		assert.Len(t, lv, MaxDepth)
		assert.Equal(t, deep, lv[0])
	})
}
