//go:build linux

package rietest

import (
	"fmt"
	"os/exec"
	"runtime"
	"syscall"
)

// startWithOpt starts cmd in a new mount namespace in which dir is
// bind-mounted over /opt. The namespace is made on one OS thread, which
// cmd inherits when started from it; the thread is never unlocked, so it
// ends (with its namespace) when the goroutine returns. The goroutine stays
// until done is closed (cmd was waited for): the thread is the child's
// parent for Pdeathsig, and its exit would kill the emulator.
func startWithOpt(cmd *exec.Cmd, dir string, done <-chan struct{}) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		if err := privateOpt(dir); err != nil {
			errc <- err
			return
		}
		err := cmd.Start()
		errc <- err
		if err == nil {
			<-done
		}
	}()
	return <-errc
}

// privateOpt moves the calling thread into a new mount namespace, makes
// every mount in it private (nothing propagates back to the machine) and
// bind-mounts dir over /opt.
func privateOpt(dir string) error {
	if err := syscall.Unshare(syscall.CLONE_NEWNS); err != nil {
		return fmt.Errorf("rietest: private /opt: unshare mount namespace (needs root): %w", err)
	}
	if err := syscall.Mount("", "/", "", syscall.MS_REC|syscall.MS_PRIVATE, ""); err != nil {
		return fmt.Errorf("rietest: private /opt: make mounts private: %w", err)
	}
	if err := syscall.Mount(dir, "/opt", "", syscall.MS_BIND|syscall.MS_REC, ""); err != nil {
		return fmt.Errorf("rietest: private /opt: bind %s over /opt: %w", dir, err)
	}
	return nil
}
