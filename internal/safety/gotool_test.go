package safety

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// goPackage is the part of `go list -json` these tests use.
type goPackage struct {
	Dir            string
	ImportPath     string
	Name           string
	Standard       bool
	GoFiles        []string
	CgoFiles       []string
	IgnoredGoFiles []string // non-test files excluded by build constraints (other OSes)
	TestGoFiles    []string
	XTestGoFiles   []string
	Imports        []string
	Deps           []string
	TestImports    []string
	XTestImports   []string
	Error          *struct{ Err string }
}

// sourceFiles returns the package's non-test Go files for every build
// constraint, as absolute paths.
func (p goPackage) sourceFiles() []string {
	var out []string
	for _, f := range slices.Concat(p.GoFiles, p.CgoFiles, p.IgnoredGoFiles) {
		if strings.HasSuffix(f, "_test.go") || !strings.HasSuffix(f, ".go") {
			continue
		}
		out = append(out, filepath.Join(p.Dir, f))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// goCmd returns the go command: on PATH (go test puts GOROOT/bin first),
// else GOROOT's.
func goCmd(t testing.TB) string {
	t.Helper()
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	p := filepath.Join(runtime.GOROOT(), "bin", "go")
	_, err := os.Stat(p)
	require.NoError(t, err, "the go command is needed (go list, go build)")
	return p
}

// runGo runs the go command in the module root with extra environment and
// returns its stdout; the error carries stderr.
func runGo(t testing.TB, env []string, args ...string) ([]byte, error) {
	t.Helper()
	cmd := exec.Command(goCmd(t), args...)
	cmd.Dir = moduleRoot(t)
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return out, fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	return out, nil
}

var (
	rootOnce sync.Once
	rootDir  string
	rootErr  error
	modPath  string
)

// moduleRoot is the directory of the module's go.mod (found from this
// package's directory, which go test makes the working directory).
func moduleRoot(t testing.TB) string {
	t.Helper()
	rootOnce.Do(func() {
		dir, err := os.Getwd()
		if err != nil {
			rootErr = err
			return
		}
		for {
			if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil {
				rootDir = dir
				for _, line := range strings.Split(string(b), "\n") {
					if p, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
						modPath = strings.Trim(strings.TrimSpace(p), `"`)
					}
				}
				if modPath == "" {
					rootErr = errors.New("go.mod without a module line")
				}
				return
			}
			up := filepath.Dir(dir)
			if up == dir {
				rootErr = errors.New("no go.mod above the test's directory")
				return
			}
			dir = up
		}
	})
	require.NoError(t, rootErr)
	return rootDir
}

// modulePath is the module's import path.
func modulePath(t testing.TB) string {
	t.Helper()
	moduleRoot(t)
	return modPath
}

// decodePackages decodes the stream of JSON objects `go list -json` prints.
func decodePackages(b []byte) ([]goPackage, error) {
	var out []goPackage
	dec := json.NewDecoder(bytes.NewReader(b))
	for {
		var p goPackage
		err := dec.Decode(&p)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, p)
	}
}

type listKey struct {
	goos, goarch string
	deps         bool
}

var (
	listMu    sync.Mutex
	listCache = map[listKey][]goPackage{}
)

// listModule returns `go list -e -json [-deps] ./...` for goos/goarch
// ("" = this machine's), cached for the test binary's life.
func listModule(t testing.TB, goos, goarch string, deps bool) []goPackage {
	t.Helper()
	key := listKey{goos, goarch, deps}
	listMu.Lock()
	defer listMu.Unlock()
	if ps, ok := listCache[key]; ok {
		return ps
	}
	var env []string
	if goos != "" {
		env = append(env, "GOOS="+goos, "CGO_ENABLED=0")
	}
	if goarch != "" {
		env = append(env, "GOARCH="+goarch)
	}
	args := []string{"list", "-e", "-json"}
	if deps {
		args = append(args, "-deps")
	}
	args = append(args, "./...")
	out, err := runGo(t, env, args...)
	require.NoError(t, err)
	ps, err := decodePackages(out)
	require.NoError(t, err, "decode go list output")
	listCache[key] = ps
	return ps
}

// pkgKind classifies a package of the module.
type pkgKind int

const (
	kindLibrary  pkgKind = iota
	kindCommand          // a main package (cmd/..., generators): nobody can import it
	kindExample          // examples/... (commands and their test support)
	kindTestOnly         // test-only helpers and test support: code only for tests, never linked into a function
)

// testSupport lists, relative to the module, the packages that exist to
// run tests and so may run commands and listen: internal/rietest starts
// aws-lambda-rie on local ports for the examples' tests and this package's.
// They are test-only by their path, whatever they import, so that none can
// become "library" (and so allowed to be linked) by dropping its "testing"
// import; TestTestOnlyHelpersNotLinked fails if a library package links
// one.
var testSupport = []string{"internal/rietest"}

func (k pkgKind) String() string {
	return [...]string{"library", "command", "example", "test-only"}[k]
}

// classify says what kind of package p is, from where it lives and what it
// is: main packages are commands, examples/... are examples, and the
// testSupport packages, and a package whose non-test code imports "testing"
// or declares nothing (this one), are test-only. Everything else is a
// library package: code a function may link.
func classify(t testing.TB, p goPackage) pkgKind {
	t.Helper()
	mod := modulePath(t)
	rel := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, mod), "/")
	switch {
	case p.Name == "main" || rel == "cmd" || strings.HasPrefix(rel, "cmd/"):
		return kindCommand
	case rel == "examples" || strings.HasPrefix(rel, "examples/"):
		return kindExample
	case slices.Contains(testSupport, rel) || slices.Contains(p.Imports, "testing") || declaresNothing(t, p):
		return kindTestOnly
	}
	return kindLibrary
}

// declaresNothing reports whether p's non-test files hold no declaration
// other than imports (a doc.go-only package such as this one).
func declaresNothing(t testing.TB, p goPackage) bool {
	t.Helper()
	fset := token.NewFileSet()
	for _, f := range p.sourceFiles() {
		file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		require.NoError(t, err)
		for _, d := range file.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
				continue
			}
			return false
		}
	}
	return true
}

// modulePackages returns the module's own packages (not -deps) for this
// machine, by kind.
func modulePackages(t testing.TB) map[pkgKind][]goPackage {
	t.Helper()
	out := map[pkgKind][]goPackage{}
	for _, p := range listModule(t, "", "", false) {
		require.Nil(t, p.Error, "go list %s", p.ImportPath)
		k := classify(t, p)
		out[k] = append(out[k], p)
	}
	return out
}

// libraryPaths returns the import paths of the library packages.
func libraryPaths(t testing.TB) []string {
	t.Helper()
	var out []string
	for _, p := range modulePackages(t)[kindLibrary] {
		out = append(out, p.ImportPath)
	}
	slices.Sort(out)
	require.NotEmpty(t, out, "no library package found: the classification is broken")
	return out
}

// scenarioDir returns the directory of a recorded scenario tree under
// testdata/scenarios.
func scenarioDir(t testing.TB, name string) string {
	t.Helper()
	d := filepath.Join(moduleRoot(t), "testdata", "scenarios", name)
	st, err := os.Stat(d)
	require.NoError(t, err)
	require.True(t, st.IsDir())
	return d
}
