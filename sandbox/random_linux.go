//go:build linux

package sandbox

import (
	"runtime"
	"syscall"
	"unsafe"
)

// getrandom fills b from the kernel's CSPRNG with one getrandom(2) system
// call (flags 0: it blocks only until the pool is first seeded, long before
// a function runs). crypto/rand.Read reads the same source on Linux, but
// its first call in a process also sets up the vDSO getrandom state
// (~50 µs measured in a cold process here, against ~2 µs for the system
// call). false means "use crypto/rand": an architecture without a number
// below, a kernel without the call (before 3.17) or a seccomp filter that
// refuses it.
func getrandom(b []byte) bool {
	nr := sysGetrandom()
	if nr == 0 {
		return false
	}
	for len(b) > 0 {
		n, _, errno := syscall.Syscall(nr, uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)), 0)
		switch {
		case errno == syscall.EINTR:
			continue
		case errno != 0 || n == 0 || int(n) > len(b):
			return false
		}
		b = b[n:]
	}
	return true
}

// sysGetrandom is getrandom's system call number (Linux
// arch/*/entry/syscalls and include/uapi/asm-generic/unistd.h), 0 where it
// is not listed here. runtime.GOARCH is a constant: the switch folds away.
func sysGetrandom() uintptr {
	switch runtime.GOARCH {
	case "amd64":
		return 318
	case "arm64", "riscv64", "loong64":
		return 278
	case "386":
		return 355
	case "arm":
		return 384
	case "ppc64", "ppc64le":
		return 359
	case "s390x":
		return 349
	}
	return 0
}
