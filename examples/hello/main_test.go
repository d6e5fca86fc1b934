package main

import (
	"context"
	"os"
	"strings"
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

// TestREADMEProgram: the README's first Go block is this program, byte for
// byte, and at most ~20 lines.
func TestREADMEProgram(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	main, err := os.ReadFile("main.go")
	require.NoError(t, err)
	_, block, ok := strings.Cut(string(readme), "```go\n")
	require.True(t, ok, "the README has a Go block")
	block, _, ok = strings.Cut(block, "```")
	require.True(t, ok)
	assert.Equal(t, string(main), block)
	assert.LessOrEqual(t, strings.Count(block, "\n"), 22)
}
