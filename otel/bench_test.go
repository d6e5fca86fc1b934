package otel

import (
	"context"
	"testing"

	"github.com/faasprobe/faasprobe/coldstart"
	"github.com/faasprobe/faasprobe/hostinfo"
	"github.com/faasprobe/faasprobe/sandbox"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
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

// BenchmarkWrap is one warm invocation of a Wrap'd handler inside a fresh
// recording span (as under otellambda); BenchmarkColdstartWrap is the same
// under coldstart.WrapWith alone, its baseline. Both include making and
// ending the span:
//
//	cd otel && go test -run '^$' -bench 'Wrap$' -benchmem .
func BenchmarkWrap(b *testing.B) {
	tp := sdktrace.NewTracerProvider() // spans record; no processor keeps them
	tracker, _ := newTracker(coldstart.InitTypeOnDemand)
	h := Wrap(func(context.Context, int) (int, error) { return 0, nil },
		WithTracker(tracker), WithMeterProvider(sdkmetric.NewMeterProvider()), WithTracerProvider(tp))
	benchInvoke(b, tp, h)
}

func BenchmarkColdstartWrap(b *testing.B) {
	tp := sdktrace.NewTracerProvider()
	tracker, _ := newTracker(coldstart.InitTypeOnDemand)
	h := coldstart.WrapWith(tracker, func(context.Context, int) (int, error) { return 0, nil })
	benchInvoke(b, tp, h)
}

func benchInvoke(b *testing.B, tp *sdktrace.TracerProvider, h func(context.Context, int) (int, error)) {
	tracer := tp.Tracer("otellambda")
	invoke := func() {
		ctx, span := tracer.Start(context.Background(), "fn")
		defer span.End()
		if !span.IsRecording() {
			b.Fatal("the span does not record")
		}
		if _, err := h(ctx, 0); err != nil {
			b.Fatal(err)
		}
	}
	invoke() // the first, cold invocation
	b.ReportAllocs()
	for b.Loop() {
		invoke()
	}
}
