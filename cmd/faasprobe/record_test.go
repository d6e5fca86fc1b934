package main

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/internal/sysroot"
)

func runRecordCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = runRecord(args, &out, &errb)
	return code, out.String(), errb.String()
}

// factsJSON runs `faasprobe [--root dir] --json` in this process, decoded.
func factsJSON(t *testing.T, dir string) map[string]any {
	t.Helper()
	args := []string{"--json"}
	if dir != "" {
		args = append(args, "--root", dir)
	}
	code, out, errOut := runCLI(t, args...)
	require.Equal(t, 0, code, errOut)
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	return doc
}

// varying are the fields that differ between `faasprobe --json` and
// `faasprobe --root DIR --json` on the same machine, with why. Everything
// else must be equal.
var varying = []struct {
	path string // dotted
	why  string
}{
	{"host.uptime_seconds", "/proc/uptime grows between the recording and the live read"},
	{"host.idle_seconds", "so does its idle time"},
	{"host.memory_free_bytes", "/proc/meminfo MemFree changes with every allocation on the machine"},
	{"host.memory_available_bytes", "and so does MemAvailable"},
	{"host.cpu.mhz", "cpuinfo's \"cpu MHz\" is the current clock, re-sampled on every read on hosts with frequency scaling"},
	{"sandbox.limits.num_cpu", "runtime.NumCPU(): a live-only fact (sandbox.WithRoot omits it); a tree cannot carry it"},
	{"sandbox.limits.tmp", "statfs(/tmp): a live-only fact, and its free space changes anyway"},
}

func deletePath(doc map[string]any, dotted string) {
	keys := strings.Split(dotted, ".")
	m := doc
	for _, k := range keys[:len(keys)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			return
		}
		m = next
	}
	delete(m, keys[len(keys)-1])
}

// TestRecordRoundTrip is the round trip: on this machine, faasprobe
// reads the same facts from its recording as from the machine itself,
// except the fields listed in varying.
func TestRecordRoundTrip(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the live tree is Linux's")
	}
	dir := filepath.Join(t.TempDir(), "this-machine")
	code, out, errOut := runRecordCLI(t, dir)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "faasprobe record: wrote ")
	assert.Equal(t, 1, strings.Count(out, "\n"), "one summary line")

	live, recorded := factsJSON(t, ""), factsJSON(t, dir)
	for _, v := range varying {
		deletePath(live, v.path)
		deletePath(recorded, v.path)
	}
	assert.Equal(t, live, recorded)
	_, hasSandbox := live["sandbox"]
	assert.True(t, hasSandbox, "the sandbox part is compared too")

	// The tree holds plain files and directories only.
	require.NoError(t, filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		require.NoError(t, err)
		assert.True(t, d.IsDir() || d.Type().IsRegular(), "%s: %v", p, d.Type())
		assert.NotContains(t, filepath.Base(p), ":")
		return nil
	}))
}

// TestRecordRerecordsATree: --root SRC copies a committed scenario; the copy
// reads exactly as the original (same process, nothing live involved).
func TestRecordRerecordsATree(t *testing.T) {
	t.Parallel()
	src := filepath.Join("..", "..", "testdata", "scenarios", "lambda-firecracker-2020-x86-36608")
	dir := filepath.Join(t.TempDir(), "copy")
	code, out, errOut := runRecordCLI(t, "--root", src, dir)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "redacted ")
	assert.Equal(t, factsJSON(t, src), factsJSON(t, dir))

	// Flags after DIR work too.
	dir2 := filepath.Join(t.TempDir(), "copy2")
	code, _, errOut = runRecordCLI(t, dir2, "--root", src)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, factsJSON(t, dir), factsJSON(t, dir2))
}

