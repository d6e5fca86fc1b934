package sources

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/parser"
	"go/token"
	"go/types"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The drift check: parse a reading package's sources, fold constants (so
// that `dir + "sys_vendor"` with `const dir = "sys/class/dmi/id/"` is seen
// as one path), and compare what it reads with the list.

const modulePath = "github.com/faasprobe/faasprobe"

// readerCalls are the functions and methods that read below a root: the
// sysroot.Root methods and the packages' own thin wrappers around them. The
// value says what kind of source the call's path argument must be.
func readerCall(name string) (kinds []Kind, ok bool) {
	switch name {
	case "ReadFile", "ReadFileBuf", "ReadString", "read", "readLine", "readDMIField", "readOpt", "lookup":
		return []Kind{File, Env, Glob, Cgroup}, true
	case "ReadHead":
		return []Kind{Head}, true
	case "Exists":
		return []Kind{Marker, Dir}, true
	case "ReadDir":
		return nil, true // a directory: a prefix of some source
	case "Readlink", "Path":
		return []Kind{LiveOnly}, true
	}
	return nil, false
}

var (
	patternsOnce sync.Once
	rootPath     *regexp.Regexp // a path below a root, as readers name them
	cgroupName   *regexp.Regexp // a cgroup limit file name
)

func patterns() (*regexp.Regexp, *regexp.Regexp) {
	patternsOnce.Do(func() {
		rootPath = regexp.MustCompile(`^/?((proc|sys|etc|run|dev|var|tmp)(/[A-Za-z0-9._%*+-]*)*|\.dockerenv)$`)
		cgroupName = regexp.MustCompile(`^/?(memory|cpu|cpuset|pids|io|hugetlb)\.[a-z_]+$`)
	})
	return rootPath, cgroupName
}

// use is one path a package's code names.
type use struct {
	value string // the constant's value, normalised: no leading "/"
	call  string // the reader it is passed to, "" if none
	head  int64  // ReadHead's byte count, -1 if not constant
	pos   string
}

// scan parses every non-test Go file of dir (all build tags) and returns the
// uses of root paths and every string constant it holds.
func scan(t *testing.T, dir string) (uses []use, consts []string) {
	t.Helper()
	fset := token.NewFileSet()
	ents, err := os.ReadDir(dir)
	require.NoError(t, err)
	var files []*ast.File
	for _, e := range ents {
		n := e.Name()
		if e.IsDir() || !strings.HasSuffix(n, ".go") || strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, n), nil, parser.SkipObjectResolution)
		require.NoError(t, err)
		files = append(files, f)
	}
	require.NotEmpty(t, files, "no Go files in %s", dir)

	// Type-check only to fold constants: imports are empty stand-ins and
	// every error (unknown selectors, files of other build tags redeclaring
	// a function) is ignored.
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}}
	conf := types.Config{
		Importer: fakeImporter{},
		Error:    func(error) {},
	}
	_, _ = conf.Check("x", fset, files, info)

	str := func(e ast.Expr) (string, bool) {
		tv, ok := info.Types[e]
		if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
			return "", false
		}
		return constant.StringVal(tv.Value), true
	}
	rp, cg := patterns()
	seen := map[ast.Expr]bool{} // call arguments already recorded with their call
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				name := calleeName(n.Fun)
				if _, ok := readerCall(name); !ok {
					return true
				}
				head := int64(-1)
				if name == "ReadHead" && len(n.Args) == 2 {
					if tv, ok := info.Types[n.Args[1]]; ok && tv.Value != nil {
						head, _ = constant.Int64Val(constant.ToInt(tv.Value))
					}
				}
				for _, a := range n.Args {
					if v, ok := str(a); ok {
						uses = append(uses, use{value: strings.TrimPrefix(v, "/"), call: name, head: head, pos: fset.Position(a.Pos()).String()})
						seen[a] = true
					}
				}
			case ast.Expr:
				v, ok := str(n)
				if !ok {
					return true
				}
				consts = append(consts, v)
				if !seen[n] && (rp.MatchString(v) || cg.MatchString(v)) {
					uses = append(uses, use{value: strings.TrimPrefix(v, "/"), head: -1, pos: fset.Position(n.Pos()).String()})
				}
				return false // the maximal constant only
			}
			return true
		})
	}
	return uses, consts
}

