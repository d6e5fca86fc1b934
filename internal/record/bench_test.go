package record

import (
	"bytes"
	"io"
	"runtime"
	"testing"

	"github.com/faasprobe/faasprobe/hostinfo"
	"github.com/faasprobe/faasprobe/internal/sysroot"
)

// Collect reads some 30 files and runs hostinfo.Detect once for the note:
// the baseline is that Detect alone.
func BenchmarkCollect(b *testing.B) {
	if runtime.GOOS != "linux" {
		b.Skip("live tree on Linux only")
	}
	env := []string{"AWS_REGION=eu-west-1", "AWS_SESSION_TOKEN=IQoJbench0123456789abcdefABCDEF", "PATH=/usr/bin:/bin"}
	b.Run("baseline=hostinfo.Detect", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = hostinfo.Detect()
		}
	})
	b.Run("Collect", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = Collect(sysroot.Live(), WithEnviron(env))
		}
	})
	tree, _ := Collect(sysroot.Live(), WithEnviron(env))
	b.Run("WriteTarGz", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = tree.WriteTarGz(io.Discard)
		}
	})
	var buf bytes.Buffer
	_ = tree.WriteTarGz(&buf)
	b.Run("ReadTarGz", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = ReadTarGz(bytes.NewReader(buf.Bytes()))
		}
	})
}
