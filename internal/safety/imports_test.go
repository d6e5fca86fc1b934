package safety

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestClassification pins the derived lists to what the project's layout
// says, so that a broken derivation cannot make the other tests vacuous.
func TestClassification(t *testing.T) {
	t.Parallel()
	mod := modulePath(t)
	kinds := modulePackages(t)
	for k, ps := range kinds {
		for _, p := range ps {
			t.Logf("%-9s %s", k, strings.TrimPrefix(p.ImportPath, mod+"/"))
		}
	}
	lib := libraryPaths(t)
	for _, want := range []string{"coldstart", "hostinfo", "sandbox", "internal/sysroot"} {
		assert.Contains(t, lib, mod+"/"+want, "a package the README documents as library")
	}
	for _, p := range lib {
		rel := strings.TrimPrefix(p, mod+"/")
		assert.False(t, strings.HasPrefix(rel, "cmd/") || strings.HasPrefix(rel, "examples/"), p)
	}
	var testOnly []string
	for _, p := range kinds[kindTestOnly] {
		testOnly = append(testOnly, p.ImportPath)
	}
	assert.Contains(t, testOnly, mod+"/internal/safety")
	for _, s := range testSupport {
		assert.Contains(t, testOnly, mod+"/"+s, "test support that no longer exists, or is not test-only")
	}
}

// TestClassifyByPath pins classify on made-up packages: test support is
// test-only by its path even without a "testing" import, and a package
// that declares something and imports neither is library.
func TestClassifyByPath(t *testing.T) {
	t.Parallel()
	mod := modulePath(t)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "x.go"), "package x\n\nfunc F() {}\n")
	tests := []struct {
		name    string
		rel     string
		pkgName string
		imports []string
		want    pkgKind
	}{
		{"rietest without testing", "internal/rietest", "rietest", []string{"os/exec", "net"}, kindTestOnly},
		{"rietest with testing", "internal/rietest", "rietest", []string{"os/exec", "testing"}, kindTestOnly},
		{"helper importing testing", "internal/somehelper", "somehelper", []string{"testing"}, kindTestOnly},
		{"internal package", "internal/sysroot", "sysroot", []string{"os"}, kindLibrary},
		{"public package", "hostinfo", "hostinfo", []string{"os"}, kindLibrary},
		{"look-alike path", "internal/rietest2", "rietest2", []string{"os/exec"}, kindLibrary},
		{"below rietest: checked unless listed", "internal/rietest/sub", "sub", []string{"os/exec"}, kindLibrary},
		{"example", "examples/internal/multisandbox", "multisandbox", nil, kindExample},
		{"command", "cmd/faasprobe", "main", nil, kindCommand},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := goPackage{Dir: dir, ImportPath: mod + "/" + tt.rel, Name: tt.pkgName, GoFiles: []string{"x.go"}, Imports: tt.imports}
			assert.Equal(t, tt.want, classify(t, p))
		})
	}
}

// TestLibraryDoesNotReachExec: on Linux — the platform functions run on —
// no library package reaches os/exec through any import, for amd64 and
// arm64. On macOS and Windows (development machines) hostinfo falls back to
// gopsutil, which imports os/exec; the test pins that gopsutil is the only
// route there and that no faasprobe package imports os/exec itself.
func TestLibraryDoesNotReachExec(t *testing.T) {
	t.Parallel()
	lib := libraryPaths(t)
	for _, target := range []struct{ goos, goarch string }{
		{"linux", "amd64"}, {"linux", "arm64"}, {"darwin", "arm64"}, {"windows", "amd64"},
	} {
		t.Run(target.goos+"_"+target.goarch, func(t *testing.T) {
			t.Parallel()
			graph := map[string]goPackage{}
			for _, p := range listModule(t, target.goos, target.goarch, true) {
				graph[p.ImportPath] = p
			}
			for _, l := range lib {
				p, ok := graph[l]
				require.True(t, ok, "%s not in the %s graph", l, target.goos)
				assert.NotContains(t, p.Imports, "os/exec", "%s imports os/exec", l)
				if target.goos == "linux" {
					if route := pathTo(graph, l, "os/exec", nil); route != nil {
						t.Errorf("%s reaches os/exec on %s: %s", l, target.goos, strings.Join(route, " → "))
					}
					continue
				}
				skipGopsutil := func(p string) bool { return strings.HasPrefix(p, "github.com/shirou/gopsutil/") }
				if route := pathTo(graph, l, "os/exec", skipGopsutil); route != nil {
					t.Errorf("%s reaches os/exec on %s other than through gopsutil: %s", l, target.goos, strings.Join(route, " → "))
				}
				if route := pathTo(graph, l, "os/exec", nil); route != nil {
					t.Logf("%s: %s (gopsutil, the non-Linux fallback)", l, strings.Join(route, " → "))
				}
			}
		})
	}
}

