package record

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// NoteFile is the name of the note every recorded tree carries at its top.
const NoteFile = "RECORDED"

// ErrNotEmpty is returned (wrapped) by WriteDir for a directory that
// already holds something: a recording never overwrites.
var ErrNotEmpty = errors.New("directory is not empty")

// File is one entry of a recorded tree.
type File struct {
	// Path is below the tree's top, slash-separated ("proc/cpuinfo"); see
	// ValidPath.
	Path string
	// Data is the file's content (nil for a directory).
	Data []byte
	// Dir is true for a directory recorded for its existence alone
	// ("sys/class/dmi/id" with nothing readable in it).
	Dir bool
}

// Tree is a recorded machine: the files faasprobe reads, as they were.
type Tree struct {
	// Files are sorted by path, each path once. The note (NoteFile) is one
	// of them.
	Files []File
	// RecordedAt is when the tree was recorded (UTC, whole seconds).
	RecordedAt time.Time
	// Redacted names the environment variables whose values were redacted,
	// sorted. Names only: values never leave Collect.
	Redacted []string
	// Dropped counts the environment variables left out because no reader
	// consults them (their names are not kept either).
	Dropped int
	// Notes are what the recorder could not record, one line each (a
	// path it skipped, a file it could not read).
	Notes []string
}

// Lookup returns the file at p.
func (t Tree) Lookup(p string) (File, bool) {
	i, ok := slices.BinarySearchFunc(t.Files, p, func(f File, p string) int { return strings.Compare(f.Path, p) })
	if !ok {
		return File{}, false
	}
	return t.Files[i], true
}

// ValidPath reports why p cannot be a path in a recorded tree, or nil. A
// tree holds plain relative paths that check out on any OS: slash-separated
// segments, none empty, "." or "..", at most 255 bytes each and 4096 in all,
// valid UTF-8 without control characters, and none of `:\<>"|?*` (':' is
// banned from the project's trees; the rest are not allowed on Windows).
func ValidPath(p string) error {
	switch {
	case p == "":
		return errors.New("empty path")
	case len(p) > 4096:
		return fmt.Errorf("path of %d bytes: longer than 4096", len(p))
	case !utf8.ValidString(p):
		return fmt.Errorf("path %q: not UTF-8", p)
	case strings.HasPrefix(p, "/"):
		return fmt.Errorf("path %q: absolute", p)
	}
	for _, r := range p {
		if r < 0x20 || r == 0x7f || strings.ContainsRune(`:\<>"|?*`, r) {
			return fmt.Errorf("path %q: character %q not allowed", p, r)
		}
	}
	for seg := range strings.SplitSeq(p, "/") {
		switch {
		case seg == "" || seg == "." || seg == "..":
			return fmt.Errorf("path %q: segment %q not allowed", p, seg)
		case len(seg) > 255:
			return fmt.Errorf("path %q: segment longer than 255 bytes", p)
		}
	}
	return nil
}

// check verifies that every path is valid, sorted and unique, and that no
// file is also a directory of another.
func (t Tree) check() error {
	for i, f := range t.Files {
		if err := ValidPath(f.Path); err != nil {
			return fmt.Errorf("record: %w", err)
		}
		if f.Path == NoteFile && f.Dir {
			return fmt.Errorf("record: %s must be a file", NoteFile)
		}
		if i > 0 && t.Files[i-1].Path >= f.Path {
			return fmt.Errorf("record: paths out of order or repeated: %q, %q", t.Files[i-1].Path, f.Path)
		}
		for dir := path.Dir(f.Path); dir != "."; dir = path.Dir(dir) {
			if g, ok := t.Lookup(dir); ok && !g.Dir {
				return fmt.Errorf("record: %q is a file and the directory of %q", dir, f.Path)
			}
		}
	}
	return nil
}

// WriteDir writes the tree below dir: directories 0755, files 0644, nothing
// else. dir must be missing (it is created) or an empty directory;
// anything else is refused with an error wrapping ErrNotEmpty or naming
// what is wrong. Writes go through os.Root, so no path can leave dir. On a
// write error the files already written stay; the error names the path.
func (t Tree) WriteDir(dir string) error {
	if err := t.check(); err != nil {
		return err
	}
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("record: %w", err)
		}
	case err != nil:
		return fmt.Errorf("record: %w", err)
	case !st.IsDir():
		return fmt.Errorf("record: %s: not a directory", dir)
	default:
		ents, err := os.ReadDir(dir)
		if err != nil {
			return fmt.Errorf("record: %w", err)
		}
		if len(ents) > 0 {
			return fmt.Errorf("record: %s: %w (%d entries); refusing to overwrite", dir, ErrNotEmpty, len(ents))
		}
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return fmt.Errorf("record: %w", err)
	}
	defer root.Close()
	for _, f := range t.Files {
		if f.Dir {
			if err := mkdirs(root, f.Path); err != nil {
				return err
			}
			continue
		}
		if d := path.Dir(f.Path); d != "." {
			if err := mkdirs(root, d); err != nil {
				return err
			}
		}
		name := filepath.FromSlash(f.Path)
		if err := root.WriteFile(name, f.Data, 0o644); err != nil {
			return fmt.Errorf("record: %w", err)
		}
		if err := root.Chmod(name, 0o644); err != nil { // whatever the umask
			return fmt.Errorf("record: %w", err)
		}
	}
	return nil
}

// mkdirs creates p and its parents with mode 0755 whatever the umask.
func mkdirs(root *os.Root, p string) error {
	var missing []string
	for d := p; d != "."; d = path.Dir(d) {
		if _, err := root.Stat(filepath.FromSlash(d)); err == nil {
			break
		}
		missing = append(missing, d)
	}
	for _, d := range slices.Backward(missing) {
		d = filepath.FromSlash(d)
		if err := root.Mkdir(d, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("record: %w", err)
		}
		if err := root.Chmod(d, 0o755); err != nil {
			return fmt.Errorf("record: %w", err)
		}
	}
	return nil
}