// TestRecordRedactsCanaries: fake credentials in the environment reach no
// file of the recording and no output; harmless variables are kept verbatim.
func TestRecordRedactsCanaries(t *testing.T) {
	canaries := map[string]string{
		"AWS_ACCESS_KEY_ID":                        "AKIACANARYCLI0123456789",
		"AWS_SECRET_ACCESS_KEY":                    "canaryCliSecret/0123456789+abcdefghijKLMNOP",
		"AWS_SESSION_TOKEN":                        "IQoJcanaryCliSessionToken0123456789abcdefABCDEF",
		"AWS_LAMBDA_METADATA_TOKEN":                "1d7e3c9a-canary-cli-metadata-0b4a1d2e",
		"WEBSITE_CONTENTAZUREFILECONNECTIONSTRING": "DefaultEndpointsProtocol=https;AccountName=canarycli;AccountKey=Q2FuYXJ5Q2xpS2V5MDEyMzQ1Njc4OQ==",
		"MY_API_KEY":                               "canaryCliApiKey0123456789ABCDEFxyz",
	}
	const password = "canaryCliPassw0rd"
	for k, v := range canaries {
		t.Setenv(k, v)
	}
	t.Setenv("DATABASE_URL", "postgres://app:"+password+"@db.internal:5432/app")
	t.Setenv("FAASPROBE_CANARY_PLAIN", "kept as it is")
	t.Setenv("AWS_REGION", "eu-north-1")

	dir := filepath.Join(t.TempDir(), "rec")
	code, out, errOut := runRecordCLI(t, dir)
	require.Equal(t, 0, code, errOut)
	_, factsOut, factsErr := runCLI(t, "--root", dir, "--json")
	_, summaryOut, _ := runCLI(t, "--root", dir)

	texts := map[string]string{"record stdout": out, "record stderr": errOut,
		"--root --json": factsOut + factsErr, "--root summary": summaryOut}
	require.NoError(t, filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		require.NoError(t, err)
		if !d.IsDir() {
			b, err := os.ReadFile(p)
			require.NoError(t, err)
			texts[p] = string(b)
		}
		return nil
	}))
	secrets := map[string]string{"DATABASE_URL password": password}
	for k, v := range canaries {
		secrets[k] = v
	}
	for name, secret := range secrets {
		for where, text := range texts {
			assert.NotContains(t, text, secret, "%s leaked into %s", name, where)
		}
	}

	// The recorded env is an allow-list: only what the readers consult,
	// credentials among it redacted; the rest is dropped, name and value.
	r, err := sysroot.Recorded(dir)
	require.NoError(t, err)
	assert.Equal(t, "eu-north-1", r.Getenv("AWS_REGION"))
	assert.Equal(t, "<REDACTED>", r.Getenv("AWS_LAMBDA_METADATA_TOKEN"))
	assert.Contains(t, out, "redacted 1 variables: AWS_LAMBDA_METADATA_TOKEN;")
	for _, k := range []string{"FAASPROBE_CANARY_PLAIN", "DATABASE_URL", "AWS_ACCESS_KEY_ID", "MY_API_KEY"} {
		_, ok := r.LookupEnv(k)
		assert.False(t, ok, "%s is not consulted: dropped", k)
		assert.NotContains(t, texts[filepath.Join(dir, "env")], k)
		assert.NotContains(t, out, k, "dropped names are not printed")
	}
	assert.Contains(t, out, "dropped ")
}

func TestRecordUsage(t *testing.T) {
	t.Parallel()
	full := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(full, "mine.txt"), []byte("keep me"), 0o644))
	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, []byte("x"), 0o644))
	tests := []struct {
		name string
		args []string
		want string // in stderr
	}{
		{"no DIR", nil, "want one DIR"},
		{"two DIRs", []string{filepath.Join(full, "a"), filepath.Join(full, "b")}, "want one DIR"},
		{"unknown flag", []string{"--nope", filepath.Join(full, "a")}, "flag provided but not defined"},
		{"--root without a value", []string{filepath.Join(full, "a"), "--root"}, "flag needs an argument"},
		{"--root missing", []string{"--root", filepath.Join(full, "missing"), filepath.Join(t.TempDir(), "out")}, "not a readable directory"},
		{"DIR not empty", []string{full}, "refusing to overwrite"},
		{"DIR is a file", []string{file}, "not a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runRecordCLI(t, tt.args...)
			assert.Equal(t, 2, code)
			assert.Empty(t, out)
			assert.Contains(t, errOut, tt.want)
		})
	}
	ents, err := os.ReadDir(full)
	require.NoError(t, err)
	assert.Len(t, ents, 1, "a refused DIR is left alone")
	b, _ := os.ReadFile(file)
	assert.Equal(t, "x", string(b))

	code, out, _ := runRecordCLI(t, "--help")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "faasprobe record [--root SRC] DIR")
}

// TestRecordWarningsEscapeTreeNames: re-recording a tree whose file name
// holds an escape sequence warns with the name spelled out, not acted on.
func TestRecordWarningsEscapeTreeNames(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("file names with control characters")
	}
	src := t.TempDir()
	const name = "eth\x1b]0;pwned\x07\x1b[2J"
	// A directory where the uevent file belongs: it cannot be read.
	require.NoError(t, os.MkdirAll(filepath.Join(src, "sys", "class", "net", name, "device", "uevent"), 0o755))
	code, out, errOut := runRecordCLI(t, "--root", src, filepath.Join(t.TempDir(), "copy"))
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, `sys/class/net/eth\x1b]0;pwned\x07\x1b[2J/device/uevent`)
	for _, s := range []string{out, errOut} {
		assert.NotContains(t, s, "\x1b")
		assert.NotContains(t, s, "\x07")
	}
}
