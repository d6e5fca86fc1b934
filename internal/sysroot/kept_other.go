//go:build !unix

package sysroot

import (
	"errors"
	"io"
	"os"
)

// openKept opens a live file read-only.
func openKept(path string) (*os.File, error) { return os.Open(path) }

// preadAt0 reads len(b) bytes at offset 0, or up to EOF.
func preadAt0(f *os.File, b []byte) (int, error) {
	n, err := f.ReadAt(b, 0)
	if errors.Is(err, io.EOF) {
		err = nil
	}
	return n, err
}
