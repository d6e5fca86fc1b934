package main

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/internal/fleet"
	"github.com/faasprobe/faasprobe/internal/rietest"
	"github.com/faasprobe/faasprobe/internal/schema"
)

// TestHelloFleetE2E: the README program's own stdout under the emulator
// follows docs/schema.md line by line and, read by the fleet analyser, is
// one sandbox, three invocations and one cold start — the path from import
// to fleet insight, with nothing in between.
func TestHelloFleetE2E(t *testing.T) {
	t.Parallel()
	rietest.Require(t)
	bootstrap := rietest.Build(t, helloPkg)
	const guid = "3b9e0c7d1f2a4b6c8d0e2f4a6b8c0d1e"
	r := runHello(t, bootstrap, map[string]string{
		"AWS_LAMBDA_FUNCTION_NAME":   "hello",
		"AWS_LAMBDA_LOG_STREAM_NAME": "2026/12/05/[$LATEST]" + guid,
	}, 3)

	page, err := os.ReadFile("../../docs/schema.md")
	require.NoError(t, err)
	shape, err := schema.Parse(page)
	require.NoError(t, err)
	var out strings.Builder
	ours := 0
	for _, l := range r.emu.Lines() {
		if l.Stream != rietest.Stdout {
			continue
		}
		out.WriteString(l.Text + "\n")
		if strings.Contains(l.Text, `"message":"faasprobe.`) {
			ours++
			assert.Empty(t, shape.ValidateLine([]byte(l.Text)), "the line follows docs/schema.md: %s", l.Text)
		}
	}
	assert.Equal(t, 4, ours, "a startup line and three invocation lines")
	a := fleet.New()
	require.NoError(t, a.Read("hello", strings.NewReader(out.String()), 0))
	res := a.Result()

	assert.Equal(t, 1, res.Totals.Sandboxes)
	assert.Equal(t, 1, res.Totals.WithStartup)
	assert.Equal(t, 1, res.Totals.VMs)
	assert.Equal(t, 1, res.Totals.Functions)
	assert.Equal(t, int64(3), res.Cold.Invocations)
	assert.Equal(t, int64(1), res.Cold.Cold)
	assert.Equal(t, int64(1), res.Cold.FirstInvocations)
	assert.Zero(t, res.Cold.Pings)
	assert.Zero(t, res.Cold.PingsCold)
	assert.Zero(t, res.Cold.MissingInvocations)
	assert.Equal(t, int64(3), res.Reports.Count)
	assert.Equal(t, int64(1), res.Reports.WithInit)
	assert.Zero(t, res.Kinds["incomplete"]+res.Kinds["json_truncated"]+res.Kinds["json_malformed"])
	require.Len(t, res.Functions, 1)
	assert.Equal(t, "hello", res.Functions[0].Name)
	rows, omitted := a.Rows(-1)
	require.Len(t, rows, 1)
	assert.Zero(t, omitted)
	assert.Equal(t, guid, rows[0].Sandbox)
	assert.True(t, rows[0].Cold)
	assert.Equal(t, 3, rows[0].Invocations)
}
