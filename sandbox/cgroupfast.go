package sandbox

import (
	"slices"
	"strings"

	"github.com/faasprobe/faasprobe/internal/cgroupfs"
	"github.com/faasprobe/faasprobe/internal/sysroot"
)

// File system magic numbers of statfs(2) f_type (include/uapi/linux/magic.h).
const (
	tmpfsMagic   = 0x01021994 // TMPFS_MAGIC
	cgroupMagic  = 0x0027e0eb // CGROUP_SUPER_MAGIC (v1)
	cgroup2Magic = 0x63677270 // CGROUP2_SUPER_MAGIC
)

// cgroupFSRoot is where cgroups are mounted by convention (systemd,
// Docker, Lambda): cgroup2 itself (v2), or a tmpfs holding one directory
// per v1 hierarchy, named after its controllers ("memory",
// "cpu,cpuacct"), plus cgroup2 at "unified" when hybrid.
const cgroupFSRoot = "sys/fs/cgroup"

// conventionalMounts returns the cgroup mounts /proc/self/mountinfo would
// list for the conventional layout, without reading it: the kernel
// renders every mount of the namespace for that file (~50 µs in a cold
// start, the most of any file sandbox reads), where statfs(2) answers for
// the few directories the limits need in a few µs each.
//
// Every directory it vouches for is checked: the hierarchy's directory
// below /sys/fs/cgroup must hold our cgroup's directory (path from
// /proc/self/cgroup) on a file system of the right type, so that the mount
// shows the whole hierarchy (mount root "/"; a container without a cgroup
// namespace mounts only its own subtree, and our path is not found below
// it). ok is false whenever the layout is not exactly that — no
// /sys/fs/cgroup, another file system there, a directory missing, v1 lines
// on a cgroup2 root, a v2 line without a cgroup2 mount, ".." paths — and
// the caller then reads /proc/self/mountinfo. Paths are the root's (live:
// "/"); fsType returns a path's statfs f_type.
//
// Only the hierarchies of the memory, cpu and pids controllers are
// returned (the only ones the limits read) plus the v2 mount; the layout
// (v1, v2, hybrid) follows from the same checks, as cgroupfs.Version
// computes it from the mounts.
func conventionalMounts(root sysroot.Root, lines []cgroupfs.Line, fsType func(string) (int64, error)) (mounts []cgroupfs.Mount, ok bool) {
	mountPoint := "/" + cgroupFSRoot // as mountinfo prints it
	// has checks that m holds our cgroup cg at the very directory
	// cgroupfs.Resolve will join them to, on a file system of type magic.
	has := func(m cgroupfs.Mount, cg string, magic int64) bool {
		dir, ok := cgroupfs.Join(m, cg)
		if !ok {
			return false
		}
		t, err := fsType(root.Path(dir))
		return err == nil && t == magic
	}
	v2 := slices.IndexFunc(lines, func(l cgroupfs.Line) bool { return l.Hierarchy == 0 && len(l.Controllers) == 0 })
	t, err := fsType(root.Path(cgroupFSRoot))
	if err != nil {
		return nil, false
	}
	switch t {
	case cgroup2Magic: // unified: only the 0:: line may be there
		m := cgroupfs.Mount{Root: "/", MountPoint: mountPoint, FSType: "cgroup2"}
		if v2 < 0 || len(lines) != 1 || !has(m, lines[v2].Path, cgroup2Magic) {
			return nil, false
		}
		return []cgroupfs.Mount{m}, true
	case tmpfsMagic: // v1 hierarchies, perhaps with cgroup2 at unified
	default:
		return nil, false
	}
	for _, l := range lines {
		if l.Hierarchy == 0 || !slices.ContainsFunc(l.Controllers, limitController) {
			continue
		}
		name := strings.Join(l.Controllers, ",")
		m := cgroupfs.Mount{Root: "/", MountPoint: mountPoint + "/" + name, FSType: "cgroup", SuperOpts: l.Controllers}
		if strings.ContainsAny(name, "/=") || !has(m, l.Path, cgroupMagic) {
			return nil, false
		}
		mounts = append(mounts, m)
	}
	if len(mounts) == 0 {
		return nil, false // no v1 hierarchy we could vouch for: nothing says "v1"
	}
	if v2 >= 0 { // hybrid: the 0:: line's hierarchy must be the one at unified
		m := cgroupfs.Mount{Root: "/", MountPoint: mountPoint + "/unified", FSType: "cgroup2"}
		if !has(m, lines[v2].Path, cgroup2Magic) {
			return nil, false
		}
		mounts = append(mounts, m)
	}
	return mounts, true
}

// limitController reports whether the limits read a controller's files.
func limitController(c string) bool { return c == "memory" || c == "cpu" || c == "pids" }
