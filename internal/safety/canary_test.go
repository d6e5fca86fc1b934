package safety

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Secret canaries: fake credentials, unique per run, put in the
// environment (and in recorded trees' env files) of every command and
// example; none may appear in anything they print, write or answer.

// canaryVars are the credential-bearing variables set, with a prefix that
// makes each value look like the real thing.
var canaryVars = []struct{ name, prefix string }{
	{"AWS_ACCESS_KEY_ID", "AKIA"},
	{"AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/"},
	{"AWS_SESSION_TOKEN", "IQoJb3JpZ2luX2VjE"},
	{"AWS_LAMBDA_METADATA_TOKEN", "mdtoken-"},
	{"AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer-"},
	{"AZURE_STORAGE_CONNECTION_STRING", "DefaultEndpointsProtocol=https;AccountName=fp;AccountKey="},
	{"AzureWebJobsStorage", "DefaultEndpointsProtocol=https;AccountName=fpjobs;AccountKey="},
	{"WEBSITE_AUTH_ENCRYPTION_KEY", "authkey-"},
	{"CONTAINER_ENCRYPTION_KEY", "enckey-"},
	{"MSI_SECRET", "msi-"},
	{"DB_PASSWORD", "pw-"},
	{"POSTGRES_PASSWORD", "pgpw-"},
	{"GITHUB_TOKEN", "ghp_"},
	{"API_KEY", "apikey-"},
}

// canaries maps a variable to its canary value; tokens maps a variable to
// the unique part of the value (what is searched, so that a leak of a
// redacted-looking prefix does not count and a partial leak of the unique
// part does).
type canaries struct {
	values map[string]string
	tokens map[string]string
}

func newCanaries(t testing.TB) canaries {
	t.Helper()
	c := canaries{values: map[string]string{}, tokens: map[string]string{}}
	for _, v := range canaryVars {
		var b [10]byte
		_, err := rand.Read(b[:])
		require.NoError(t, err)
		tok := "CNRY" + strings.ToUpper(hex.EncodeToString(b[:]))
		c.values[v.name] = v.prefix + tok
		c.tokens[v.name] = tok
	}
	return c
}

// env returns the canaries as KEY=VALUE lines.
func (c canaries) env() []string {
	var out []string
	for _, k := range slices.Sorted(mapKeys(c.values)) {
		out = append(out, k+"="+c.values[k])
	}
	return out
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// leaks returns the variables whose canary (unique part) occurs in data,
// searched as is, inside base64 blobs (decoded; gzip inside them
// un-gzipped, and tar inside that walked) and inside JSON strings
// (unescaped).
func (c canaries) leaks(data []byte) []string {
	var found []string
	for _, blob := range expand(data, 0) {
		for name, tok := range c.tokens {
			if bytes.Contains(blob, []byte(tok)) && !slices.Contains(found, name) {
				found = append(found, name)
			}
		}
	}
	slices.Sort(found)
	return found
}

// b64run finds long base64 runs (standard or URL alphabet).
var b64run = regexp.MustCompile(`[A-Za-z0-9+/_-]{32,}={0,2}`)

// expand returns data plus every decoding of what it holds: base64 runs,
// gzip streams, tar members, JSON string escapes — to a small depth.
func expand(data []byte, depth int) [][]byte {
	out := [][]byte{data}
	if depth > 3 {
		return out
	}
	if len(data) > 2 && data[0] == 0x1f && data[1] == 0x8b {
		if zr, err := gzip.NewReader(bytes.NewReader(data)); err == nil {
			if b, err := io.ReadAll(io.LimitReader(zr, 64<<20)); err == nil || len(b) > 0 {
				out = append(out, expand(b, depth+1)...)
			}
		}
	}
	if tr := tar.NewReader(bytes.NewReader(data)); len(data) >= 512 {
		for {
			h, err := tr.Next()
			if err != nil {
				break
			}
			out = append(out, []byte(h.Name))
			if b, err := io.ReadAll(io.LimitReader(tr, 16<<20)); err == nil {
				out = append(out, expand(b, depth+1)...)
			}
		}
	}
	var v any
	if json.Unmarshal(data, &v) == nil {
		var sb strings.Builder
		walkJSON(v, &sb)
		if s := sb.String(); s != "" {
			out = append(out, []byte(s))
		}
	}
	for _, m := range b64run.FindAll(data, -1) {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
			if b, err := enc.DecodeString(string(m)); err == nil {
				out = append(out, expand(b, depth+1)...)
				break
			}
		}
	}
	return out
}

