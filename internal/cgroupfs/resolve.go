package cgroupfs

import (
	"path"
	"slices"
	"strings"
)

// MaxDepth bounds the walk up a hierarchy (Dir.Levels): real cgroups are
// 1–4 levels below their mount.
const MaxDepth = 16

// Version names the cgroup layout from the mounts: "v1", "v2", "hybrid"
// (both mounted), or "" (no cgroup mount: unknown).
func Version(mounts []Mount) string {
	v1, v2 := false, false
	for _, m := range mounts {
		switch m.FSType {
		case "cgroup":
			v1 = true
		case "cgroup2":
			v2 = true
		}
	}
	switch {
	case v1 && v2:
		return "hybrid"
	case v1:
		return "v1"
	case v2:
		return "v2"
	}
	return ""
}

// Dir is where a controller's files for our cgroup live.
type Dir struct {
	Leaf  string // our cgroup's directory, as the process sees it: "/sys/fs/cgroup/memory/a/b"
	Mount string // the hierarchy's mount point, cleaned (the walk up stops here)
	V1    bool   // a cgroup v1 hierarchy (else the v2 unified one): which file names apply
}

// Resolve finds our directory for controller ctrl ("memory", "cpu",
// "pids"): a v1 hierarchy carrying the controller if one is mounted and
// holds our cgroup, else the v2 unified hierarchy. ok is false when neither
// resolves (not mounted, or our cgroup lies outside the mounted part, as
// with cgroup namespaces showing "/.."); that is "unknown", not an error.
func Resolve(lines []Line, mounts []Mount, ctrl string) (d Dir, ok bool) {
	for _, l := range lines {
		if l.Hierarchy == 0 || !slices.Contains(l.Controllers, ctrl) {
			continue
		}
		for _, m := range mounts {
			if m.FSType != "cgroup" || !slices.Contains(m.SuperOpts, ctrl) {
				continue
			}
			if leaf, ok := Join(m, l.Path); ok {
				return Dir{Leaf: leaf, Mount: path.Clean(m.MountPoint), V1: true}, true
			}
		}
	}
	for _, l := range lines {
		if l.Hierarchy != 0 || len(l.Controllers) != 0 {
			continue
		}
		for _, m := range mounts {
			if m.FSType != "cgroup2" {
				continue
			}
			if leaf, ok := Join(m, l.Path); ok {
				return Dir{Leaf: leaf, Mount: path.Clean(m.MountPoint)}, true
			}
		}
	}
	return Dir{}, false
}

// Join maps cgroup path cg ("/a/b", as /proc/self/cgroup shows it) to its
// directory below mount m. ok is false for a relative path, a path with
// ".." (cgroup namespaces), a relative or ".." mount point, or a path
// outside the mount's root.
func Join(m Mount, cg string) (dir string, ok bool) {
	if !strings.HasPrefix(cg, "/") || hasDotDot(cg) || hasDotDot(m.MountPoint) || !strings.HasPrefix(m.MountPoint, "/") {
		return "", false
	}
	mp := path.Clean(m.MountPoint)
	rel := cg
	switch {
	case m.Root == "/":
	case cg == m.Root:
		rel = "/"
	case strings.HasPrefix(cg, m.Root+"/"):
		rel = cg[len(m.Root):]
	default:
		return "", false
	}
	return path.Join(mp, rel), true
}

func hasDotDot(p string) bool {
	return strings.Contains("/"+p+"/", "/../")
}

// Levels returns the directories from the leaf up to the mount point
// (at most MaxDepth of them): where the limit files are read.
func (d Dir) Levels() []string {
	out := []string{d.Leaf}
	for p := d.Leaf; len(out) < MaxDepth && p != d.Mount && len(p) > len(d.Mount); {
		p = path.Dir(p)
		out = append(out, p)
	}
	return out
}
