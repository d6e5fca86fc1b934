package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/hostinfo"
	"github.com/faasprobe/faasprobe/internal/rietest"
	"github.com/faasprobe/faasprobe/internal/sysroot"
	"github.com/faasprobe/faasprobe/sandbox"
)

// End-to-end: examples/recorder built as `bootstrap` (-tags lambda.norpc),
// run under the real AWS Lambda Runtime Interface Emulator with canary
// credentials in its environment; the tarball it answers is unpacked and
// read back as `faasprobe --root` reads it. Fails (not skips) in CI when the
// emulator is missing; install: .ci/install-rie.sh.

const recorderPkg = "github.com/faasprobe/faasprobe/examples/recorder"

func canary(prefix string) string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return prefix + strings.ToUpper(hex.EncodeToString(b[:]))
}

func TestRecorderE2E(t *testing.T) {
	t.Parallel()
	rie := rietest.Require(t) // before building: skip (or fail in CI) at once
	bootstrap := rietest.Build(t, recorderPkg)

	password := canary("canaryPw")
	secrets := map[string]string{
		"AWS_ACCESS_KEY_ID":     canary("AKIACANARY"),
		"AWS_SECRET_ACCESS_KEY": canary("canary/secret+"),
		"AWS_SESSION_TOKEN":     canary("IQoJcanarySession"),
		// RIE replaces this one with its own token (read back below).
		"AWS_LAMBDA_METADATA_TOKEN":                canary("canary-metadata-"),
		"WEBSITE_CONTENTAZUREFILECONNECTIONSTRING": "DefaultEndpointsProtocol=https;AccountName=canary;AccountKey=" + canary("Q2Fu") + "==",
		"MY_API_KEY": canary("canaryApiKey"),
	}
	env := map[string]string{
		"AWS_LAMBDA_FUNCTION_NAME":   "faasprobe-recorder-e2e",
		"AWS_REGION":                 "eu-west-3",
		"AWS_LAMBDA_LOG_STREAM_NAME": "2026/11/25/[$LATEST]0123456789abcdef0123456789abcdef",
		"DATABASE_URL":               "postgres://app:" + password + "@db.internal:5432/app",
		"FAASPROBE_PLAIN":            "kept verbatim",
	}
	for k, v := range secrets {
		env[k] = v
	}

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	emu := rietest.Start(t, rietest.Config{RIE: rie, Bootstrap: bootstrap, Env: env, FunctionTimeout: 20 * time.Second})
	inv, err := emu.Invoke(ctx, []byte(`{}`))
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, inv.Status, "%s", inv.Body)
	runtimeEnv, err := emu.RuntimeEnv()
	require.NoError(t, err)
	require.NotEmpty(t, runtimeEnv["AWS_LAMBDA_METADATA_TOKEN"])
	secrets["AWS_LAMBDA_METADATA_TOKEN (RIE's)"] = runtimeEnv["AWS_LAMBDA_METADATA_TOKEN"]
	secrets["DATABASE_URL password"] = password

	var resp response
	require.NoError(t, json.Unmarshal(inv.Body, &resp), "%s", inv.Body)
	recordedAt, err := time.Parse(time.RFC3339, resp.RecordedAt)
	require.NoError(t, err)
	assert.WithinDuration(t, time.Now(), recordedAt, time.Minute)
	// Only consulted variables are kept (the metadata token, redacted);
	// the other credentials are dropped, so they are not even named.
	assert.Equal(t, []string{"AWS_LAMBDA_METADATA_TOKEN"}, resp.Redacted)

	raw, err := base64.StdEncoding.DecodeString(resp.TarGzBase64)
	require.NoError(t, err)
	// Every byte of the archive, uncompressed, and every output is free of
	// the canaries.
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	require.NoError(t, err)
	plain, err := io.ReadAll(zr)
	require.NoError(t, err)
	texts := map[string]string{"response": string(inv.Body), "tar": string(plain), "emulator output": emu.Output()}
	for name, secret := range secrets {
		for where, text := range texts {
			assert.NotContains(t, text, secret, "%s leaked into %s", name, where)
		}
	}
	// Plain files and directories only.
	tr := tar.NewReader(bytes.NewReader(plain))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		assert.Contains(t, []byte{tar.TypeReg, tar.TypeDir}, h.Typeflag, h.Name)
	}

	tree, dir := unpack(t, resp)
	assert.Equal(t, recordedAt, tree.RecordedAt)
	var paths []string
	for _, f := range tree.Files {
		paths = append(paths, f.Path)
	}
	assert.Equal(t, resp.Files, paths)
	for _, p := range []string{"RECORDED", "env", "proc/cpuinfo", "proc/self/status", "proc/self/cgroup"} {
		assert.Contains(t, paths, p)
	}

	// `faasprobe --root DIR` over the recording.
	r, err := sysroot.Recorded(dir)
	require.NoError(t, err)
	assert.Equal(t, "<REDACTED>", r.Getenv("AWS_LAMBDA_METADATA_TOKEN"))
	assert.Equal(t, "faasprobe-recorder-e2e", r.Getenv("AWS_LAMBDA_FUNCTION_NAME"))
	for _, k := range []string{"FAASPROBE_PLAIN", "DATABASE_URL", "AWS_SESSION_TOKEN"} {
		_, ok := r.LookupEnv(k)
		assert.False(t, ok, "%s is not consulted: dropped", k)
	}

	h, err := hostinfo.Detect(hostinfo.WithRoot(dir))
	if err != nil {
		t.Logf("host problems: %v", err)
	}
	assert.Equal(t, "aws", h.Platform.Provider)
	assert.Equal(t, "lambda", h.Platform.Service)
	assert.Equal(t, "eu-west-3", h.Platform.Region)
	assert.Equal(t, "faasprobe-recorder-e2e", h.Platform.FunctionName)
	assert.Equal(t, 3008, h.Platform.MemoryLimitMB, "RIE's default memory size, from the recorded env")
	assert.Positive(t, h.Machine.CPU.Count)
	assert.NotEmpty(t, h.Machine.Kernel.Release)
	if runtime.GOOS == "linux" {
		live, _ := hostinfo.Detect()
		assert.Equal(t, live.Machine.BootID, h.Machine.BootID, "the emulator's sandbox is this machine")
		assert.Equal(t, live.Machine.Hypervisor.Kind, h.Machine.Hypervisor.Kind)
	}
	s, err := sandbox.Detect(sandbox.WithRoot(dir), sandbox.WithHost(h))
	if err != nil {
		t.Logf("sandbox problems: %v", err)
	}
	assert.Equal(t, "0123456789abcdef0123456789abcdef", s.ID, "the log stream's GUID")
	assert.Equal(t, "sandbox", s.IDScope)
	assert.GreaterOrEqual(t, s.UID, 0)
	assert.Equal(t, 3008, s.Limits.MemoryLimitMB)
}
