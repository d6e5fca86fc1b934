// Package cgroupfs parses and resolves cgroup membership and cgroup mounts:
// which directory holds a controller's files for our cgroup, and every
// directory from there up to the hierarchy's mount point (where the
// effective limit may be set instead).
//
// It is pure: functions over the bytes of two files that the callers read
// (package sandbox to read the limits, internal/record to copy the same
// limit files into a recorded tree, so that both go through one parser and
// one resolution and the recorder copies exactly what sandbox reads):
//
//   - /proc/self/cgroup (proc(5) "/proc/pid/cgroup", cgroups(7)): one line
//     per hierarchy, "ID:CONTROLLERS:PATH"; ID 0 with no controllers is the
//     cgroup v2 unified hierarchy. Parsed by ParseCgroup into Line.
//   - /proc/self/mountinfo (proc(5) "/proc/pid/mountinfo"): the mounts of
//     file system type "cgroup" (v1, one hierarchy per mount, its
//     controllers among the super options) and "cgroup2", with the root of
//     the cgroup tree each one shows (a container without a cgroup
//     namespace mounts only its own subtree). Octal escapes (\040) in paths
//     are decoded. Parsed by ParseMountInfo into Mount.
//
// Resolve maps our cgroup for a controller to a directory as the process
// sees it (Documentation/admin-guide/cgroup-v2.rst, "Organizing
// Processes", and cgroups(7) for v1): a v1 hierarchy carrying the
// controller if one resolves, else the v2 unified hierarchy (on a hybrid
// layout v1 wins). Version names the layout: "v1", "v2" or "hybrid".
//
// Files read: none; environment variables consulted: none. Any OS.
//
// Unknown: Resolve returns ok false (and a zero Dir) when no mounted
// hierarchy holds our cgroup — not mounted, our cgroup outside the mounted
// subtree, or a path with ".." (a cgroup namespace shows an outside cgroup
// as "/.."); Version returns "" without cgroup mounts. Neither is an error.
//
// Errors: the parsers return the well-formed lines and, if any line is
// malformed, a *SyntaxError listing them (the first few quoted, 40 bytes
// at most each) and their count. A strict caller reports it (sandbox makes
// it a Problem), a lenient one ignores it (the recorder only copies). The
// error has no package prefix: the caller names the file
// ("sandbox: proc/self/cgroup: line 1 \"junk\": want ID:CONTROLLERS:/PATH").
// Nothing panics, and no input resolves outside the mount it names
// (fuzzed).
package cgroupfs
