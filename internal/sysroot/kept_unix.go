//go:build unix

package sysroot

import (
	"os"
	"syscall"
)

// openKept opens a live file read-only and non-blocking (a FIFO opens at
// once; Keep then refuses it).
func openKept(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}

// preadAt0 is one pread(2) of len(b) bytes at offset 0 (os.File.ReadAt
// would read again until the buffer is full or EOF: a second system call
// every time).
func preadAt0(f *os.File, b []byte) (n int, err error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return 0, err
	}
	cerr := rc.Read(func(fd uintptr) bool {
		for {
			n, err = syscall.Pread(int(fd), b, 0)
			if err != syscall.EINTR {
				break
			}
		}
		if err == syscall.EAGAIN { // only a non-regular file would block
			err = ErrNotRegular
		}
		return true
	})
	if cerr != nil {
		return 0, cerr
	}
	return max(n, 0), err
}
