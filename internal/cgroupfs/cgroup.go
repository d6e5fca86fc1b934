package cgroupfs

import (
	"bytes"
	"strconv"
	"strings"
)

// Line is one line of /proc/self/cgroup: "ID:CONTROLLERS:PATH".
// Hierarchy 0 with no controllers is the cgroup v2 unified hierarchy.
type Line struct {
	Hierarchy   int      // hierarchy ID, >= 0
	Controllers []string // "cpu", "cpuacct", "name=systemd"; nil on v2
	Path        string   // "/sandbox-root-uPxa7U/sandbox-service-252528"; always starts with "/"
}

// wantCgroup is the shape of a /proc/self/cgroup line.
const wantCgroup = "ID:CONTROLLERS:/PATH"

// ParseCgroup parses /proc/self/cgroup. Every non-empty line is either
// returned or counted in the *SyntaxError (nil when there is none); a
// path may hold ':'.
func ParseCgroup(data []byte) ([]Line, error) {
	var out []Line
	var bad *SyntaxError
	for n := 1; len(data) > 0; n++ {
		var line []byte
		line, data, _ = bytes.Cut(data, []byte{'\n'})
		line = bytes.TrimRight(line, "\r")
		if len(line) == 0 {
			continue
		}
		id, rest, ok1 := bytes.Cut(line, []byte{':'})
		ctrl, path, ok2 := bytes.Cut(rest, []byte{':'})
		h, err := strconv.Atoi(string(id))
		if !ok1 || !ok2 || err != nil || h < 0 || len(path) == 0 || path[0] != '/' {
			bad = bad.add(wantCgroup, n, line)
			continue
		}
		var ctrls []string
		if len(ctrl) > 0 {
			ctrls = strings.Split(string(ctrl), ",")
		}
		out = append(out, Line{Hierarchy: h, Controllers: ctrls, Path: string(path)})
	}
	return out, bad.err()
}
