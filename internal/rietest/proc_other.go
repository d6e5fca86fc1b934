//go:build !linux

package rietest

import (
	"os"
	"os/exec"
	"syscall"
)

// The emulator runs only on Linux; Launch refuses to start elsewhere, so
// these are never reached there. They exist so the package compiles on the
// developers' machines.

func sysProcAttr() *syscall.SysProcAttr { return nil }

func signalGroup(pgid int, sig os.Signal) error { return errNotLinux }

var sigterm, sigkill os.Signal = os.Interrupt, os.Kill

func childrenOf(ppid int) ([]procStat, error) { return nil, errNotLinux }

func stillRunning(st procStat) bool { return false }

func readEnviron(pid int) (map[string]string, error) { return nil, errNotLinux }

func startWithOpt(cmd *exec.Cmd, dir string, done <-chan struct{}) error { return errNotLinux }
