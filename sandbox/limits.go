package sandbox

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/faasprobe/faasprobe/internal/excerpt"
)

// parseProcLimits reads the soft "Max open files" and "Max processes" of
// /proc/self/limits:
//
//	Limit                     Soft Limit           Hard Limit           Units
//	Max processes             1024                 1024                 processes
//	Max open files            1024                 4096                 files
//
// "unlimited" is -1; a line that is missing or garbled leaves 0 (unknown)
// and is named in the error.
func parseProcLimits(data []byte) (openFiles, processes int64, err error) {
	var errs []string
	seenFiles, seenProcs := false, false
	for len(data) > 0 {
		var line []byte
		line, data, _ = bytes.Cut(data, []byte{'\n'})
		var dst *int64
		var rest []byte
		var ok bool
		if rest, ok = bytes.CutPrefix(line, []byte("Max open files")); ok && !seenFiles {
			dst, seenFiles = &openFiles, true
		} else if rest, ok = bytes.CutPrefix(line, []byte("Max processes")); ok && !seenProcs {
			dst, seenProcs = &processes, true
		} else {
			continue
		}
		f := bytes.Fields(rest)
		if len(f) < 2 {
			errs = append(errs, fmt.Sprintf("line %q: want SOFT HARD [UNITS]", excerpt.Clip(line)))
			continue
		}
		v, perr := parseRlimit(string(f[0]))
		if perr != nil {
			errs = append(errs, fmt.Sprintf("line %q: %v", excerpt.Clip(line), perr))
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
		return openFiles, processes, fmt.Errorf("%s", joinSemi(errs))
	}
	return openFiles, processes, nil
}

// parseRlimit parses one limit: "unlimited" → -1, else a positive decimal
// that fits an int64 (RLIM_INFINITY is printed as "unlimited").
func parseRlimit(s string) (int64, error) {
	if s == "unlimited" {
		return -1, nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || !isDigits(s) {
		return 0, fmt.Errorf("limit %q: want a non-negative integer or \"unlimited\"", excerpt.Clip(s))
	}
	return v, nil
}
