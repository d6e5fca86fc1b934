package record

import (
	"bytes"
	"path"
	"slices"
	"strconv"
	"strings"
)

// The cgroup limit files sandbox reads are found the way sandbox finds them
// (sandbox/cgroupfs.go): our cgroup per controller from proc/self/cgroup,
// mapped through the cgroup mounts of proc/self/mountinfo — a v1 hierarchy
// carrying the controller first, else the v2 unified one — then every
// directory from our cgroup up to the mount point. The parsers here are
// lenient (bad lines are skipped: the readers report them, the recorder
// only copies) and fuzzed.

// maxCgroupDepth bounds the walk up a hierarchy (sandbox's bound).
const maxCgroupDepth = 16

// cgroupLine is one line of /proc/self/cgroup: "ID:CONTROLLERS:PATH".
type cgroupLine struct {
	hierarchy   int
	controllers []string
	path        string
}

// parseCgroup parses /proc/self/cgroup, skipping malformed lines.
func parseCgroup(data []byte) []cgroupLine {
	var out []cgroupLine
	for len(data) > 0 {
		var line []byte
		line, data, _ = bytes.Cut(data, []byte{'\n'})
		line = bytes.TrimRight(line, "\r")
		id, rest, ok1 := bytes.Cut(line, []byte{':'})
		ctrl, p, ok2 := bytes.Cut(rest, []byte{':'})
		h, err := strconv.Atoi(string(id))
		if !ok1 || !ok2 || err != nil || h < 0 || len(p) == 0 || p[0] != '/' {
			continue
		}
		var ctrls []string
		if len(ctrl) > 0 {
			ctrls = strings.Split(string(ctrl), ",")
		}
		out = append(out, cgroupLine{hierarchy: h, controllers: ctrls, path: string(p)})
	}
	return out
}

// cgroupMount is one cgroup or cgroup2 mount of /proc/self/mountinfo.
type cgroupMount struct {
	root       string   // field 4: the cgroup path mounted here
	mountPoint string   // field 5
	fsType     string   // "cgroup" or "cgroup2"
	superOpts  []string // v1 controllers among the super options
}

// parseMountInfo parses /proc/self/mountinfo (proc(5)), keeping the cgroup
// and cgroup2 mounts and skipping malformed lines.
func parseMountInfo(data []byte) []cgroupMount {
	var out []cgroupMount
	for len(data) > 0 {
		var line []byte
		line, data, _ = bytes.Cut(data, []byte{'\n'})
		fields := strings.Fields(string(line))
		sep := -1
		for i := 6; i < len(fields); i++ {
			if fields[i] == "-" {
				sep = i
				break
			}
		}
		if len(fields) < 10 || sep < 0 || len(fields) < sep+3 {
			continue
		}
		fstype := fields[sep+1]
		if fstype != "cgroup" && fstype != "cgroup2" {
			continue
		}
		var super []string
		if len(fields) > sep+3 {
			super = strings.Split(fields[sep+3], ",")
		}
		out = append(out, cgroupMount{
			root:       unescapeOctal(fields[3]),
			mountPoint: unescapeOctal(fields[4]),
			fsType:     fstype,
			superOpts:  super,
		})
	}
	return out
}

// unescapeOctal decodes the kernel's \ooo escapes in mountinfo paths.
func unescapeOctal(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) && s[i+1] >= '0' && s[i+1] <= '3' && isOctal(s[i+2]) && isOctal(s[i+3]) {
			b.WriteByte((s[i+1]-'0')<<6 | (s[i+2]-'0')<<3 | (s[i+3] - '0'))
			i += 3
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }

// cgroupDir is where a controller's files for our cgroup live.
type cgroupDir struct {
	leaf  string // our cgroup's directory, as the process sees it
	mount string // the hierarchy's mount point (the walk stops here)
	v1    bool
}

// resolveCgroup finds our directory for controller ctrl: a v1 hierarchy
// carrying it if one resolves, else the v2 unified hierarchy.
func resolveCgroup(lines []cgroupLine, mounts []cgroupMount, ctrl string) (cgroupDir, bool) {
	for _, l := range lines {
		if l.hierarchy == 0 || !slices.Contains(l.controllers, ctrl) {
			continue
		}
		for _, m := range mounts {
			if m.fsType != "cgroup" || !slices.Contains(m.superOpts, ctrl) {
				continue
			}
			if leaf, ok := joinCgroup(m, l.path); ok {
				return cgroupDir{leaf: leaf, mount: path.Clean(m.mountPoint), v1: true}, true
			}
		}
	}
	for _, l := range lines {
		if l.hierarchy != 0 || len(l.controllers) != 0 {
			continue
		}
		for _, m := range mounts {
			if m.fsType != "cgroup2" {
				continue
			}
			if leaf, ok := joinCgroup(m, l.path); ok {
				return cgroupDir{leaf: leaf, mount: path.Clean(m.mountPoint)}, true
			}
		}
	}
	return cgroupDir{}, false
}

// joinCgroup maps a cgroup path to a directory below mount m; paths with
// ".." (cgroup namespaces) or outside the mount's root do not resolve.
func joinCgroup(m cgroupMount, cg string) (string, bool) {
	if hasDotDot(cg) || hasDotDot(m.mountPoint) || !strings.HasPrefix(m.mountPoint, "/") {
		return "", false
	}
	mp := path.Clean(m.mountPoint)
	rel := cg
	switch {
	case m.root == "/":
	case cg == m.root:
		rel = "/"
	case strings.HasPrefix(cg, m.root+"/"):
		rel = cg[len(m.root):]
	default:
		return "", false
	}
	return path.Join(mp, rel), true
}

func hasDotDot(p string) bool { return strings.Contains("/"+p+"/", "/../") }

// levels returns the directories from the leaf up to the mount point.
func (d cgroupDir) levels() []string {
	out := []string{d.leaf}
	for p := d.leaf; len(out) < maxCgroupDepth && p != d.mount && len(p) > len(d.mount); {
		p = path.Dir(p)
		out = append(out, p)
	}
	return out
}
