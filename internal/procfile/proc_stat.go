package procfile

import (
	"bytes"
	"fmt"
	"time"

	"github.com/faasprobe/faasprobe/internal/excerpt"
)

// ProcStat is the part of /proc/<pid>/stat (proc(5)) that callers use.
type ProcStat struct {
	PID  int    // field 1
	Comm string // field 2, without its parentheses
	// State is field 3: R, S, D, Z (zombie), X (dead), …
	State byte
	PPID  int // field 4 (0 for init and kernel threads' parent)
	PGRP  int // field 5
	// StartTime is field 22, starttime: USER_HZ ticks from boot to the
	// process's start. With PID it identifies a process across PID reuse.
	StartTime uint64
}

// Alive is false for a zombie or dead process.
func (s ProcStat) Alive() bool {
	return s.State != 'Z' && s.State != 'X' && s.State != 'x'
}

// Start is StartTime as a duration since boot.
func (s ProcStat) Start() time.Duration {
	return time.Duration(s.StartTime) * (time.Second / UserHZ)
}

// maxStartTicks is the largest starttime whose duration (Start) fits an
// int64 of nanoseconds: ~292 years after boot.
const maxStartTicks = (1<<63 - 1) / int64(time.Second/UserHZ)

// maxComm bounds the command name: the kernel's TASK_COMM_LEN is 16, and
// a kernel thread's name (workqueue workers) at most 64.
const maxComm = 64

// minProcStatFields is how many fields the kernel has written since Linux
// 2.6 (up to starttime, field 22, at the least).
const minProcStatFields = 22

// ParseProcStat parses one /proc/<pid>/stat line. comm (field 2) may hold
// spaces, parentheses and even newlines, so it runs from the first '(' to
// the last ')'; the fields after it are counted from there, separated by
// ASCII white space (a NUL is not a separator: it makes a field invalid).
// The pid is positive, the state one letter, ppid, pgrp and starttime
// decimal numbers.
func ParseProcStat(data []byte) (ProcStat, error) {
	line := bytes.TrimRight(data, " \t\r\n")
	open := bytes.IndexByte(line, '(')
	end := bytes.LastIndexByte(line, ')')
	if open < 0 || end < open {
		return ProcStat{}, fmt.Errorf("no (comm) field in %q", excerpt.Clip(line))
	}
	pid, ok := parseKernelNumber(bytes.TrimSpace(line[:open]), 1<<22) // PID_MAX_LIMIT
	if !ok || pid == 0 || open == 0 || line[open-1] != ' ' {
		return ProcStat{}, fmt.Errorf("pid field in %q: not a positive number", excerpt.Clip(line))
	}
	comm := line[open+1 : end]
	if len(comm) > maxComm {
		return ProcStat{}, fmt.Errorf("comm %q: longer than %d bytes", excerpt.Clip(comm), maxComm)
	}
	rest := line[end+1:]
	if len(rest) > 0 && rest[0] != ' ' {
		return ProcStat{}, fmt.Errorf("no space after comm in %q", excerpt.Clip(line))
	}
	// f[0] is field 3 (state); starttime is field 22.
	var f [minProcStatFields - 2][]byte
	n := 0
	for w := range bytes.FieldsSeq(rest) {
		if n == len(f) {
			break
		}
		f[n] = w
		n++
	}
	if n < len(f) {
		return ProcStat{}, fmt.Errorf("%d fields after comm, want at least %d, in %q", n, len(f), excerpt.Clip(line))
	}
	if len(f[0]) != 1 || !isLetter(f[0][0]) {
		return ProcStat{}, fmt.Errorf("state field %q: want one letter (R, S, D, Z, …)", excerpt.Clip(f[0]))
	}
	ppid, ok := parseKernelNumber(f[1], 1<<22)
	if !ok {
		return ProcStat{}, fmt.Errorf("ppid field %q: not a process id", excerpt.Clip(f[1]))
	}
	pgrp, ok := parseKernelNumber(f[2], 1<<22)
	if !ok {
		return ProcStat{}, fmt.Errorf("pgrp field %q: not a process id", excerpt.Clip(f[2]))
	}
	start, ok := parseKernelNumber(f[19], uint64(maxStartTicks))
	if !ok {
		return ProcStat{}, fmt.Errorf("starttime field %q: not a tick count in range", excerpt.Clip(f[19]))
	}
	return ProcStat{PID: int(pid), Comm: string(comm), State: f[0][0], PPID: int(ppid), PGRP: int(pgrp), StartTime: start}, nil
}

// parseKernelNumber is parseDecimal without leading zeros, which the
// kernel's %d and %llu never write (and which a reader honouring a base
// prefix, as fmt.Fscan does, takes for octal).
func parseKernelNumber(b []byte, hi uint64) (uint64, bool) {
	if len(b) > 1 && b[0] == '0' {
		return 0, false
	}
	return parseDecimal(b, hi)
}

func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }
