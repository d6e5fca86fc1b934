package warmer

import (
	"context"
	"encoding/json"
	"testing"
)

// Recognition of a non-ping must cost ≤ 2% of decoding the same payload
// into map[string]any. Run both in the same process:
//
//	go test -run '^$' -bench 'Recognize|UnmarshalMap|Wrap|Bare' -benchmem ./warmer

// payloadCases are the non-ping payloads of the benchmarks.
func payloadCases(b *testing.B) []struct {
	name    string
	payload []byte
} {
	return []struct {
		name    string
		payload []byte
	}{
		{"1KB", event1KB(b)},
		{"100KB", event100KB(b)},
	}
}

// benchCtx is an invocation context as aws-lambda-go builds it (no client
// context), so that the client-context lookup is part of the cost.
var benchCtx = lambdaCtx("arn:aws:lambda:us-east-1:123456789012:function:bench", nil)

func BenchmarkRecognize(b *testing.B) {
	for _, c := range payloadCases(b) {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.payload)))
			for b.Loop() {
				if _, ok := recognize(benchCtx, c.payload); ok {
					b.Fatal("recognised a non-ping")
				}
			}
		})
	}
}

func BenchmarkUnmarshalMap(b *testing.B) {
	for _, c := range payloadCases(b) {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.payload)))
			for b.Loop() {
				var m map[string]any
				if err := json.Unmarshal(c.payload, &m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRecognizePing is the cost of answering-side recognition of a
// real ping (decoded): paid only by pings.
func BenchmarkRecognizePing(b *testing.B) {
	p := concurrentPing(2, 3, "0123456789abcdef")
	for b.Loop() {
		if _, ok := recognize(benchCtx, p); !ok {
			b.Fatal("not recognised")
		}
	}
}

// nop is the cheapest possible user handler.
type nop struct{}

func (nop) Invoke(_ context.Context, p []byte) ([]byte, error) { return p, nil }

// BenchmarkBare and BenchmarkWrap: a 1 KB non-ping through a bare handler
// and through Wrap (recognition, one Observe on Wrap's tracker, one atomic).
func BenchmarkBare(b *testing.B) {
	p := event1KB(b)
	var h nop
	for b.Loop() {
		_, _ = h.Invoke(benchCtx, p)
	}
}

func BenchmarkWrap(b *testing.B) {
	p := event1KB(b)
	h := Wrap(nop{}, WithTracker(quietTracker(b)), WithSandbox(sb("sb")))
	b.ReportAllocs()
	for b.Loop() {
		_, _ = h.Invoke(benchCtx, p)
	}
}
