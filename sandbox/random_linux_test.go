//go:build linux

package sandbox

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGetrandom: the system call fills the whole buffer, and two reads
// differ (a stuck or unfilled buffer would not).
func TestGetrandom(t *testing.T) {
	t.Parallel()
	if sysGetrandom() == 0 {
		t.Skip("no getrandom number for this GOARCH: crypto/rand serves")
	}
	for _, n := range []int{1, 16, 300} {
		a, b := make([]byte, n), make([]byte, n)
		require.True(t, getrandom(a), "getrandom(%d)", n)
		require.True(t, getrandom(b), "getrandom(%d)", n)
		if n >= 16 {
			assert.False(t, bytes.Equal(a, b), "two %d-byte reads are equal", n)
			assert.NotEqual(t, make([]byte, n), a, "all zero: nothing was written")
		}
	}
	assert.True(t, getrandom(nil), "nothing to fill is not a failure")
	assert.Regexp(t, `^[0-9a-f]{32}$`, processID())
}
