//go:build linux

package rietest

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"

	"github.com/prometheus/procfs"
)

// sysProcAttr puts RIE in its own process group (so Stop can signal all of
// it) and kills it if the thread that started it dies with the test binary.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// signalGroup signals every process in the group pgid.
func signalGroup(pgid int, sig syscall.Signal) error {
	err := syscall.Kill(-pgid, sig)
	if errors.Is(err, syscall.ESRCH) {
		return nil
	}
	return err
}

var sigterm, sigkill = syscall.SIGTERM, syscall.SIGKILL

// readStat reads /proc/<pid>/stat through procfs.
func readStat(pid int) (procStat, error) {
	p, err := procfs.NewProc(pid)
	if err != nil {
		return procStat{}, err
	}
	st, err := p.Stat()
	if err != nil {
		return procStat{}, err
	}
	return procStat{PID: st.PID, State: st.State, PPID: st.PPID, PGRP: st.PGRP, StartTime: st.Starttime}, nil
}

// childrenOf lists the live processes whose parent is ppid, scanning /proc.
func childrenOf(ppid int) ([]procStat, error) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil, err
	}
	var kids []procStat
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		st, err := readStat(pid)
		if err != nil { // gone meanwhile, or not ours to read
			continue
		}
		if st.PPID == ppid && st.alive() {
			kids = append(kids, st)
		}
	}
	return kids, nil
}

// stillRunning says whether the process st describes is still there (same
// pid and start time, not a zombie).
func stillRunning(st procStat) bool {
	now, err := readStat(st.PID)
	return err == nil && now.StartTime == st.StartTime && now.alive()
}

// readEnviron reads /proc/<pid>/environ through procfs. Entries without
// '=' are skipped; a later duplicate wins, as in getenv.
func readEnviron(pid int) (map[string]string, error) {
	p, err := procfs.NewProc(pid)
	if err != nil {
		return nil, err
	}
	kvs, err := p.Environ()
	if err != nil {
		return nil, err
	}
	env := make(map[string]string, len(kvs))
	for _, kv := range kvs {
		if k, v, ok := strings.Cut(kv, "="); ok && k != "" {
			env[k] = v
		}
	}
	return env, nil
}
