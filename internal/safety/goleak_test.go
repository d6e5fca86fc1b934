package safety

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGoroutinePackagesUseGoleak: a library package whose non-test code
// has a go statement must check, in a TestMain of its tests, that no test
// leaves a goroutine behind: goleak.VerifyTestMain (nothing
// fire-and-forget; anything started has a Stop and is waited for).
func TestGoroutinePackagesUseGoleak(t *testing.T) {
	t.Parallel()
	var starters []string
	for _, p := range modulePackages(t)[kindLibrary] {
		var gos []string
		fset := token.NewFileSet()
		for _, f := range p.sourceFiles() {
			file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
			require.NoError(t, err)
			ast.Inspect(file, func(n ast.Node) bool {
				if g, ok := n.(*ast.GoStmt); ok {
					gos = append(gos, fset.Position(g.Pos()).String())
				}
				return true
			})
		}
		if len(gos) == 0 {
			continue
		}
		starters = append(starters, p.ImportPath)
		var testFiles []string
		for _, f := range append(append([]string{}, p.TestGoFiles...), p.XTestGoFiles...) {
			testFiles = append(testFiles, filepath.Join(p.Dir, f))
		}
		where, ok := verifiesTestMain(t, testFiles)
		assert.True(t, ok, "%s starts goroutines (%s) but no TestMain of its tests calls goleak.VerifyTestMain", p.ImportPath, strings.Join(gos, ", "))
		if ok {
			t.Logf("%s: go statements at %v; goleak in %s", p.ImportPath, gos, where)
		}
	}
	t.Logf("library packages with go statements: %v", starters)
}

// verifiesTestMain reports whether one of files declares
// func TestMain(m *testing.M) whose body calls VerifyTestMain of
// go.uber.org/goleak (under any import name).
func verifiesTestMain(t testing.TB, files []string) (string, bool) {
	t.Helper()
	fset := token.NewFileSet()
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		require.NoError(t, err)
		name := ""
		for _, is := range file.Imports {
			p, err := strconv.Unquote(is.Path.Value)
			require.NoError(t, err)
			if p == "go.uber.org/goleak" {
				name = "goleak"
				if is.Name != nil {
					name = is.Name.Name
				}
			}
		}
		if name == "" {
			continue
		}
		for _, d := range file.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Name.Name != "TestMain" || fn.Recv != nil || fn.Body == nil {
				continue
			}
			found := false
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				if c, ok := n.(*ast.CallExpr); ok {
					if s, ok := c.Fun.(*ast.SelectorExpr); ok {
						if id, ok := s.X.(*ast.Ident); ok && id.Name == name && s.Sel.Name == "VerifyTestMain" {
							found = true
						}
					}
				}
				return !found
			})
			if found {
				return fset.Position(fn.Pos()).String(), true
			}
		}
	}
	return "", false
}

// TestVerifiesTestMainRecognisesGoleak checks the detector on fixtures.
func TestVerifiesTestMainRecognisesGoleak(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cases := []struct {
		name, src string
		want      bool
	}{
		{"plain", "package p\nimport (\"testing\"; \"go.uber.org/goleak\")\nfunc TestMain(m *testing.M) { goleak.VerifyTestMain(m) }\n", true},
		{"renamed", "package p\nimport (\"testing\"; gl \"go.uber.org/goleak\")\nfunc TestMain(m *testing.M) { gl.VerifyTestMain(m, gl.IgnoreCurrent()) }\n", true},
		{"no TestMain", "package p\nimport (\"testing\"; \"go.uber.org/goleak\")\nfunc TestX(t *testing.T) { goleak.VerifyNone(t) }\n", false},
		{"TestMain without goleak", "package p\nimport (\"os\"; \"testing\")\nfunc TestMain(m *testing.M) { os.Exit(m.Run()) }\n", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_")+"_test.go")
			require.NoError(t, os.WriteFile(f, []byte(c.src), 0o644))
			_, ok := verifiesTestMain(t, []string{f})
			assert.Equal(t, c.want, ok)
		})
	}
}
