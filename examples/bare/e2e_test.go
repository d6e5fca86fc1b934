package main

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/internal/rietest"
)

// TestBareE2E runs the baseline under the real emulator: the sanity check
// of the harness that the cold-start comparison relies on.
func TestBareE2E(t *testing.T) {
	t.Parallel()
	rie := rietest.Require(t) // before building: skip (or fail in CI) at once
	bootstrap := rietest.Build(t, "github.com/faasprobe/faasprobe/examples/bare")
	// The deadline starts after the build: a cold build cache is slow.
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	defer cancel()
	secret := "canary-secret-bare-e2e-7d1f0c"
	emu := rietest.Start(t, rietest.Config{
		RIE:       rie,
		Bootstrap: bootstrap,
		Env:       map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "bare", "AWS_SECRET_ACCESS_KEY": secret},
	})
	events := []string{`{}`, `{"a":1}`, `[1,2,3]`}
	for i, ev := range events {
		inv, err := emu.Invoke(ctx, []byte(ev))
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, inv.Status, "body: %s", inv.Body)
		var resp response
		require.NoError(t, json.Unmarshal(inv.Body, &resp))
		assert.Equal(t, response{Message: "hello", EventBytes: len(ev)}, resp)
		require.True(t, inv.HasReport)
		assert.Equal(t, i == 0, inv.Report.HasInit, "only the first invocation runs the init")
		if i == 0 {
			assert.Positive(t, inv.InitDuration)
			t.Logf("bare init %v (RIE INIT REPORT)", inv.InitDuration)
		} else {
			assert.Zero(t, inv.InitDuration)
		}
	}
	env, err := emu.RuntimeEnv()
	require.NoError(t, err)
	assert.Equal(t, secret, env["AWS_SECRET_ACCESS_KEY"], "the canary reached the function")
	require.NoError(t, emu.Stop())
	assert.NotContains(t, emu.Output(), secret)
}

func TestHandler(t *testing.T) {
	t.Parallel()
	got, err := handler(context.Background(), json.RawMessage(`{"x":true}`))
	require.NoError(t, err)
	assert.Equal(t, response{Message: "hello", EventBytes: 10}, got)
}
