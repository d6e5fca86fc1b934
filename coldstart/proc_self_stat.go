package coldstart

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"

	"github.com/faasprobe/faasprobe/internal/excerpt"
)

// userHZ is the unit of /proc/self/stat's time fields: USER_HZ, which the
// Linux ABI fixes at 100 on every architecture (sysconf(_SC_CLK_TCK)).
const userHZ = 100

// procSelfStat is the part of /proc/self/stat (proc(5)) the tracker uses.
type procSelfStat struct {
	PID        int    // field 1
	Comm       string // field 2, without its parentheses
	StartTicks uint64 // field 22, starttime: clock ticks (USER_HZ) from boot to the process's start
}

// parseProcSelfStat parses one /proc/<pid>/stat line. comm (field 2) may hold
// spaces, parentheses and even newlines, so it runs from the first '(' to the
// last ')'; the fields after it are counted from there.
func parseProcSelfStat(data []byte) (procSelfStat, error) {
	var st procSelfStat
	line := bytes.TrimRight(data, " \t\r\n\x00")
	open := bytes.IndexByte(line, '(')
	end := bytes.LastIndexByte(line, ')')
	if open < 0 || end < open {
		return st, fmt.Errorf("no (comm) field in %q", excerpt.Clip(line))
	}
	pid, err := strconv.Atoi(string(bytes.TrimSpace(line[:open])))
	if err != nil || pid <= 0 {
		return st, fmt.Errorf("pid field in %q: not a positive number", excerpt.Clip(line))
	}
	rest := bytes.Fields(line[end+1:])
	// rest[0] is field 3 (state); starttime is field 22.
	const startIdx = 22 - 3
	if len(rest) <= startIdx {
		return st, fmt.Errorf("%d fields after comm, want at least %d, in %q", len(rest), startIdx+1, excerpt.Clip(line))
	}
	if len(rest[0]) != 1 {
		return st, fmt.Errorf("state field %q is not one character", excerpt.Clip(rest[0]))
	}
	ticks, err := strconv.ParseUint(string(rest[startIdx]), 10, 64)
	if err != nil {
		return st, fmt.Errorf("starttime field %q: %w", excerpt.Clip(rest[startIdx]), errors.Unwrap(err))
	}
	// A start more than ~292 years after boot does not fit a time.Duration.
	if ticks > maxTicks {
		return st, fmt.Errorf("starttime field %d: out of range", ticks)
	}
	st.PID, st.Comm, st.StartTicks = pid, string(line[open+1:end]), ticks
	return st, nil
}

// maxTicks is the largest starttime whose duration fits an int64 of nanoseconds.
const maxTicks = (1<<63 - 1) / (1_000_000_000 / userHZ)
