//go:build !race

package warmer

import (
	"encoding/json"
	"testing"
)

// TestRecognizeCostRatio checks the bar in one run: recognising a
// non-ping costs at most 2% of json.Unmarshal of the same payload into
// map[string]any. Not under -race (it distorts both sides) nor -short.
func TestRecognizeCostRatio(t *testing.T) {
	if testing.Short() {
		t.Skip("timing test")
	}
	for _, c := range []struct {
		name    string
		payload []byte
	}{{"1KB", event1KB(t)}, {"100KB", event100KB(t)}} {
		t.Run(c.name, func(t *testing.T) {
			rec := testing.Benchmark(func(b *testing.B) {
				for b.Loop() {
					recognize(benchCtx, c.payload)
				}
			})
			dec := testing.Benchmark(func(b *testing.B) {
				for b.Loop() {
					var m map[string]any
					_ = json.Unmarshal(c.payload, &m)
				}
			})
			ratio := float64(rec.NsPerOp()) / float64(dec.NsPerOp())
			t.Logf("%s: recognize %d ns/op, unmarshal into map %d ns/op: %.3f%%", c.name, rec.NsPerOp(), dec.NsPerOp(), 100*ratio)
			if ratio > 0.02 {
				t.Errorf("recognition costs %.2f%% of json.Unmarshal; the bar is 2%%", 100*ratio)
			}
		})
	}
}
