package sandbox

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/hostinfo"
)

func lambdaSandbox(t *testing.T) Sandbox {
	t.Helper()
	env := map[string]string{
		"AWS_LAMBDA_FUNCTION_NAME":        "exec",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
		"AWS_LAMBDA_LOG_STREAM_NAME":      "2022/02/24/[$LATEST]" + guid2022,
		// Credentials in the environment must not leak through anything.
		"AWS_SECRET_ACCESS_KEY":     "CANARY-secret-access-key",
		"AWS_SESSION_TOKEN":         "CANARY-session-token",
		"AWS_LAMBDA_METADATA_TOKEN": tokenCanary,
	}
	dir := writeTree(t, map[string]string{
		"proc/self/status": "Uid:\t993\t993\t993\t993\nGid:\t990\t990\t990\t990\n",
		"etc/passwd":       "sbx_user1051:x:993:990::/home/sbx_user1051:/sbin/nologin\n",
	})
	host := hostinfo.Host{Machine: hostinfo.Machine{Hypervisor: hostinfo.Hypervisor{Kind: hostinfo.HypervisorFirecracker}}}
	s, err := Detect(WithRoot(dir), WithEnv(mapEnv(env)), WithHost(host))
	require.NoError(t, err)
	return s
}

func TestLogValue(t *testing.T) {
	t.Parallel()
	s := lambdaSandbox(t)
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("startup", "sandbox", s)
	var line struct {
		Sandbox map[string]any `json:"sandbox"`
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &line))
	assert.Equal(t, guid2022, line.Sandbox["id"])
	assert.Equal(t, "sbx_user1051", line.Sandbox["user"])
	assert.Equal(t, float64(993), line.Sandbox["uid"])
	assert.Equal(t, string(IsolationMicroVM), line.Sandbox["isolation"])
	assert.Equal(t, map[string]any{"per_vm": float64(1), "confidence": "high"}, line.Sandbox["co_tenants"])
	out := allOutput(t, s, nil)
	for _, canary := range []string{"CANARY-secret-access-key", "CANARY-session-token", tokenCanary} {
		assert.NotContains(t, out, canary)
	}
}

func TestAttributes(t *testing.T) {
	t.Parallel()
	s := lambdaSandbox(t)
	got := map[string]slog.Value{}
	for _, a := range s.Attributes() {
		_, dup := got[a.Key]
		assert.False(t, dup, "duplicate key %s", a.Key)
		got[a.Key] = a.Value
	}
	assert.Equal(t, "2022/02/24/[$LATEST]"+guid2022, got["faas.instance"].String())
	assert.Equal(t, guid2022, got["faasprobe.sandbox.id"].String())
	assert.Equal(t, int64(993), got["faasprobe.sandbox.uid"].Int64())
	assert.Equal(t, int64(1), got["faasprobe.sandbox.co_tenants.per_vm"].Int64())
	assert.Equal(t, int64(128), got["faasprobe.sandbox.memory_limit_mb"].Int64())
	for k := range got {
		assert.True(t, k == "faas.instance" || len(k) > len("faasprobe.sandbox.") && k[:len("faasprobe.sandbox.")] == "faasprobe.sandbox.",
			"own attributes live under faasprobe.sandbox.*: %s", k)
	}
	// Without a log stream there is no faas.instance.
	var bare Sandbox
	for _, a := range bare.Attributes() {
		assert.NotEqual(t, "faas.instance", a.Key)
	}
}
