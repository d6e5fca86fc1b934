package sysroot

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// MaxFileSize is the largest file Root.ReadFile returns. Every file faasprobe
// reads is far smaller; anything larger is damage or a trap.
const MaxFileSize = 1 << 20

// ErrTooLarge is returned (wrapped) for files over MaxFileSize.
var ErrTooLarge = errors.New("file larger than 1 MiB")

// ErrNotRegular is returned (wrapped) for paths that are not regular files
// (FIFOs, devices, directories) where a regular file was expected. Files under
// /proc and /sys are regular files.
var ErrNotRegular = errors.New("not a regular file")

// Root is a directory that stands for "/" plus an environment.
// The zero value is not useful; use Live or Recorded.
type Root struct {
	// Dir is the directory that stands for "/".
	Dir string
	// LookupEnv looks an environment variable up. It never returns secrets to
	// anything that prints: callers redact.
	LookupEnv func(key string) (string, bool)
	// EnvSource names where the environment came from ("process" or the env
	// file path), for error messages.
	EnvSource string
	// Recorded is true for a recorded tree: process-specific facts (the
	// current process's start time, its cgroup) are then the recorder's.
	Recorded bool

	tree *tree // reads below Dir through os.Root; nil for the live machine
}

// Live returns the root of the running machine: "/" and os.LookupEnv.
func Live() Root {
	return Root{Dir: "/", LookupEnv: os.LookupEnv, EnvSource: "process environment"}
}

// Recorded returns a root that reads the tree below dir and takes the
// environment from dir/env. A missing env file means an empty environment.
// A malformed env file is not fatal: its good lines are used and the error
// names the bad ones.
func Recorded(dir string) (Root, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return Root{}, fmt.Errorf("sysroot: %w", err)
	}
	if !st.IsDir() {
		return Root{}, fmt.Errorf("sysroot: %s: not a directory", dir)
	}
	r := Root{Dir: dir, EnvSource: filepath.Join(dir, "env"), Recorded: true, tree: newTree(dir)}
	data, rerr := r.ReadFile("env")
	var env map[string]string
	var perr error
	switch {
	case rerr == nil:
		env, perr = ParseEnv(data)
		if perr != nil {
			perr = fmt.Errorf("sysroot: parse %s: %w", r.EnvSource, perr)
		}
	case errors.Is(rerr, fs.ErrNotExist):
		env = map[string]string{}
	default:
		env = map[string]string{}
		perr = rerr
	}
	r.LookupEnv = func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	return r, perr
}

// FromEnv returns a root at dir with the given environment (tests).
func FromEnv(dir string, env map[string]string) Root {
	return Root{Dir: dir, EnvSource: "given environment", Recorded: dir != "/", tree: newTree(dir),
		LookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok }}
}

// Getenv returns the variable's value, or "" if it is unset.
func (r Root) Getenv(key string) string {
	if r.LookupEnv == nil {
		return ""
	}
	v, _ := r.LookupEnv(key)
	return v
}

// Path returns the real path of an absolute-style path below the root:
// Path("proc/cpuinfo") is "/proc/cpuinfo" on the live machine.
func (r Root) Path(name string) string {
	name = strings.TrimPrefix(name, "/")
	if r.Dir == "" || r.Dir == "/" {
		return "/" + name
	}
	return filepath.Join(r.Dir, filepath.FromSlash(name))
}

// ReadFile reads name below the root, at most MaxFileSize bytes. The error
// wraps fs.ErrNotExist, fs.ErrPermission, ErrTooLarge or ErrNotRegular and
// names the path. A FIFO or device cannot make it block.
func (r Root) ReadFile(name string) ([]byte, error) {
	if t := r.beneath(); t != nil {
		return t.read(name, MaxFileSize, nil, false)
	}
	return readRaw(r.Path(name), MaxFileSize, nil)
}

// ReadFileBuf is ReadFile reading into buf's storage (from buf[:0]; a
// larger file grows it, as append does). The result shares storage with
// buf: it is valid until buf is used again. Readers that parse many small
// files in a row, keeping only what they copy out, pass the previous
// result back in (b[:0]) so that one buffer serves them all; a cold start
// then pays for one allocation, not one 4 KiB buffer per file.
func (r Root) ReadFileBuf(name string, buf []byte) ([]byte, error) {
	if t := r.beneath(); t != nil {
		return t.read(name, MaxFileSize, buf, false)
	}
	return readRaw(r.Path(name), MaxFileSize, buf)
}

// ReadString reads a small file and trims surrounding white space.
func (r Root) ReadString(name string) (string, error) {
	b, err := r.ReadFile(name)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}

// Exists reports whether name exists below the root (any type). It does
// not follow a final symbolic link.
func (r Root) Exists(name string) bool {
	if t := r.beneath(); t != nil {
		_, err := t.lstat(name)
		return err == nil
	}
	return exists(r.Path(name))
}

// IsDir reports whether name is a directory below the root (a symbolic
// link to one counts if it stays below the root).
func (r Root) IsDir(name string) bool {
	if t := r.beneath(); t != nil {
		st, err := t.stat(name)
		return err == nil && st.IsDir()
	}
	st, err := os.Stat(r.Path(name))
	return err == nil && st.IsDir()
}

// ReadDir lists the names in a directory below the root, sorted.
func (r Root) ReadDir(name string) ([]string, error) {
	var names []string
	var err error
	if t := r.beneath(); t != nil {
		names, err = t.readDir(name)
	} else {
		names, err = readDirNames(r.Path(name))
	}
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	return names, nil
}

// Readlink returns the target of a symbolic link below the root, as
// written (not resolved). Trees faasprobe records hold no symbolic links.
func (r Root) Readlink(name string) (string, error) {
	if t := r.beneath(); t != nil {
		return t.readlink(name)
	}
	return os.Readlink(r.Path(name))
}

// IsAbsent reports whether err means the source simply is not there on this
// platform (not an error worth reporting).
func IsAbsent(err error) bool {
	return errors.Is(err, fs.ErrNotExist)
}

// ReadHead reads at most n bytes from the start of name (for binary
// headers such as ACPI tables, which can be large).
func (r Root) ReadHead(name string, n int) ([]byte, error) {
	if t := r.beneath(); t != nil {
		return t.read(name, n, make([]byte, 0, n+1), true)
	}
	return readHeadRaw(r.Path(name), n)
}
