package coldstart

import (
	"context"
	"testing"
	"time"
)

// Run: go test -run '^$' -bench . -benchmem -count 5 -cpu 1,2 ./coldstart/
//
// BenchmarkClock is the floor: the one monotonic clock read Observe makes.
// Quote Observe as the clock plus its own overhead, and Wrap against
// BenchmarkBareHandler, both measured in the same run.

var sinkNs int64

func BenchmarkClock(b *testing.B) {
	epoch := time.Now()
	for b.Loop() {
		sinkNs += int64(time.Since(epoch))
	}
}

func BenchmarkObserve(b *testing.B) {
	tr := New()
	tr.Observe()
	b.ReportAllocs()
	for b.Loop() {
		sinkInv = tr.Observe()
	}
}

func BenchmarkObserveParallel(b *testing.B) {
	tr := New()
	tr.Observe()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		var local Invocation
		for pb.Next() {
			local = tr.Observe()
		}
		_ = local
	})
}

func BenchmarkObservePackage(b *testing.B) {
	Observe()
	b.ReportAllocs()
	for b.Loop() {
		sinkInv = Observe()
	}
}

// handler is the same trivial handler for the bare and wrapped runs; it is
// called through a variable so neither run inlines it.
var handler = func(ctx context.Context, in int) (int, error) { return in + 1, nil }

var sinkInt int

func BenchmarkBareHandler(b *testing.B) {
	h := handler
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		sinkInt, _ = h(ctx, 1)
	}
}

func BenchmarkWrap(b *testing.B) {
	h := WrapWith(New(), handler)
	ctx := context.Background()
	_, _ = h(ctx, 1)
	b.ReportAllocs()
	for b.Loop() {
		sinkInt, _ = h(ctx, 1)
	}
}

func BenchmarkWrapHandler(b *testing.B) {
	h := New().WrapHandler(handlerFunc(func(ctx context.Context, p []byte) ([]byte, error) { return p, nil }))
	ctx := context.Background()
	payload := []byte(`{}`)
	_, _ = h.Invoke(ctx, payload)
	b.ReportAllocs()
	for b.Loop() {
		_, _ = h.Invoke(ctx, payload)
	}
}

// BenchmarkNew is the one-time setup (reads /proc/self/stat and /proc/uptime):
// what the first use adds to the Init Duration.
func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = New()
	}
}
