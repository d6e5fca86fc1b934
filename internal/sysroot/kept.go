package sysroot

import (
	"io/fs"
	"os"
)

// Kept is a file held open to be read again and again from its start: a
// /proc file sampled at every invocation (/proc/stat, /proc/meminfo), where
// open and close would cost more than the read. Each Read is one positioned
// read (pread) from offset 0, which makes the kernel write the file afresh.
// Reads are bounded by MaxFileSize and only regular files are kept. Safe for
// use by one goroutine at a time.
type Kept struct {
	f    *os.File
	path string
}

// Keep opens name below the root for repeated reads: through the tree's
// os.Root for a recorded tree, like every other read of it; non-blocking,
// so that a FIFO cannot hang the caller; and only if it is a regular file.
func (r Root) Keep(name string) (*Kept, error) {
	var f *os.File
	var mode fs.FileMode
	if t := r.beneath(); t != nil {
		var err error
		if f, mode, err = t.openFile(name); err != nil {
			return nil, err
		}
	} else {
		path := r.Path(name)
		var err error
		if f, err = openKept(path); err != nil {
			return nil, err
		}
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, err
		}
		mode = st.Mode()
	}
	if !mode.IsRegular() {
		f.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: ErrNotRegular}
	}
	return &Kept{f: f, path: name}, nil
}

// Read reads the whole file from its start into buf's storage (from
// buf[:0], grown as needed) and returns it; a file over MaxFileSize is
// ErrTooLarge. A read that comes back short of the buffer is the whole
// file: one system call when the buffer is large enough, as it is from the
// second Read on when the caller passes the previous result back.
func (k *Kept) Read(buf []byte) ([]byte, error) {
	if cap(buf) < 4096 {
		buf = make([]byte, 0, 4096)
	}
	for {
		room := buf[:cap(buf)]
		if len(room) > MaxFileSize+1 {
			room = room[:MaxFileSize+1]
		}
		n, err := preadAt0(k.f, room)
		if err != nil {
			return nil, &fs.PathError{Op: "read", Path: k.path, Err: err}
		}
		if n < len(room) {
			return room[:n], nil
		}
		if n > MaxFileSize {
			return nil, &fs.PathError{Op: "read", Path: k.path, Err: ErrTooLarge}
		}
		buf = make([]byte, 0, 2*cap(buf))
	}
}

// Close closes the file.
func (k *Kept) Close() error { return k.f.Close() }