func calleeName(fun ast.Expr) string {
	switch f := fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	}
	return ""
}

type fakeImporter struct{}

func (fakeImporter) Import(p string) (*types.Package, error) {
	pkg := types.NewPackage(p, path.Base(p))
	pkg.MarkComplete()
	return pkg, nil
}

// check compares a package's uses with its list and returns one line per
// disagreement.
func check(uses []use, consts []string, list []Source) []string {
	var bad []string
	_, cg := patterns()
	for _, u := range uses {
		kinds, _ := readerCall(u.call)
		if !covered(u, kinds, list, cg.MatchString(u.value)) {
			what := "path"
			if u.call != "" {
				what = u.call + " of"
			}
			bad = append(bad, fmt.Sprintf("%s: %s %q is not in the sources list (or not with this kind)", u.pos, what, u.value))
		}
	}
	for _, s := range list {
		if !witnessed(s, uses, consts) {
			bad = append(bad, fmt.Sprintf("the list names %s %q but the code does not read it", s.Kind, s.Path))
		}
	}
	return bad
}

func covered(u use, kinds []Kind, list []Source, isCgroupName bool) bool {
	p := strings.TrimSuffix(u.value, "/")
	if isCgroupName {
		return slices.ContainsFunc(list, func(s Source) bool { return s.Kind == Cgroup && s.Path == p })
	}
	if u.call == "ReadDir" || u.call == "" || strings.HasSuffix(u.value, "/") {
		// A directory named on its way to a file: a prefix of a source.
		if slices.ContainsFunc(list, func(s Source) bool { return s.Kind != Cgroup && strings.HasPrefix(s.Path, p+"/") }) {
			return true
		}
	}
	return slices.ContainsFunc(list, func(s Source) bool {
		if s.Kind == Cgroup || !s.Covers(p) {
			return false
		}
		if u.call == "" {
			return true
		}
		if !slices.Contains(kinds, s.Kind) {
			return false
		}
		return s.Kind != Head || int64(s.HeadBytes) == u.head
	})
}

func witnessed(s Source, uses []use, consts []string) bool {
	switch {
	case s.Kind == Cgroup:
		return slices.ContainsFunc(consts, func(c string) bool { return strings.TrimPrefix(c, "/") == s.Path })
	case strings.Contains(s.Path, "*"):
		// Every fixed segment of the pattern occurs in some constant.
		for _, seg := range strings.Split(s.Path, "/") {
			if seg == "*" {
				continue
			}
			if !slices.ContainsFunc(consts, func(c string) bool { return strings.Contains(c, seg) }) {
				return false
			}
		}
		return true
	}
	// A reader call of the right kind passes exactly this path.
	return slices.ContainsFunc(uses, func(u use) bool {
		kinds, _ := readerCall(u.call)
		return u.value == s.Path && slices.Contains(kinds, s.Kind) && (s.Kind != Head || u.head == int64(s.HeadBytes))
	})
}

// TestListMatchesReaders is the drift check over the real packages.
func TestListMatchesReaders(t *testing.T) {
	t.Parallel()
	for _, p := range Packages() {
		t.Run(p.Dir, func(t *testing.T) {
			t.Parallel()
			uses, consts := scan(t, filepath.Join("..", "..", filepath.FromSlash(p.Dir)))
			require.NotEmpty(t, uses, "the scan found no path at all: the checker is broken")
			for _, line := range check(uses, consts, p.Sources) {
				t.Error(line)
			}
		})
	}
}

