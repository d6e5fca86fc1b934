package procfile

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/faasprobe/faasprobe/internal/excerpt"
)

// Limits is the part of /proc/<pid>/limits (proc(5)) that callers use:
// soft limits, -1 for "unlimited", 0 if unknown.
type Limits struct {
	OpenFiles int64 // Max open files (RLIMIT_NOFILE)
	Processes int64 // Max processes (RLIMIT_NPROC)
}

// ParseLimits reads the soft "Max open files" and "Max processes" of
// /proc/<pid>/limits:
//
//	Limit                     Soft Limit           Hard Limit           Units
//	Max processes             1024                 1024                 processes
//	Max open files            1024                 4096                 files
//
// A line that is missing or garbled leaves its limit 0 (unknown) and is
// named in the error; the other limit is still returned.
func ParseLimits(data []byte) (Limits, error) {
	var l Limits
	var errs []string
	seenFiles, seenProcs := false, false
	for line := range bytes.Lines(data) {
		line = bytes.TrimSuffix(line, []byte{'\n'})
		var dst *int64
		var rest []byte
		var ok bool
		if rest, ok = limitLine(line, "Max open files"); ok && !seenFiles {
			dst, seenFiles = &l.OpenFiles, true
		} else if rest, ok = limitLine(line, "Max processes"); ok && !seenProcs {
			dst, seenProcs = &l.Processes, true
		} else {
			continue
		}
		f := bytes.Fields(rest)
		if len(f) < 2 {
			errs = append(errs, fmt.Sprintf("line %q: want SOFT HARD [UNITS]", excerpt.Clip(line)))
			continue
		}
		v, err := parseRlimit(f[0])
		if err != nil {
			errs = append(errs, fmt.Sprintf("line %q: %v", excerpt.Clip(line), err))
			continue
		}
		*dst = v
	}
	if !seenFiles {
		errs = append(errs, `no "Max open files" line`)
	}
	if !seenProcs {
		errs = append(errs, `no "Max processes" line`)
	}
	if len(errs) > 0 {
		return l, errors.New(strings.Join(errs, "; "))
	}
	return l, nil
}

// limitLine returns what follows the limit's name when line is that
// limit's line: the name, then blanks (the kernel pads it to 25 columns) or
// nothing. "Max processes1 …" is not the "Max processes" line.
func limitLine(line []byte, name string) ([]byte, bool) {
	rest, ok := bytes.CutPrefix(line, []byte(name))
	if !ok || len(rest) > 0 && rest[0] != ' ' && rest[0] != '\t' {
		return nil, false
	}
	return rest, true
}

// parseRlimit parses one limit: "unlimited" (RLIM_INFINITY) is -1, else a
// decimal that fits an int64.
func parseRlimit(b []byte) (int64, error) {
	if string(b) == "unlimited" {
		return -1, nil
	}
	v, ok := parseDecimal(b, 1<<63-1)
	if !ok {
		return 0, fmt.Errorf("limit %q: want a non-negative integer or \"unlimited\"", excerpt.Clip(b))
	}
	return int64(v), nil
}
