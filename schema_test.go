package faasprobe

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/internal/logline"
	"github.com/faasprobe/faasprobe/internal/schema"
)

// loadSchema parses docs/schema.md.
func loadSchema(t *testing.T) schema.Schema {
	t.Helper()
	page, err := os.ReadFile("docs/schema.md")
	require.NoError(t, err)
	s, err := schema.Parse(page)
	require.NoError(t, err)
	return s
}

// Every producer follows docs/schema.md on every recorded tree: Detect's
// Facts (the `faasprobe --json` document) in full, and the startup,
// invocation, ping and shutdown lines the library writes, less only what
// the schema's rule leaves out of lines.
func TestProducersFollowTheSchema(t *testing.T) {
	t.Parallel()
	s := loadSchema(t)
	trees, err := filepath.Glob("testdata/scenarios/*")
	require.NoError(t, err)
	require.NotEmpty(t, trees)
	trees = append(trees, t.TempDir()) // an empty tree: every fact unknown
	for _, tree := range trees {
		if st, err := os.Stat(tree); err != nil || !st.IsDir() {
			continue
		}
		t.Run(filepath.Base(tree), func(t *testing.T) {
			t.Parallel()
			f, _ := Detect(WithRoot(tree), WithLogger(nil))
			doc, err := json.Marshal(f)
			require.NoError(t, err)
			assert.Empty(t, s.Validate("Facts", doc, schema.Document))

			var out lines
			p := New(WithRoot(tree), WithLogger(logline.NewLogger(&out)), WithVMStats())
			h := p.Handler(handle)
			for _, payload := range []string{`{"warmer":true,"concurrency":2}`, `{"id":1}`, `{"id":2}`} {
				_, err := h.Invoke(context.Background(), []byte(payload))
				require.NoError(t, err)
			}
			p.logShutdown()
			got := strings.Split(strings.TrimSpace(out.buf.String()), "\n")
			require.Len(t, got, 5)
			for i, name := range []string{"StartupLine", "InvocationLine", "InvocationLine", "InvocationLine", "ShutdownLine"} {
				assert.Empty(t, s.Validate(name, []byte(got[i]), schema.Line), "%s: %s", name, got[i])
			}
			assert.Contains(t, got[1], `"ping":{`)
			assert.NotContains(t, got[1], `"vm":{`, "a ping's line has no vm sample")
			assert.Contains(t, got[2], `"vm":{`)
			assert.Contains(t, got[3], `"vm":{`)
		})
	}
}

// The validator itself: a renamed, retyped, missing or extra key fails.
func TestSchemaCatchesDrift(t *testing.T) {
	t.Parallel()
	s := loadSchema(t)
	f, _ := Detect(WithRoot(scenario), WithLogger(nil))
	good, err := json.Marshal(f)
	require.NoError(t, err)
	require.Empty(t, s.Validate("Facts", good, schema.Document))
	for name, mutate := range map[string]func([]byte) []byte{
		"renamed": func(b []byte) []byte { return bytes.Replace(b, []byte(`"boot_id"`), []byte(`"bootId"`), 1) },
		"retyped": func(b []byte) []byte {
			return bytes.Replace(b, []byte(`"memory_limit_mb":128`), []byte(`"memory_limit_mb":"128"`), 1)
		},
		"missing": func(b []byte) []byte { return bytes.Replace(b, []byte(`"arch":"amd64",`), nil, 1) },
	} {
		bad := mutate(good)
		require.NotEqual(t, string(good), string(bad), name)
		assert.NotEmpty(t, s.Validate("Facts", bad, schema.Document), name)
	}
}

// Every field `faasprobe fleet` reads and every field the Logs Insights
// queries of docs/fleet.md name is in the schema.
func TestReadersUseSchemaFields(t *testing.T) {
	t.Parallel()
	s := loadSchema(t)
	lines := []string{"StartupLine", "InvocationLine", "ShutdownLine"}
	resolves := func(path string) bool {
		for _, l := range lines {
			if _, ok := s.Resolve(l, path); ok {
				return true
			}
		}
		return false
	}
	src, err := os.ReadFile("internal/fleet/line.go")
	require.NoError(t, err)
	reader := schemaPathsIn(string(src), `case "`)
	require.NotEmpty(t, reader)
	for _, p := range reader {
		assert.True(t, resolves(p), "fleet reads %q, which docs/schema.md lacks", p)
	}
	doc, err := os.ReadFile("docs/fleet.md")
	require.NoError(t, err)
	queries := schemaPathsIn(fenced(string(doc), "```logs-insights"), "")
	require.NotEmpty(t, queries)
	for _, p := range queries {
		assert.True(t, resolves(p), "docs/fleet.md names %q, which docs/schema.md lacks", p)
	}
}

// schemaPathsIn finds the dotted field paths below the lines' top-level
// objects (platform.*, host.*, sandbox.*, invocation.*, ping.*, vm.*,
// stats.*, shutdown.*) in text, each once; with a prefix, only right after it.
func schemaPathsIn(text, prefix string) []string {
	tops := []string{"platform.", "host.", "sandbox.", "invocation.", "ping.", "vm.", "stats.", "shutdown."}
	seen := map[string]bool{}
	var out []string
	for i := 0; i < len(text); i++ {
		if prefix != "" && !strings.HasPrefix(text[i:], prefix) {
			continue
		}
		j := i + len(prefix)
		if prefix == "" && i > 0 && (isFieldByte(text[i-1]) || text[i-1] == '.' || text[i-1] == '/') {
			continue
		}
		for _, top := range tops {
			if !strings.HasPrefix(text[j:], top) {
				continue
			}
			k := j
			for k < len(text) && (isFieldByte(text[k]) || text[k] == '.') {
				k++
			}
			p := strings.TrimRight(text[j:k], ".")
			if strings.Count(p, ".") >= 1 && !strings.HasSuffix(p, "_") && !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return out
}

func isFieldByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

// fenced returns the bodies of the code blocks of text that open with
// fence, joined.
func fenced(text, fence string) string {
	var b strings.Builder
	for {
		i := strings.Index(text, fence+"\n")
		if i < 0 {
			return b.String()
		}
		text = text[i+len(fence)+1:]
		j := strings.Index(text, "```")
		if j < 0 {
			j = len(text)
		}
		b.WriteString(text[:j])
		b.WriteByte('\n')
		text = text[j:]
	}
}