// walkJSON writes every string (keys and values) of a decoded JSON value.
func walkJSON(v any, sb *strings.Builder) {
	switch v := v.(type) {
	case string:
		sb.WriteString(v)
		sb.WriteByte('\n')
	case []any:
		for _, e := range v {
			walkJSON(e, sb)
		}
	case map[string]any:
		for k, e := range v {
			sb.WriteString(k)
			sb.WriteByte('\n')
			walkJSON(e, sb)
		}
	}
}

// TestLeakScannerFindsHiddenCanaries: the scanner sees a canary however a
// command might carry it out (plain, JSON-escaped, base64, gzip'd tar in
// base64), and does not cry wolf.
func TestLeakScannerFindsHiddenCanaries(t *testing.T) {
	t.Parallel()
	c := newCanaries(t)
	secret := c.values["AWS_SECRET_ACCESS_KEY"]
	var tgz bytes.Buffer
	zw := gzip.NewWriter(&tgz)
	tw := tar.NewWriter(zw)
	body := []byte("AWS_SECRET_ACCESS_KEY=" + secret + "\n")
	require.NoError(t, tw.WriteHeader(&tar.Header{Name: "env", Mode: 0o644, Size: int64(len(body))}))
	_, err := tw.Write(body)
	require.NoError(t, err)
	require.NoError(t, tw.Close())
	require.NoError(t, zw.Close())
	escaped, err := json.Marshal(map[string]string{"k": strings.ReplaceAll(secret, "/", "\u2028/")})
	require.NoError(t, err)
	for name, data := range map[string][]byte{
		"plain":       []byte("x " + secret + " y"),
		"json":        escaped,
		"base64":      []byte(`{"blob":"` + base64.StdEncoding.EncodeToString([]byte("prefix "+secret+" suffix")) + `"}`),
		"tar.gz+b64":  []byte(`{"tar_gz_base64":"` + base64.StdEncoding.EncodeToString(tgz.Bytes()) + `"}`),
		"unique part": []byte("…" + c.tokens["AWS_SECRET_ACCESS_KEY"] + "…"),
	} {
		assert.Equal(t, []string{"AWS_SECRET_ACCESS_KEY"}, c.leaks(data), name)
	}
	assert.Empty(t, c.leaks([]byte(`{"redacted":["AWS_SECRET_ACCESS_KEY"],"AWS_SECRET_ACCESS_KEY":"<REDACTED>","k":"AKIA"}`)))
}

// binaries builds the module's commands once per test binary, in
// parallel: the faasprobe CLI, and every example main package as a Lambda
// bootstrap (-tags lambda.norpc, CGO_ENABLED=0).
type builtSet struct {
	dir  string
	bins map[string]string // import path → binary
}

var (
	buildOnce sync.Once
	built     builtSet
	buildErr  error
)

// buildAll builds every main package under cmd/ and examples/ (not
// examples/internal/...) into a temporary directory that TestMain removes
// at exit.
func buildAll(t testing.TB) builtSet {
	t.Helper()
	buildOnce.Do(func() {
		kinds := modulePackages(t)
		var pkgs []string
		for _, k := range []pkgKind{kindCommand, kindExample} {
			for _, p := range kinds[k] {
				rel := strings.TrimPrefix(p.ImportPath, modulePath(t)+"/")
				if p.Name != "main" || strings.HasPrefix(rel, "examples/internal/") || strings.Contains(rel, "/internal/") {
					continue
				}
				if strings.HasPrefix(rel, "cmd/") || strings.HasPrefix(rel, "examples/") {
					pkgs = append(pkgs, p.ImportPath)
				}
			}
		}
		dir, err := os.MkdirTemp("", "faasprobe-safety-")
		if err != nil {
			buildErr = err
			return
		}
		built = builtSet{dir: dir, bins: map[string]string{}}
		var mu sync.Mutex
		var wg sync.WaitGroup
		var errs []error
		for i, p := range pkgs {
			out := filepath.Join(dir, fmt.Sprintf("%02d-%s", i, path.Base(p)))
			wg.Go(func() {
				_, err := runGo(t, []string{"CGO_ENABLED=0"}, "build", "-tags", "lambda.norpc", "-o", out, p)
				mu.Lock()
				defer mu.Unlock()
				if err != nil {
					errs = append(errs, err)
					return
				}
				built.bins[p] = out
			})
		}
		wg.Wait()
		buildErr = errors.Join(errs...)
	})
	require.NoError(t, buildErr)
	return built
}

// subcommands reads the faasprobe command's usage for its subcommands:
// lines "  faasprobe NAME ..." where NAME is a word, not a flag.
func subcommands(usage string) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(usage))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[0] == "faasprobe" && regexp.MustCompile(`^[a-z][a-z0-9-]*$`).MatchString(f[1]) && !slices.Contains(out, f[1]) {
			out = append(out, f[1])
		}
	}
	return out
}