// TestCheckCatchesDrift runs the checker over made-up packages: a new read,
// a changed head size, a dropped read, a renamed cgroup file.
func TestCheckCatchesDrift(t *testing.T) {
	t.Parallel()
	list := []Source{
		{Path: "proc/cpuinfo", Kind: File},
		{Path: "sys/class/dmi/id/sys_vendor", Kind: File},
		{Path: "sys/firmware/acpi/tables/DSDT", Kind: Head, HeadBytes: 16},
		{Path: ".dockerenv", Kind: Marker},
		{Path: "sys/class/net/*/device/uevent", Kind: Glob},
		{Path: "memory.max", Kind: Cgroup, Controller: "memory"},
	}
	const base = `package x
const dir = "sys/class/dmi/id/"
func f(root R, ifc string) {
	root.ReadFile("proc/cpuinfo")
	root.ReadFile(dir + "sys_vendor")
	root.ReadHead("sys/firmware/acpi/tables/DSDT", 16)
	root.Exists(".dockerenv")
	root.ReadDir("sys/class/net")
	root.ReadFile("sys/class/net/" + ifc + "/device/" + "uevent")
	name := "memory.max"
	_ = name
}
`
	tests := []struct {
		name string
		src  string
		want []string // substrings of the complaints, one each
	}{
		{name: "in step", src: base},
		{name: "a new read", src: base + `func g(root R) { root.ReadFile("proc/self/environ") }`,
			want: []string{`ReadFile of "proc/self/environ"`}},
		{name: "a new read through a constant", src: base + `const env = "/proc/1/environ"
func g(root R) { root.ReadFile(env) }`, want: []string{`path "proc/1/environ"`, `ReadFile of "proc/1/environ"`}},
		{name: "a changed head size", src: strings.Replace(base, "DSDT\", 16", "DSDT\", 36", 1),
			want: []string{`ReadHead of "sys/firmware/acpi/tables/DSDT"`, `head "sys/firmware/acpi/tables/DSDT"`}},
		{name: "read whole instead of existence", src: strings.Replace(base, `Exists(".dockerenv")`, `ReadFile(".dockerenv")`, 1),
			want: []string{`ReadFile of ".dockerenv"`, `marker ".dockerenv"`}},
		{name: "a dropped read", src: strings.Replace(base, `root.ReadFile("proc/cpuinfo")`, ``, 1),
			want: []string{`file "proc/cpuinfo"`}},
		{name: "a new cgroup file", src: base + `const q = "/cpu.weight"`, want: []string{`path "cpu.weight"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			require.NoError(t, os.WriteFile(filepath.Join(dir, "x.go"), []byte(tt.src), 0o644))
			uses, consts := scan(t, dir)
			got := check(uses, consts, list)
			require.Len(t, got, len(tt.want), "complaints: %q", got)
			for i, w := range tt.want {
				assert.Contains(t, got[i], w)
			}
		})
	}
}

// TestEveryReaderIsListed finds the library packages that read through
// internal/sysroot: each must have its list here, so that a new reading
// package cannot bypass the recorder.
func TestEveryReaderIsListed(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..")
	listed := map[string]bool{}
	for _, p := range Packages() {
		listed[p.Dir] = true
	}
	var readers []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			switch {
			case rel == ".":
			case strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || rel == "cmd" || rel == "examples" ||
				rel == "internal/record" || rel == "internal/sources":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		dir := path.Dir(rel)
		for _, im := range f.Imports {
			if im.Path.Value == `"`+modulePath+`/internal/sysroot"` && !slices.Contains(readers, dir) {
				readers = append(readers, dir)
			}
		}
		if dir == "internal/sysroot" && !slices.Contains(readers, dir) {
			readers = append(readers, dir)
		}
		return nil
	})
	require.NoError(t, err)
	require.Contains(t, readers, "hostinfo", "the walk found the known readers")
	for _, r := range readers {
		assert.True(t, listed[r], "package %s reads through internal/sysroot but has no list in sources.Packages", r)
	}
}
