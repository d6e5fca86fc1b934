// Package jsontest holds the JSON property the fuzz targets require of every
// result type the project prints: it marshals, and the document reads back
// into the same type and marshals to the same document.
package jsontest

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// RoundTrip requires that v marshals and that its JSON reads back into a
// value of the same type that marshals to the same document.
func RoundTrip[T any](t testing.TB, v T) {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var back T
	require.NoError(t, json.Unmarshal(b, &back), "%s", b)
	b2, err := json.Marshal(back)
	require.NoError(t, err)
	assert.JSONEq(t, string(b), string(b2))
}