// pathTo returns an import chain from 'from' to 'to' in graph (breadth
// first, so a shortest one), never entering a package skip accepts; nil if
// there is none.
func pathTo(graph map[string]goPackage, from, to string, skip func(string) bool) []string {
	prev := map[string]string{from: ""}
	queue := []string{from}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		if cur == to {
			var route []string
			for p := cur; p != ""; p = prev[p] {
				route = append(route, p)
			}
			slices.Reverse(route)
			return route
		}
		for _, imp := range graph[cur].Imports {
			if _, seen := prev[imp]; seen || (skip != nil && skip(imp)) {
				continue
			}
			prev[imp] = cur
			queue = append(queue, imp)
		}
	}
	return nil
}

// A forbidden use: package path, and the names in it.
type forbidden struct {
	pkg   string
	names []string
	why   string
	write bool // a file-system write (allowed in the recorder only)
}

var forbiddenUses = []forbidden{
	{"net", []string{"Listen", "ListenTCP", "ListenUDP", "ListenPacket", "ListenUnix", "ListenUnixgram", "ListenIP", "ListenMulticastUDP", "FileListener", "ListenConfig"}, "opens a listening socket", false},
	{"net/http", []string{"ListenAndServe", "ListenAndServeTLS", "Serve", "ServeTLS", "Server"}, "serves HTTP", false},
	{"net/http/httptest", []string{"NewServer", "NewTLSServer", "NewUnstartedServer"}, "serves HTTP", false},
	{"syscall", []string{"Exec", "ForkExec", "StartProcess", "Listen", "Bind"}, "runs a process or binds a socket", false},
	{"golang.org/x/sys/unix", []string{"Exec", "ForkExec", "Listen", "Bind"}, "runs a process or binds a socket", false},
	{"os", []string{"StartProcess"}, "runs a process", false},
	{"os", []string{"WriteFile", "Create", "CreateTemp", "Mkdir", "MkdirAll", "MkdirTemp", "Remove", "RemoveAll", "Rename", "Symlink", "Link", "Truncate", "Chmod", "Chown", "Lchown", "Chtimes", "CopyFS"}, "writes to the file system", true},
	{"io/ioutil", []string{"WriteFile", "TempFile", "TempDir"}, "writes to the file system", true},
	{"syscall", []string{"Creat", "Mkdir", "Mkdirat", "Unlink", "Unlinkat", "Rmdir", "Rename", "Renameat", "Symlink", "Link", "Truncate", "Chmod", "Fchmod", "Chown"}, "writes to the file system", true},
	{"golang.org/x/sys/unix", []string{"Creat", "Mkdir", "Mkdirat", "Unlink", "Unlinkat", "Rmdir", "Rename", "Renameat", "Symlink", "Link", "Truncate", "Chmod", "Fchmod", "Chown"}, "writes to the file system", true},
}

// openCalls are the open functions whose flag argument (at index flagArg)
// must be read-only.
var openCalls = []struct {
	pkg, name string
	flagArg   int
}{
	{"os", "OpenFile", 1},
	{"syscall", "Open", 1},
	{"syscall", "Openat", 2},
	{"golang.org/x/sys/unix", "Open", 1},
	{"golang.org/x/sys/unix", "Openat", 2},
}

