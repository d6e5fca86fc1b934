package cgroupfs

import (
	"bytes"
	"strings"
)

// Mount is one cgroup or cgroup2 mount of /proc/self/mountinfo.
type Mount struct {
	Root       string   // field 4: the cgroup path mounted here ("/" or "/docker/…")
	MountPoint string   // field 5: "/sys/fs/cgroup/memory"
	FSType     string   // "cgroup" (v1) or "cgroup2"
	SuperOpts  []string // super options: the v1 controllers ("cpu", "cpuacct", "name=systemd", "rw"…)
}

// wantMountInfo is the shape of a /proc/self/mountinfo line.
const wantMountInfo = "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL…] - FSTYPE SOURCE SUPEROPTS"

// ParseMountInfo parses /proc/self/mountinfo (proc(5)) and keeps only the
// cgroup and cgroup2 mounts:
//
//	36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
//
// Octal escapes (\040) in paths are decoded. Malformed lines are counted in
// the *SyntaxError (nil when there is none); blank lines are skipped.
func ParseMountInfo(data []byte) ([]Mount, error) {
	var out []Mount
	var bad *SyntaxError
	for n := 1; len(data) > 0; n++ {
		var line []byte
		line, data, _ = bytes.Cut(data, []byte{'\n'})
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		m, ok := mountLine(line)
		if !ok {
			bad = bad.add(wantMountInfo, n, line)
			continue
		}
		if m.FSType != "" {
			out = append(out, m)
		}
	}
	return out, bad.err()
}

// mountLine parses one mountinfo line. ok is false for a malformed line;
// a well-formed line that is not a cgroup mount gives a zero Mount.
// Nothing is allocated for lines that are not cgroup mounts.
func mountLine(line []byte) (m Mount, ok bool) {
	var root, point, fstype, super []byte
	nFields, sep := 0, -1 // sep: the field count when "-" was met
	rest := line
	for {
		var f []byte
		f, rest = nextField(rest)
		if f == nil {
			break
		}
		nFields++
		switch {
		case sep < 0 && nFields == 4:
			root = f
		case sep < 0 && nFields == 5:
			point = f
		case sep < 0 && nFields > 6 && len(f) == 1 && f[0] == '-':
			sep = nFields
		case sep > 0 && nFields == sep+1:
			fstype = f
		case sep > 0 && nFields == sep+3:
			super = f
		}
	}
	if sep < 0 || nFields < sep+2 {
		return Mount{}, false
	}
	var fs string // a constant, not a copy of the line
	switch string(fstype) {
	case "cgroup":
		fs = "cgroup"
	case "cgroup2":
		fs = "cgroup2"
	default:
		return Mount{}, true
	}
	m = Mount{Root: unescapeOctal(string(root)), MountPoint: unescapeOctal(string(point)), FSType: fs}
	if len(super) > 0 {
		m.SuperOpts = strings.Split(string(super), ",")
	}
	return m, true
}

// nextField returns the next space-separated field of b and the rest, or
// nil at the end.
func nextField(b []byte) (field, rest []byte) {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	if i == len(b) {
		return nil, nil
	}
	j := i
	for j < len(b) && b[j] != ' ' && b[j] != '\t' {
		j++
	}
	return b[i:j], b[j:]
}

// unescapeOctal decodes the kernel's \ooo escapes of space, tab, newline
// and backslash in mountinfo paths. Anything else is left as it is.
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
