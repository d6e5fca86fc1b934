//go:build unix

package sysroot

import (
	"io/fs"
	"syscall"
)

// nonblock opens a recorded tree's files without waiting for a FIFO's
// writer.
const nonblock = syscall.O_NONBLOCK

// readRaw reads at most limit+1 bytes of a file with plain system calls:
// open (non-blocking, so a FIFO or a terminal cannot hang the caller),
// read until EOF, close. It skips the os.File machinery, whose netpoller
// registration costs two more system calls per file for /proc files
// opened non-blocking; Detect reads ~25 small files inside a cold start.
// The bytes go into buf's storage when it has any (see Root.ReadFileBuf).
func readRaw(path string, limit int, buf []byte) ([]byte, error) {
	fd, err := open(path)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	buf = buf[:0]
	if cap(buf) == 0 {
		buf = make([]byte, 0, 4096)
	}
	for {
		if len(buf) == cap(buf) {
			if len(buf) > limit {
				return nil, &fs.PathError{Op: "read", Path: path, Err: ErrTooLarge}
			}
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := syscall.Read(fd, buf[len(buf):cap(buf)])
		switch {
		case err == syscall.EINTR:
			continue
		case err == syscall.EAGAIN:
			// Only non-regular files (FIFOs, sockets, terminals) would block.
			return nil, &fs.PathError{Op: "read", Path: path, Err: ErrNotRegular}
		case err == syscall.EISDIR:
			return nil, &fs.PathError{Op: "read", Path: path, Err: ErrNotRegular}
		case err != nil:
			return nil, &fs.PathError{Op: "read", Path: path, Err: err}
		case n == 0:
			if len(buf) == 0 && !isRegular(fd) {
				// A FIFO without a writer reads as empty: say what it is.
				return nil, &fs.PathError{Op: "read", Path: path, Err: ErrNotRegular}
			}
			return buf, nil
		}
		buf = buf[:len(buf)+n]
		if len(buf) > limit {
			return nil, &fs.PathError{Op: "read", Path: path, Err: ErrTooLarge}
		}
	}
}

func open(path string) (int, error) {
	for {
		fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			return fd, err
		}
	}
}

// readHeadRaw reads at most n bytes from the start of path.
func readHeadRaw(path string, n int) ([]byte, error) {
	fd, err := open(path)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	buf := make([]byte, n)
	got := 0
	for got < n {
		m, err := syscall.Read(fd, buf[got:])
		switch {
		case err == syscall.EINTR:
			continue
		case err == syscall.EAGAIN, err == syscall.EISDIR:
			return nil, &fs.PathError{Op: "read", Path: path, Err: ErrNotRegular}
		case err != nil:
			return nil, &fs.PathError{Op: "read", Path: path, Err: err}
		case m == 0:
			if got == 0 && !isRegular(fd) {
				return nil, &fs.PathError{Op: "read", Path: path, Err: ErrNotRegular}
			}
			return buf[:got], nil
		}
		got += m
	}
	return buf, nil
}

// readDirNames lists a directory with open, getdents and close (without
// "." and ".."), unsorted. os.ReadDir costs an os.File with its finalizer
// and a DirEntry per name on top.
func readDirNames(path string) ([]string, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	var names []string
	buf := make([]byte, 2048) // a few dozen entries per call; more calls for more
	for {
		n, err := syscall.ReadDirent(fd, buf)
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return nil, &fs.PathError{Op: "readdirent", Path: path, Err: err}
		case n <= 0:
			return names, nil
		}
		_, _, names = syscall.ParseDirent(buf[:n], -1, names)
	}
}

// exists reports whether path exists (lstat(2) without the os.FileInfo
// and error values os.Lstat allocates).
func exists(path string) bool {
	var st syscall.Stat_t
	for {
		err := syscall.Lstat(path, &st)
		if err != syscall.EINTR {
			return err == nil
		}
	}
}

// isRegular is asked only when a file reads as empty, so the common path
// costs no fstat.
func isRegular(fd int) bool {
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return false
	}
	return st.Mode&syscall.S_IFMT == syscall.S_IFREG
}