// writeFlags are the open flags that write or create.
var writeFlags = []string{"O_WRONLY", "O_RDWR", "O_CREATE", "O_CREAT", "O_APPEND", "O_TRUNC", "O_EXCL", "O_TMPFILE"}

// readFlags are the open flags a read-only open may carry.
var readFlags = []string{"O_RDONLY", "O_NONBLOCK", "O_CLOEXEC", "O_NOFOLLOW", "O_DIRECTORY", "O_NOCTTY", "O_NOATIME", "O_LARGEFILE", "O_SYNC", "O_PATH"}

// finding is one forbidden use in a file.
type finding struct {
	pos   string
	what  string
	why   string
	write bool
}

func (f finding) String() string { return fmt.Sprintf("%s: %s %s", f.pos, f.what, f.why) }

// scanFile returns the forbidden uses in one Go file.
func scanFile(t testing.TB, fset *token.FileSet, name string) []finding {
	t.Helper()
	file, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
	require.NoError(t, err)
	imports := map[string]string{} // local name → import path
	for _, is := range file.Imports {
		p, err := strconv.Unquote(is.Path.Value)
		require.NoError(t, err)
		local := path.Base(p)
		if is.Name != nil {
			local = is.Name.Name
		}
		imports[local] = p
	}
	resolve := func(e ast.Expr) (pkg, name string, ok bool) {
		sel, ok := e.(*ast.SelectorExpr)
		if !ok {
			return "", "", false
		}
		id, ok := sel.X.(*ast.Ident)
		if !ok {
			return "", "", false
		}
		p, ok := imports[id.Name]
		return p, sel.Sel.Name, ok
	}
	var out []finding
	ast.Inspect(file, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			pkg, name, ok := resolve(n)
			if !ok {
				return true
			}
			for _, f := range forbiddenUses {
				if f.pkg == pkg && slices.Contains(f.names, name) {
					out = append(out, finding{fset.Position(n.Pos()).String(), pkg + "." + name, f.why, f.write})
				}
			}
		case *ast.CallExpr:
			pkg, name, ok := resolve(n.Fun)
			if !ok {
				return true
			}
			for _, oc := range openCalls {
				if oc.pkg != pkg || oc.name != name {
					continue
				}
				if len(n.Args) <= oc.flagArg {
					continue
				}
				if why := openFlagProblem(n.Args[oc.flagArg], imports); why != "" {
					out = append(out, finding{fset.Position(n.Pos()).String(), pkg + "." + name, why, true})
				}
			}
		}
		return true
	})
	return out
}

// openFlagProblem says why an open's flag expression is not provably
// read-only ("" when it is: only known read flags, combined with |).
func openFlagProblem(e ast.Expr, imports map[string]string) string {
	switch e := e.(type) {
	case *ast.ParenExpr:
		return openFlagProblem(e.X, imports)
	case *ast.BinaryExpr:
		if e.Op != token.OR {
			return "with a flag expression that is not an | of constants"
		}
		if p := openFlagProblem(e.X, imports); p != "" {
			return p
		}
		return openFlagProblem(e.Y, imports)
	case *ast.SelectorExpr:
		id, ok := e.X.(*ast.Ident)
		if !ok {
			return "with a non-constant flag"
		}
		p := imports[id.Name]
		if p != "os" && p != "syscall" && p != "golang.org/x/sys/unix" {
			return "with a flag from an unknown package"
		}
		switch {
		case slices.Contains(writeFlags, e.Sel.Name):
			return "opens for writing (" + e.Sel.Name + ")"
		case slices.Contains(readFlags, e.Sel.Name):
			return ""
		}
		return "with an unknown flag " + e.Sel.Name
	}
	return "with a non-constant flag (cannot prove it read-only)"
}

