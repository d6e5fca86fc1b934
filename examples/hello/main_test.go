package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/coldstart"
	"github.com/faasprobe/faasprobe/sandbox"
)

func lookupOf(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestEnvBool(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		env         map[string]string
		want        bool
		wantProblem bool
	}{
		{name: "unset", env: nil},
		{name: "empty", env: map[string]string{envMetadata: ""}},
		{name: "1", env: map[string]string{envMetadata: "1"}, want: true},
		{name: "true", env: map[string]string{envMetadata: "true"}, want: true},
		{name: "0", env: map[string]string{envMetadata: "0"}},
		{name: "garbage is off, with a problem", env: map[string]string{envMetadata: "yes-please"}, wantProblem: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, problems := envBool(lookupOf(tt.env), envMetadata)
			assert.Equal(t, tt.want, got)
			if !tt.wantProblem {
				assert.Empty(t, problems)
				return
			}
			require.Len(t, problems, 1)
			assert.Equal(t, envMetadata, problems[0].Source)
			assert.NotContains(t, problems[0].Error, "yes-please", "the value is not repeated")
		})
	}
}

// TestResponseShape: the invocation facts must stay at the top level next
// to sandbox_id (a MarshalJSON method on the embedded Invocation would
// silently swallow the sandbox fields).
func TestResponseShape(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(response{
		Invocation:     coldstart.Invocation{First: true, Cold: true, Reason: coldstart.ReasonOnDemand, Seq: 1},
		SandboxID:      "0123456789abcdef0123456789abcdef",
		SandboxIDScope: sandbox.ScopeSandbox,
		EventBytes:     2,
	})
	require.NoError(t, err)
	var got map[string]any
	require.NoError(t, json.Unmarshal(b, &got))
	assert.Equal(t, true, got["first"])
	assert.Equal(t, true, got["cold"])
	assert.Equal(t, "on-demand", got["reason"])
	assert.EqualValues(t, 1, got["seq"])
	assert.Equal(t, "0123456789abcdef0123456789abcdef", got["sandbox_id"])
	assert.Equal(t, "sandbox", got["sandbox_id_scope"])
	assert.EqualValues(t, 2, got["event_bytes"])
	assert.NotContains(t, got, "availability_zone_id", "omitted unless the metadata API answered")
}

// TestHandle calls the handler as coldstart.Wrap does and checks the
// response and the invocation line.
func TestHandle(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	a := &app{
		logger: slog.New(slog.NewJSONHandler(&buf, nil)),
		sb:     sandbox.Sandbox{ID: "sbx", IDScope: sandbox.ScopeProcess, AvailabilityZoneID: "use1-az1"},
	}
	tr := coldstart.New()
	h := coldstart.WrapWith(tr, a.handle)
	for seq := uint64(1); seq <= 2; seq++ {
		buf.Reset()
		resp, err := h(context.Background(), json.RawMessage(`{"k":"v"}`))
		require.NoError(t, err)
		assert.Equal(t, seq, resp.Seq)
		assert.Equal(t, seq == 1, resp.First)
		assert.Equal(t, "sbx", resp.SandboxID)
		assert.Equal(t, "use1-az1", resp.AvailabilityZoneID)
		assert.Equal(t, 9, resp.EventBytes)

		var line struct {
			Msg        string `json:"msg"`
			SandboxID  string `json:"sandbox_id"`
			Invocation struct {
				Seq uint64 `json:"seq"`
			} `json:"invocation"`
		}
		require.NoError(t, json.Unmarshal(buf.Bytes(), &line), buf.String())
		assert.Equal(t, msgInvocation, line.Msg)
		assert.Equal(t, "sbx", line.SandboxID)
		assert.Equal(t, seq, line.Invocation.Seq)
	}
}
