package procfile

import (
	"os"
	"path/filepath"
	"testing"
)

// scenarioFiles returns the file name from every recorded scenario tree
// (testdata/scenarios/*/, real captures, each with a PROVENANCE.md): the
// table tests' real inputs and the fuzz targets' seeds.
func scenarioFiles(t testing.TB, name string) [][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "..", "testdata", "scenarios", "*", filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil {
			out = append(out, b)
		}
	}
	return out
}