// run runs a binary with env (only that, plus PATH and HOME), in dir, and
// returns everything it printed.
func run(t testing.TB, bin, dir string, env []string, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=/usr/bin:/bin", "HOME=" + dir}, env...)
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	code := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("%s %v: %v", bin, args, err)
	}
	return string(out), code
}

// treeWithCanaries copies a recorded scenario and puts the canaries in its
// env file, as a recording made without redaction would hold them.
func treeWithCanaries(t testing.TB, c canaries, scenario string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), scenario)
	require.NoError(t, os.CopyFS(dir, os.DirFS(scenarioDir(t, scenario))))
	envFile := filepath.Join(dir, "env")
	old, err := os.ReadFile(envFile)
	if !errors.Is(err, fs.ErrNotExist) {
		require.NoError(t, err)
	}
	if len(old) > 0 && old[len(old)-1] != '\n' {
		old = append(old, '\n')
	}
	require.NoError(t, os.WriteFile(envFile, append(old, strings.Join(c.env(), "\n")+"\n"...), 0o644))
	return dir
}

// filesUnder returns every regular file's content below dir, by path.
func filesUnder(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	require.NoError(t, filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		b, err := os.ReadFile(p)
		out[p] = b
		return err
	}))
	return out
}

// TestCommandsNeverPrintSecrets runs the faasprobe command in every mode:
// the summary, --json, --root on every scenario tree (with the canaries in
// its env file), every subcommand its usage lists (with --help, without
// arguments, and record writing a tree, live and from a tree), with the
// canaries in its environment. No output, and no file it writes, holds one.
func TestCommandsNeverPrintSecrets(t *testing.T) {
	t.Parallel()
	bs := buildAll(t)
	cli := bs.bins[modulePath(t)+"/cmd/faasprobe"]
	require.NotEmpty(t, cli, "cmd/faasprobe not built")
	c := newCanaries(t)
	env := c.env()
	work := t.TempDir()

	usage, code := run(t, cli, work, env, "--help")
	require.Equal(t, 0, code, usage)
	subs := subcommands(usage)
	t.Logf("subcommands in the usage: %v", subs)

	type runSpec struct {
		name string
		args []string
		out  string // a directory the run writes, scanned too
	}
	specs := []runSpec{
		{"summary", nil, ""},
		{"json", []string{"--json"}, ""},
		{"help", []string{"--help"}, ""},
		{"bad-usage", []string{"--no-such-flag"}, ""},
	}
	ents, err := os.ReadDir(filepath.Join(moduleRoot(t), "testdata", "scenarios"))
	require.NoError(t, err)
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		tree := treeWithCanaries(t, c, e.Name())
		specs = append(specs,
			runSpec{"root/" + e.Name(), []string{"--root", tree}, ""},
			runSpec{"root-json/" + e.Name(), []string{"--json", "--root", tree}, ""})
		if slices.Contains(subs, "record") {
			out := filepath.Join(work, "rec-"+e.Name())
			specs = append(specs, runSpec{"record-root/" + e.Name(), []string{"record", "--root", tree, out}, out})
		}
	}
	for _, s := range subs {
		specs = append(specs,
			runSpec{s + "/help", []string{s, "--help"}, ""},
			runSpec{s + "/no-args", []string{s}, ""},
			runSpec{s + "/json", []string{s, "--json"}, ""})
		if s == "record" {
			out := filepath.Join(work, "rec-live")
			specs = append(specs, runSpec{"record/live", []string{"record", out}, out})
		}
	}
	for _, s := range specs {
		t.Run(s.name, func(t *testing.T) {
			out, code := run(t, cli, work, env, s.args...)
			t.Logf("exit %d, %d bytes of output", code, len(out))
			assert.Empty(t, c.leaks([]byte(out)), "canaries in the output of faasprobe %v", s.args)
			if s.out == "" {
				return
			}
			files := filesUnder(t, s.out)
			assert.NotEmpty(t, files, "faasprobe %v wrote nothing (exit %d): %s", s.args, code, out)
			for p, b := range files {
				assert.Empty(t, c.leaks(b), "canaries in %s, written by faasprobe %v", p, s.args)
			}
		})
	}
}

func TestSubcommandsFromUsage(t *testing.T) {
	t.Parallel()
	usage := `Usage:
  faasprobe [--json] [--root DIR]   print facts
  faasprobe record [--root SRC] DIR record
  faasprobe warm-plan TARGET...     plan
  faasprobe --help`
	assert.Equal(t, []string{"record", "warm-plan"}, subcommands(usage))
}
