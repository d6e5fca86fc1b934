package procfile

import (
	"bytes"
	"errors"
	"fmt"
)

// MaxNetDevInterfaces bounds the interfaces ParseNetDev returns.
const MaxNetDevInterfaces = 4096

// ParseNetDev parses /proc/net/dev (net/core/net-procfs.c): two header
// lines ("Inter-|   Receive …", " face |bytes …"), then one line per
// interface, "NAME: 16 counters". It returns the interface names in file
// order; the counters are checked (16 decimal numbers) but not decoded,
// as nothing reads them yet. A missing header, a malformed line or more
// than MaxNetDevInterfaces lines is an error naming the line (and no
// names).
func ParseNetDev(data []byte) ([]string, error) {
	var out []string
	n := 0
	for line := range bytes.Lines(data) {
		n++
		line = bytes.TrimRight(line, "\n")
		switch {
		case n == 1 && !bytes.HasPrefix(line, []byte("Inter-|")):
			return nil, netLineError(n, line, errors.New(`want the header "Inter-|"`))
		case n == 2 && !bytes.HasPrefix(bytes.TrimLeft(line, " "), []byte("face |")):
			return nil, netLineError(n, line, errors.New(`want the header "face |"`))
		case n <= 2 || len(bytes.TrimSpace(line)) == 0:
			continue
		}
		if len(out) == MaxNetDevInterfaces {
			return nil, netLineError(n, line, fmt.Errorf("more than %d interfaces", MaxNetDevInterfaces))
		}
		name, counters, ok := bytes.Cut(line, []byte{':'})
		if !ok {
			return nil, netLineError(n, line, errors.New("want NAME: counters"))
		}
		s, err := InterfaceName(bytes.TrimLeft(name, " "))
		if err != nil {
			return nil, netLineError(n, line, err)
		}
		if !sixteenCounters(counters) {
			return nil, netLineError(n, line, errors.New("want 16 decimal counters"))
		}
		out = append(out, s)
	}
	if n < 2 {
		return nil, errors.New("no header")
	}
	return out, nil
}

// sixteenCounters reports whether b is 16 decimal numbers separated by
// spaces.
func sixteenCounters(b []byte) bool {
	fields := 0
	in := false
	for _, c := range b {
		switch {
		case c == ' ':
			in = false
		case c >= '0' && c <= '9':
			if !in {
				fields++
				in = true
			}
		default:
			return false
		}
	}
	return fields == 16
}
