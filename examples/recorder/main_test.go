package main

import (
	"bytes"
	"encoding/base64"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/hostinfo"
	"github.com/faasprobe/faasprobe/internal/record"
	"github.com/faasprobe/faasprobe/internal/sysroot"
)

// unpack decodes a response's tarball into a tree and a directory.
func unpack(t *testing.T, resp response) (record.Tree, string) {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(resp.TarGzBase64)
	require.NoError(t, err)
	tree, err := record.ReadTarGz(bytes.NewReader(raw))
	require.NoError(t, err)
	dir := filepath.Join(t.TempDir(), "tree")
	require.NoError(t, tree.WriteDir(dir))
	return tree, dir
}

// TestRecordSandbox runs the handler's work in this process over a
// committed scenario (deterministic) and over this machine (invariants).
func TestRecordSandbox(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 25, 17, 38, 12, 0, time.UTC)
	src, err := sysroot.Recorded(filepath.Join("..", "..", "testdata", "scenarios", "lambda-firecracker-2022-x86"))
	require.NoError(t, err)
	resp, err := recordSandbox(src, record.WithClock(func() time.Time { return at }))
	require.NoError(t, err)
	assert.Equal(t, "2026-11-25T17:38:12Z", resp.RecordedAt)
	assert.Empty(t, resp.Redacted, "the scenario's credentials are not consulted: dropped, not redacted")
	assert.Empty(t, resp.NotRecorded)
	tree, dir := unpack(t, resp)
	var paths []string
	for _, f := range tree.Files {
		paths = append(paths, f.Path)
	}
	assert.Equal(t, resp.Files, paths)
	assert.Equal(t, at, tree.RecordedAt)
	h, err := hostinfo.Detect(hostinfo.WithRoot(dir))
	require.NoError(t, err)
	assert.Equal(t, "aws", h.Platform.Provider)
	assert.Equal(t, "lambda", h.Platform.Service)
	assert.Equal(t, "us-west-1", h.Platform.Region)

	if runtime.GOOS != "linux" {
		return
	}
	resp, err = recordSandbox(sysroot.Live(), record.WithEnviron([]string{"AWS_SESSION_TOKEN=IQoJcanaryUnit0123456789abcdefABCDEF", "AWS_LAMBDA_METADATA_TOKEN=IQoJcanaryUnit0123456789abcdefABCDEF"}))
	require.NoError(t, err)
	assert.Contains(t, resp.Files, "proc/cpuinfo")
	assert.Equal(t, []string{"AWS_LAMBDA_METADATA_TOKEN"}, resp.Redacted)
	_, dir = unpack(t, resp)
	r, err := sysroot.Recorded(dir)
	require.NoError(t, err)
	assert.Equal(t, "<REDACTED>", r.Getenv("AWS_LAMBDA_METADATA_TOKEN"))
	_, ok := r.LookupEnv("AWS_SESSION_TOKEN")
	assert.False(t, ok, "not consulted by any reader: dropped")
}
