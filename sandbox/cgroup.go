package sandbox

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// cgroupLine is one line of /proc/self/cgroup: "ID:CONTROLLERS:PATH".
// Hierarchy 0 with no controllers is the cgroup v2 unified hierarchy.
type cgroupLine struct {
	Hierarchy   int
	Controllers []string // "cpu", "cpuacct", "name=systemd"; empty on v2
	Path        string   // "/sandbox-root-uPxa7U/sandbox-service-252528"
}

// parseCgroup parses /proc/self/cgroup. Malformed lines are skipped and the
// first few quoted in the error; the good lines are still returned.
func parseCgroup(data []byte) ([]cgroupLine, error) {
	var out []cgroupLine
	var errs []string
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
			if len(errs) < 3 {
				errs = append(errs, fmt.Sprintf("line %d %q: want ID:CONTROLLERS:/PATH", n, clip(line)))
			}
			continue
		}
		var ctrls []string
		if len(ctrl) > 0 {
			ctrls = strings.Split(string(ctrl), ",")
		}
		out = append(out, cgroupLine{Hierarchy: h, Controllers: ctrls, Path: string(path)})
	}
	if len(errs) > 0 {
		return out, fmt.Errorf("%s", joinSemi(errs))
	}
	return out, nil
}

// sandboxRootID returns the XXXXXX of a Lambda "sandbox-root-XXXXXX" cgroup
// path component (seen in 2022 captures on cpu,cpuacct; SAAF and skyrise
// read the same six characters), or "".
func sandboxRootID(lines []cgroupLine) string {
	const prefix = "sandbox-root-"
	for _, l := range lines {
		for comp := range strings.SplitSeq(l.Path, "/") {
			id, ok := strings.CutPrefix(comp, prefix)
			if ok && id != "" && len(id) <= 64 && isAlnum(id) {
				return id
			}
		}
	}
	return ""
}

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}
