package record

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/faasprobe/faasprobe/internal/sysroot"
)

// Bounds of ReadTarGz: a recorded tree is a few dozen small files.
const (
	maxTarFiles = 10000
	maxTarBytes = 64 << 20 // all files together, uncompressed
)

// WriteTarGz writes the tree as a gzip-compressed tar archive: a directory
// entry (0755) for every directory, then the files (0644), in path order,
// all owned by 0:0 and dated RecordedAt. The same tree gives the same bytes.
func (t Tree) WriteTarGz(w io.Writer) error {
	if err := t.check(); err != nil {
		return err
	}
	mtime := t.RecordedAt.UTC().Truncate(time.Second)
	if t.RecordedAt.IsZero() {
		mtime = time.Unix(0, 0).UTC()
	}
	zw := gzip.NewWriter(w)
	tw := tar.NewWriter(zw)
	written := map[string]bool{}
	dir := func(p string) error {
		if written[p] {
			return nil
		}
		written[p] = true
		return tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: p + "/", Mode: 0o755, ModTime: mtime, Format: tar.FormatPAX})
	}
	for _, f := range t.Files {
		var parents []string
		for d := path.Dir(f.Path); d != "."; d = path.Dir(d) {
			parents = append(parents, d)
		}
		for _, d := range slices.Backward(parents) {
			if err := dir(d); err != nil {
				return fmt.Errorf("record: tar: %w", err)
			}
		}
		if f.Dir {
			if err := dir(f.Path); err != nil {
				return fmt.Errorf("record: tar: %w", err)
			}
			continue
		}
		hdr := &tar.Header{Typeflag: tar.TypeReg, Name: f.Path, Mode: 0o644, Size: int64(len(f.Data)), ModTime: mtime, Format: tar.FormatPAX}
		if err := tw.WriteHeader(hdr); err != nil {
			return fmt.Errorf("record: tar %s: %w", f.Path, err)
		}
		if _, err := tw.Write(f.Data); err != nil {
			return fmt.Errorf("record: tar %s: %w", f.Path, err)
		}
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("record: tar: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("record: gzip: %w", err)
	}
	return nil
}

// ReadTarGz reads a tree written by WriteTarGz (or by hand: any gzip'd tar
// of directories and regular files, names optionally starting with "./").
// It refuses links, devices, invalid or repeated paths, a file over
// sysroot.MaxFileSize, more than 10000 entries or 64 MiB in all.
// Directories that hold a file are implied and not kept as entries.
// RecordedAt comes from the note (NoteFile) when it has a recorded_at line.
func ReadTarGz(r io.Reader) (Tree, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return Tree{}, fmt.Errorf("record: gzip: %w", err)
	}
	defer zr.Close()
	tr := tar.NewReader(zr)
	var t Tree
	dirs := map[string]bool{}
	total, n := 0, 0
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Tree{}, fmt.Errorf("record: tar: %w", err)
		}
		if n++; n > maxTarFiles {
			return Tree{}, fmt.Errorf("record: tar: more than %d entries", maxTarFiles)
		}
		name := strings.TrimSuffix(strings.TrimPrefix(hdr.Name, "./"), "/")
		if name == "." || name == "" && hdr.Typeflag == tar.TypeDir {
			continue // the top itself
		}
		if err := ValidPath(name); err != nil {
			return Tree{}, fmt.Errorf("record: tar: %w", err)
		}
		switch hdr.Typeflag {
		case tar.TypeDir:
			dirs[name] = true
		case tar.TypeReg:
			if hdr.Size < 0 || hdr.Size > sysroot.MaxFileSize {
				return Tree{}, fmt.Errorf("record: tar: %s: %d bytes: %w", name, hdr.Size, sysroot.ErrTooLarge)
			}
			if total += int(hdr.Size); total > maxTarBytes {
				return Tree{}, fmt.Errorf("record: tar: more than %d bytes in all", maxTarBytes)
			}
			data := make([]byte, hdr.Size)
			if _, err := io.ReadFull(tr, data); err != nil {
				return Tree{}, fmt.Errorf("record: tar: %s: %w", name, err)
			}
			t.Files = append(t.Files, File{Path: name, Data: data})
		default:
			return Tree{}, fmt.Errorf("record: tar: %s: type %q not allowed (plain files and directories only)", name, hdr.Typeflag)
		}
	}
	// Keep only the directories with nothing below them.
	parents := map[string]bool{}
	addParents := func(p string) {
		for d := path.Dir(p); d != "." && !parents[d]; d = path.Dir(d) {
			parents[d] = true
		}
	}
	for _, f := range t.Files {
		addParents(f.Path)
	}
	for d := range dirs {
		addParents(d)
	}
	for d := range dirs {
		if !parents[d] {
			t.Files = append(t.Files, File{Path: d, Dir: true})
		}
	}
	slices.SortFunc(t.Files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	if err := t.check(); err != nil {
		return Tree{}, err
	}
	if f, ok := t.Lookup(NoteFile); ok {
		t.RecordedAt = parseNoteTime(f.Data)
	}
	return t, nil
}
