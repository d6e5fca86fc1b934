package sysroot

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
)

// ErrOutsideRoot is returned (wrapped) when a path below a recorded root
// resolves outside it: an absolute symbolic link, a relative one that
// climbs above the root, or "..". The link is not followed.
var ErrOutsideRoot = errors.New("resolves outside the root")

// tree reads a recorded root through os.Root: every path, symbolic links
// included, resolves beneath the directory or fails. The os.Root is opened
// on first use and shared by the copies of the Root value that made it.
type tree struct {
	dir  string
	once sync.Once
	root *os.Root
	err  error
}

// newTree returns the tree for dir, or nil when dir is the live "/".
func newTree(dir string) *tree {
	if dir == "" || filepath.Clean(dir) == string(filepath.Separator) {
		return nil
	}
	return &tree{dir: dir}
}

func (t *tree) open() (*os.Root, error) {
	t.once.Do(func() { t.root, t.err = os.OpenRoot(t.dir) })
	return t.root, t.err
}

// Close closes a recorded tree's directory handle, if it was opened,
// without waiting for the garbage collector to; reads through r or its
// copies fail after it. Nothing to do on the live machine.
func (r Root) Close() error {
	t := r.tree
	if t == nil {
		return nil
	}
	t.once.Do(func() { t.err = fs.ErrClosed }) // never opened: stays closed
	if t.root == nil {
		return nil
	}
	return t.root.Close()
}

// beneath returns the tree a recorded root reads through, or nil for the
// live machine. A Root built by hand (not by Recorded or FromEnv) gets a
// tree of its own per call.
func (r Root) beneath() *tree {
	switch {
	case r.tree != nil:
		return r.tree
	case r.Dir == "" || r.Dir == "/":
		return nil
	}
	return &tree{dir: r.Dir}
}

// rel turns an absolute-style name into one os.Root accepts.
func rel(name string) string {
	name = strings.TrimLeft(name, "/")
	if name == "" {
		return "."
	}
	return name
}

// pathErr names the real path, as the live reads do, and says plainly when
// a path left the root.
func (t *tree) pathErr(op, name string, err error) error {
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		err = pe.Err
	}
	if err != nil && err.Error() == "path escapes from parent" { // os.Root's unexported error
		err = ErrOutsideRoot
	}
	return &fs.PathError{Op: op, Path: filepath.Join(t.dir, filepath.FromSlash(strings.TrimLeft(name, "/"))), Err: err}
}

// openFile opens name for reading without blocking (a FIFO planted in a
// tree opens at once) and returns it with its mode.
func (t *tree) openFile(name string) (*os.File, fs.FileMode, error) {
	root, err := t.open()
	if err != nil {
		return nil, 0, t.pathErr("open", name, err)
	}
	f, err := root.OpenFile(rel(name), os.O_RDONLY|nonblock, 0)
	if err != nil {
		return nil, 0, t.pathErr("open", name, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, t.pathErr("stat", name, err)
	}
	return f, st.Mode(), nil
}

// read reads at most limit bytes of a regular file into buf's storage. With
// head, a longer file is cut at limit; without, it is ErrTooLarge.
func (t *tree) read(name string, limit int, buf []byte, head bool) ([]byte, error) {
	f, mode, err := t.openFile(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if !mode.IsRegular() { // checked before any read: a FIFO or device is never read
		return nil, t.pathErr("read", name, ErrNotRegular)
	}
	buf = buf[:0]
	if cap(buf) == 0 {
		buf = make([]byte, 0, 4096)
	}
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		room := buf[len(buf):cap(buf)]
		if over := len(buf) + len(room) - (limit + 1); over > 0 {
			room = room[:len(room)-over]
		}
		n, err := f.Read(room)
		buf = buf[:len(buf)+n]
		if len(buf) > limit {
			if head {
				return buf[:limit], nil
			}
			return nil, t.pathErr("read", name, ErrTooLarge)
		}
		switch {
		case err == io.EOF:
			return buf, nil
		case err != nil:
			return nil, t.pathErr("read", name, err)
		}
	}
}

// readDir lists a directory's names, unsorted.
func (t *tree) readDir(name string) ([]string, error) {
	f, mode, err := t.openFile(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if !mode.IsDir() {
		return nil, t.pathErr("readdirent", name, syscall.ENOTDIR)
	}
	names, err := f.Readdirnames(-1)
	if err != nil {
		return nil, t.pathErr("readdirent", name, err)
	}
	return names, nil
}

// lstat is os.Root's Lstat: the last element is not followed, the ones
// before it are, within the root.
func (t *tree) lstat(name string) (fs.FileInfo, error) {
	root, err := t.open()
	if err != nil {
		return nil, t.pathErr("lstat", name, err)
	}
	st, err := root.Lstat(rel(name))
	if err != nil {
		return nil, t.pathErr("lstat", name, err)
	}
	return st, nil
}

func (t *tree) stat(name string) (fs.FileInfo, error) {
	root, err := t.open()
	if err != nil {
		return nil, t.pathErr("stat", name, err)
	}
	st, err := root.Stat(rel(name))
	if err != nil {
		return nil, t.pathErr("stat", name, err)
	}
	return st, nil
}

func (t *tree) readlink(name string) (string, error) {
	root, err := t.open()
	if err != nil {
		return "", t.pathErr("readlink", name, err)
	}
	s, err := root.Readlink(rel(name))
	if err != nil {
		return "", t.pathErr("readlink", name, err)
	}
	return s, nil
}