// TestLibraryNeverListensExecsOrWrites scans every non-test file of every
// library package (all build tags) for listeners, process starts and file
// writes. Only the recorder (internal/record), which cmd/faasprobe and
// examples/recorder use and no library package imports, may write files.
func TestLibraryNeverListensExecsOrWrites(t *testing.T) {
	t.Parallel()
	recorder := modulePath(t) + "/internal/record"
	scanned := 0
	for _, p := range modulePackages(t)[kindLibrary] {
		fset := token.NewFileSet()
		files := p.sourceFiles()
		require.NotEmpty(t, files, p.ImportPath)
		for _, f := range files {
			scanned++
			for _, fd := range scanFile(t, fset, f) {
				if fd.write && p.ImportPath == recorder {
					continue
				}
				t.Errorf("library package %s: %s", p.ImportPath, fd)
			}
		}
	}
	t.Logf("%d files scanned", scanned)
}

// TestScannerCatchesForbiddenUses feeds the scanner a file with every kind
// of forbidden use, and a clean one, so that the scan above cannot pass by
// seeing nothing.
func TestScannerCatchesForbiddenUses(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.go")
	writeFile(t, bad, `package bad

import (
	"net"
	nh "net/http"
	"os"
	"syscall"
)

func f(flag int) {
	_, _ = net.Listen("tcp", ":0")
	_ = nh.ListenAndServe(":0", nil)
	_ = &nh.Server{}
	_ = syscall.Exec("/bin/true", nil, nil)
	_, _ = syscall.ForkExec("/bin/true", nil, nil)
	_, _ = os.StartProcess("/bin/true", nil, nil)
	_ = os.WriteFile("x", nil, 0o644)
	_, _ = os.Create("x")
	_ = os.MkdirAll("x", 0o755)
	_, _ = os.OpenFile("x", os.O_WRONLY|os.O_CREATE, 0o644)
	_, _ = os.OpenFile("x", flag, 0)
	_, _ = syscall.Open("x", syscall.O_RDWR, 0)
}
`)
	good := filepath.Join(dir, "good.go")
	writeFile(t, good, `package good

import (
	"os"
	"syscall"
)

func f() {
	_, _ = os.ReadFile("x")
	_, _ = os.OpenFile("x", os.O_RDONLY, 0)
	_, _ = syscall.Open("x", syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
}
`)
	fset := token.NewFileSet()
	var got []string
	for _, fd := range scanFile(t, fset, bad) {
		got = append(got, fd.what)
	}
	assert.ElementsMatch(t, []string{
		"net.Listen", "net/http.ListenAndServe", "net/http.Server", "syscall.Exec", "syscall.ForkExec",
		"os.StartProcess", "os.WriteFile", "os.Create", "os.MkdirAll", "os.OpenFile", "os.OpenFile", "syscall.Open",
	}, got)
	assert.Empty(t, scanFile(t, fset, good))
}

// TestRecorderOnlyInCommands: the recorder writes files, so it must never
// be linked by a library package; only commands and examples import it.
func TestRecorderOnlyInCommands(t *testing.T) {
	t.Parallel()
	recorder := modulePath(t) + "/internal/record"
	kinds := modulePackages(t)
	for _, p := range kinds[kindLibrary] {
		if p.ImportPath == recorder {
			continue
		}
		assert.NotContains(t, p.Deps, recorder, "library package %s links the recorder", p.ImportPath)
	}
	var importers []string
	for k, ps := range kinds {
		for _, p := range ps {
			if slices.Contains(p.Imports, recorder) {
				importers = append(importers, p.ImportPath)
				assert.Contains(t, []pkgKind{kindCommand, kindExample}, k, "%s (%s) imports the recorder", p.ImportPath, k)
			}
		}
	}
	t.Logf("recorder imported by %v", importers)
}

// TestTestOnlyHelpersNotLinked: no library package links a test-only
// helper or test support (internal/rietest runs commands and listens).
func TestTestOnlyHelpersNotLinked(t *testing.T) {
	t.Parallel()
	kinds := modulePackages(t)
	assert.Empty(t, testOnlyLinks(kinds))
	var helpers []string
	for _, h := range kinds[kindTestOnly] {
		helpers = append(helpers, h.ImportPath)
	}
	t.Logf("test-only packages: %v", helpers)
}

