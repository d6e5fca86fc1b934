package cgroupfs

import (
	"hash/maphash"
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
//
// The time is linear in the input: the mounts are indexed by their root
// once per call, and each line looks its path's prefixes up in the index.
func Resolve(lines []Line, mounts []Mount, ctrl string) (d Dir, ok bool) {
	v1 := newMountIndex(mounts, func(m Mount) bool {
		return m.FSType == "cgroup" && slices.Contains(m.SuperOpts, ctrl)
	})
	for _, l := range lines {
		if l.Hierarchy == 0 || !slices.Contains(l.Controllers, ctrl) {
			continue
		}
		if m, leaf, ok := v1.first(mounts, l.Path); ok {
			return Dir{Leaf: leaf, Mount: path.Clean(m.MountPoint), V1: true}, true
		}
	}
	v2 := newMountIndex(mounts, func(m Mount) bool { return m.FSType == "cgroup2" })
	for _, l := range lines {
		if l.Hierarchy != 0 || len(l.Controllers) != 0 {
			continue
		}
		if m, leaf, ok := v2.first(mounts, l.Path); ok {
			return Dir{Leaf: leaf, Mount: path.Clean(m.MountPoint)}, true
		}
	}
	return Dir{}, false
}

// mountIndex finds, for a cgroup path, the first mount (in mountinfo
// order) that Join accepts, without trying every mount: the usable mounts
// are keyed by the hash of their root, and a path's candidate roots are
// its prefixes that end before a '/' (and the path itself), hashed in one
// pass. The hash is seeded per index, so input cannot aim collisions;
// the chosen mount is checked with Join all the same.
type mountIndex struct {
	seed   maphash.Seed
	byRoot map[uint64]int // root hash → first mount with that root
	any    int            // first usable mount with root "/" (any path), or -1
}

func newMountIndex(mounts []Mount, keep func(Mount) bool) mountIndex {
	x := mountIndex{seed: maphash.MakeSeed(), byRoot: map[uint64]int{}, any: -1}
	for i, m := range mounts {
		if !keep(m) || !strings.HasPrefix(m.MountPoint, "/") || hasDotDot(m.MountPoint) {
			continue
		}
		if m.Root == "/" {
			if x.any < 0 {
				x.any = i
			}
			continue
		}
		if _, seen := x.byRoot[maphash.String(x.seed, m.Root)]; !seen {
			x.byRoot[maphash.String(x.seed, m.Root)] = i
		}
	}
	return x
}

// first returns the first mount that holds cg and cg's directory there.
func (x mountIndex) first(mounts []Mount, cg string) (Mount, string, bool) {
	if !strings.HasPrefix(cg, "/") || hasDotDot(cg) {
		return Mount{}, "", false
	}
	best := x.any
	if len(x.byRoot) > 0 {
		var h maphash.Hash
		h.SetSeed(x.seed)
		from := 0
		look := func() {
			if i, ok := x.byRoot[h.Sum64()]; ok && (best < 0 || i < best) {
				best = i
			}
		}
		for i := 0; i < len(cg); i++ {
			if cg[i] == '/' {
				h.WriteString(cg[from:i])
				from = i
				look() // the root cg[:i]: cg continues with "/" below it
			}
		}
		h.WriteString(cg[from:])
		look() // the root is cg itself
	}
	if best < 0 {
		return Mount{}, "", false
	}
	leaf, ok := Join(mounts[best], cg)
	return mounts[best], leaf, ok
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
