package rietest

import (
	"bytes"
	"fmt"
	"strconv"
)

// procStat is what the harness needs from /proc/<pid>/stat (proc(5)).
type procStat struct {
	PID       int
	State     byte   // field 3: R, S, D, Z (zombie), X (dead), …
	PPID      int    // field 4
	PGRP      int    // field 5
	StartTime uint64 // field 22, clock ticks after boot: with PID, identifies the process
}

// parseProcStat parses /proc/<pid>/stat. The command name (field 2) is in
// parentheses and may itself contain spaces and parentheses, so the fields
// after it are counted from the last ')'.
func parseProcStat(b []byte) (procStat, error) {
	open := bytes.IndexByte(b, '(')
	closing := bytes.LastIndexByte(b, ')')
	if open < 1 || closing < open {
		return procStat{}, fmt.Errorf("rietest: parse /proc/<pid>/stat: no (comm) in %q", truncate(string(b)))
	}
	pid, err := strconv.Atoi(string(bytes.TrimSpace(b[:open])))
	if err != nil || pid <= 0 {
		return procStat{}, fmt.Errorf("rietest: parse /proc/<pid>/stat: pid %q: not a process id", truncate(string(b[:open])))
	}
	// rest[0] is field 3 (state).
	rest := bytes.Fields(b[closing+1:])
	if len(rest) < 20 {
		return procStat{}, fmt.Errorf("rietest: parse /proc/%d/stat: %d fields after comm, want ≥ 20", pid, len(rest))
	}
	if len(rest[0]) != 1 || !isLetter(rest[0][0]) {
		return procStat{}, fmt.Errorf("rietest: parse /proc/%d/stat: state %q: want one letter (R, S, D, Z, …)", pid, truncate(string(rest[0])))
	}
	ppid, err := strconv.Atoi(string(rest[1]))
	if err != nil {
		return procStat{}, fmt.Errorf("rietest: parse /proc/%d/stat: ppid %q: %w", pid, rest[1], err)
	}
	pgrp, err := strconv.Atoi(string(rest[2]))
	if err != nil {
		return procStat{}, fmt.Errorf("rietest: parse /proc/%d/stat: pgrp %q: %w", pid, rest[2], err)
	}
	start, err := strconv.ParseUint(string(rest[19]), 10, 64)
	if err != nil {
		return procStat{}, fmt.Errorf("rietest: parse /proc/%d/stat: starttime %q: %w", pid, rest[19], err)
	}
	return procStat{PID: pid, State: rest[0][0], PPID: ppid, PGRP: pgrp, StartTime: start}, nil
}

func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }

// alive is false for zombies and dead processes.
func (s procStat) alive() bool {
	return s.State != 'Z' && s.State != 'X' && s.State != 'x'
}

// parseEnviron parses /proc/<pid>/environ (NUL-separated KEY=VALUE).
// Entries without '=' are skipped; a later duplicate wins, as in getenv.
func parseEnviron(b []byte) map[string]string {
	env := make(map[string]string)
	for kv := range bytes.SplitSeq(b, []byte{0}) {
		k, v, ok := bytes.Cut(kv, []byte{'='})
		if !ok || len(k) == 0 {
			continue
		}
		env[string(k)] = string(v)
	}
	return env
}
