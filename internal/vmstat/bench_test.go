package vmstat

import (
	"os"
	"testing"

	"github.com/faasprobe/faasprobe/internal/sysroot"
)

// Run: go test -run '^$' -bench . -benchmem -count 5 ./internal/vmstat/
//
// BenchmarkSample is one sample on the live machine: two reads through
// sysroot and their parsing. BenchmarkReadFiles is the floor: the same
// two files read through sysroot, unparsed.

var sinkSample Sample

func BenchmarkSample(b *testing.B) {
	if _, err := os.Stat("/proc/stat"); err != nil {
		b.Skip("no /proc/stat")
	}
	s := New(sysroot.Live())
	b.ReportAllocs()
	for b.Loop() {
		sinkSample = s.Sample()
	}
}

func BenchmarkReadFiles(b *testing.B) {
	if _, err := os.Stat("/proc/stat"); err != nil {
		b.Skip("no /proc/stat")
	}
	r := sysroot.Live()
	buf := make([]byte, 0, 8192)
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = r.ReadFileBuf(statFile, buf[:0])
		buf, _ = r.ReadFileBuf(meminfoFile, buf[:0])
	}
}
