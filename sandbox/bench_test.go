package sandbox

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/faasprobe/faasprobe/hostinfo"
)

// BenchmarkDetect measures sandbox's own work on the live machine (the host
// is given, so hostinfo is not measured). Compare with
// BenchmarkReadFilesBaseline, a plain os.ReadFile of exactly the files
// Detect reads, in the same run:
//
//	go test -run '^$' -bench 'Detect|Baseline' -benchmem ./sandbox
func BenchmarkDetect(b *testing.B) {
	opt := WithHost(hostinfo.Host{})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Detect(opt); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDetectNoStatfs is BenchmarkDetect without the /tmp statfs, for
// a like-for-like comparison with the baseline (which cannot statfs).
func BenchmarkDetectNoStatfs(b *testing.B) {
	c := newConfig([]Option{WithHost(hostinfo.Host{})})
	c.statfs = func(string) (Filesystem, error) { return Filesystem{}, nil }
	b.ReportAllocs()
	for b.Loop() {
		if _, err := detect(c); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadFilesBaseline(b *testing.B) {
	var files []string
	c := newConfig([]Option{WithHost(hostinfo.Host{})})
	c.trace = func(name string) { files = append(files, filepath.Join("/", name)) }
	if _, err := detect(c); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d files: %v", len(files), files)
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range files {
			_, _ = os.ReadFile(f) // absent files cost their failed open, as in Detect
		}
	}
}
