package sandbox

import (
	"bytes"
	"fmt"
	"math"
	"strconv"

	"github.com/faasprobe/faasprobe/internal/excerpt"
)

// parseStatusIDs reads the real uid and gid from /proc/self/status: the first
// field of the "Uid:" and "Gid:" lines (real, effective, saved, fs). An id
// that is missing or malformed is -1; a malformed line, or a file with
// neither line, is named in the error.
func parseStatusIDs(data []byte) (uid, gid int, err error) {
	uid, gid = -1, -1
	var errs []string
	seenUID, seenGID := false, false
	for len(data) > 0 {
		var line []byte
		line, data, _ = bytes.Cut(data, []byte{'\n'})
		var dst *int
		var seen *bool
		switch {
		case bytes.HasPrefix(line, []byte("Uid:")):
			dst, seen = &uid, &seenUID
		case bytes.HasPrefix(line, []byte("Gid:")):
			dst, seen = &gid, &seenGID
		default:
			continue
		}
		if *seen {
			continue // the kernel writes each once; keep the first
		}
		*seen = true
		fields := bytes.Fields(line[4:])
		if len(fields) == 0 {
			errs = append(errs, fmt.Sprintf("line %q: no id", excerpt.Clip(line)))
			continue
		}
		id, perr := parseID(string(fields[0]))
		if perr != nil {
			errs = append(errs, fmt.Sprintf("line %q: %v", excerpt.Clip(line), perr))
			continue
		}
		*dst = id
	}
	if !seenUID && !seenGID {
		// One missing line is left unknown quietly (trees assembled from
		// `id` output carry only Uid:); a file with neither is not a status.
		errs = append(errs, "no Uid: or Gid: line")
	}
	if len(errs) > 0 {
		return uid, gid, fmt.Errorf("%s", joinSemi(errs))
	}
	return uid, gid, nil
}

// parseID parses a uid or gid: decimal, 0…4294967294 (4294967295 is the
// kernel's "no id"), and it must fit an int.
func parseID(s string) (int, error) {
	v, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		return -1, fmt.Errorf("id %q: not a decimal 32-bit number", excerpt.Clip(s))
	}
	if v == math.MaxUint32 || v > math.MaxInt {
		return -1, fmt.Errorf("id %d: out of range", v)
	}
	return int(v), nil
}
