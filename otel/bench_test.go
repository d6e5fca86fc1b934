package otel

import (
	"context"
	"testing"

	"github.com/faasprobe/faasprobe/hostinfo"
	"github.com/faasprobe/faasprobe/sandbox"
)

// BenchmarkDetector measures the OTel detector on the live machine. Its
// baseline is BenchmarkHostSandboxDetect, the two detections it makes,
// measured in the same run:
//
//	cd otel && go test -run '^$' -bench 'Detector|HostSandboxDetect' -benchmem -count 10 .
func BenchmarkDetector(b *testing.B) {
	d := NewDetector()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.Detect(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHostSandboxDetect is hostinfo.Detect and sandbox.Detect given
// its host facts: what a function that logs both does at init.
func BenchmarkHostSandboxDetect(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		h, err := hostinfo.Detect()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := sandbox.Detect(sandbox.WithHost(h)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDetectorOverhead is the detector's own work on top of the two
// detections: the attributes, their conversion and the resource.
func BenchmarkDetectorOverhead(b *testing.B) {
	h, _ := hostinfo.Detect()
	s, _ := sandbox.Detect(sandbox.WithHost(h))
	b.ReportAllocs()
	for b.Loop() {
		_ = newResource(h, s)
	}
}
