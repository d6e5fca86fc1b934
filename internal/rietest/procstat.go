package rietest

// procStat is what the harness needs from /proc/<pid>/stat (proc(5)), as
// prometheus/procfs parses it on Linux.
type procStat struct {
	PID       int
	State     string // field 3: R, S, D, Z (zombie), X (dead), …
	PPID      int    // field 4
	PGRP      int    // field 5
	StartTime uint64 // field 22, clock ticks after boot: with PID, identifies the process
}

// alive is false for zombies and dead processes.
func (s procStat) alive() bool {
	return s.State != "Z" && s.State != "X" && s.State != "x"
}