// testOnlyLinks returns "library → test-only" for every library package
// that links a test-only package, directly or through other packages.
func testOnlyLinks(kinds map[pkgKind][]goPackage) []string {
	var out []string
	for _, h := range kinds[kindTestOnly] {
		for _, p := range kinds[kindLibrary] {
			if slices.Contains(p.Deps, h.ImportPath) {
				out = append(out, p.ImportPath+" → "+h.ImportPath)
			}
		}
	}
	slices.Sort(out)
	return out
}

// TestTestOnlyLinkCheckCatchesRietest gives the check above made-up graphs
// (classified as the real ones are) in which a library package links
// internal/rietest directly or through another package, so that it cannot
// pass by seeing nothing.
func TestTestOnlyLinkCheckCatchesRietest(t *testing.T) {
	t.Parallel()
	mod := modulePath(t)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "x.go"), "package x\n\nfunc F() {}\n")
	rietest := mod + "/internal/rietest"
	sysroot := mod + "/internal/sysroot"
	hostinfo := mod + "/hostinfo"
	pkg := func(path string, imports, deps []string) goPackage {
		return goPackage{Dir: dir, ImportPath: path, Name: path[strings.LastIndexByte(path, '/')+1:], GoFiles: []string{"x.go"}, Imports: imports, Deps: deps}
	}
	// rietest as it could drift: no "testing" import in its non-test code.
	rie := pkg(rietest, []string{"net", "os/exec"}, []string{"net", "os/exec"})
	require.Equal(t, kindTestOnly, classify(t, rie))
	tests := []struct {
		name string
		pkgs []goPackage
		want []string
	}{
		{"direct import", []goPackage{
			rie,
			pkg(hostinfo, []string{"os", rietest}, []string{"os", rietest, "net", "os/exec"}),
		}, []string{hostinfo + " → " + rietest}},
		{"through an internal package", []goPackage{
			rie,
			pkg(sysroot, []string{"os", rietest}, []string{"os", rietest}),
			pkg(hostinfo, []string{sysroot}, []string{sysroot, rietest}),
		}, []string{hostinfo + " → " + rietest, sysroot + " → " + rietest}},
		{"only a test-only helper imports it", []goPackage{
			rie,
			pkg(mod+"/internal/somehelper", []string{"testing", rietest}, []string{"testing", rietest}),
			pkg(hostinfo, []string{sysroot}, []string{sysroot}),
			pkg(sysroot, []string{"os"}, []string{"os"}),
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			kinds := map[pkgKind][]goPackage{}
			for _, p := range tt.pkgs {
				k := classify(t, p)
				kinds[k] = append(kinds[k], p)
			}
			assert.Equal(t, tt.want, testOnlyLinks(kinds))
		})
	}
}

// TestNoLibraryPackageImportsProcfs: prometheus/procfs costs ~0.3 ms and
// ~900 allocations at package init (measured by .ci/perf); faasprobe parses
// the files it needs itself and uses procfs only in tests, as a reference.
func TestNoLibraryPackageImportsProcfs(t *testing.T) {
	t.Parallel()
	const procfs = "github.com/prometheus/procfs"
	kinds := modulePackages(t)
	for _, p := range kinds[kindLibrary] {
		for _, d := range p.Deps {
			assert.False(t, d == procfs || strings.HasPrefix(d, procfs+"/"), "library package %s links %s", p.ImportPath, d)
		}
	}
	var inTests []string
	for _, ps := range kinds {
		for _, p := range ps {
			if slices.ContainsFunc(slices.Concat(p.TestImports, p.XTestImports), func(s string) bool { return strings.HasPrefix(s, procfs) }) {
				inTests = append(inTests, p.ImportPath)
			}
		}
	}
	t.Logf("procfs imported by the tests of %v", inTests)
}
