package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/examples/internal/fleetgen"
	"github.com/faasprobe/faasprobe/internal/fleet"
)

func TestRun(t *testing.T) {
	t.Parallel()
	var out, errb bytes.Buffer
	require.Equal(t, 0, run([]string{"-sandboxes", "5", "-per-vm", "5", "-format", "events", "-reports", "json"}, &out, &errb), errb.String())
	var truth fleetgen.Truth
	require.NoError(t, json.Unmarshal(errb.Bytes(), &truth))
	assert.Equal(t, 5, truth.Sandboxes)
	assert.True(t, json.Valid(out.Bytes()), "one filter-log-events document")

	a := fleet.New()
	require.NoError(t, a.Read("gen", &out, 0))
	res := a.Result()
	assert.Equal(t, truth.Sandboxes, res.Totals.Sandboxes)
	assert.Equal(t, truth.Invocations, res.Cold.Invocations)
	assert.Equal(t, truth.VMs, res.Totals.VMs)
}

func TestRunBadFlags(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"-format", "xml"}, {"-reports", "some"}, {"-preset", "2m"}, {"-nope"}} {
		var out, errb bytes.Buffer
		assert.Equal(t, 2, run(args, &out, &errb), strings.Join(args, " "))
		assert.Empty(t, out.String())
	}
	var out, errb bytes.Buffer
	assert.Equal(t, 1, run([]string{"-proactive", "0.9", "-before", "0.5"}, &out, &errb))
	assert.Contains(t, errb.String(), "within [0, 1]")
}
