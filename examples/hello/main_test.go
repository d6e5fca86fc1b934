package main

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/coldstart"
)

// TestHandle: the handler answers with the invocation facts the wrapper put
// in the context.
func TestHandle(t *testing.T) {
	t.Parallel()
	tr := coldstart.New(coldstart.WithRoot(t.TempDir()))
	h := coldstart.WrapWith(tr, handle)
	for seq := uint64(1); seq <= 2; seq++ {
		inv, err := h(context.Background(), Order{ID: "o-1"})
		require.NoError(t, err)
		assert.Equal(t, seq, inv.Seq)
		assert.Equal(t, seq == 1, inv.First)
	}
}
