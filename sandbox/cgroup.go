package sandbox

import (
	"strings"

	"github.com/faasprobe/faasprobe/internal/cgroupfs"
)

// sandboxRootID returns the XXXXXX of a Lambda "sandbox-root-XXXXXX" cgroup
// path component (seen in 2022 captures on cpu,cpuacct; SAAF and skyrise
// read the same six characters), or "".
func sandboxRootID(lines []cgroupfs.Line) string {
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
