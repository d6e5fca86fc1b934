//go:build unix

package hostinfo

import (
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
)

// mkfifo makes a FIFO (a file that would block a naive reader).
func mkfifo(t *testing.T, path string) bool {
	require.NoError(t, syscall.Mkfifo(path, 0o644))
	return true
}
