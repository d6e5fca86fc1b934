package jsontest

import (
	"math"
	"testing"
)

// recorder is the test's testing.TB, except that it records a failure
// (assert's Errorf, require's FailNow) instead of failing the test.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Helper()               {}
func (r *recorder) Errorf(string, ...any) { r.failed = true }
func (r *recorder) FailNow()              { r.failed = true; panic(r) }

// lossy reads back as something else: its JSON does not survive.
type lossy struct{ N int }

func (l lossy) MarshalJSON() ([]byte, error) { return []byte{'0' + byte(l.N%10)}, nil }
func (l *lossy) UnmarshalJSON([]byte) error  { l.N = 7; return nil }

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		run      func(tb testing.TB)
		wantFail bool
	}{
		{"struct", func(tb testing.TB) { RoundTrip(tb, struct{ A string }{"x\x1b"}) }, false},
		{"map", func(tb testing.TB) { RoundTrip(tb, map[string]float64{"a": 1.5}) }, false},
		{"NaN does not marshal", func(tb testing.TB) { RoundTrip(tb, math.NaN()) }, true},
		{"a value that reads back as another", func(tb testing.TB) { RoundTrip(tb, lossy{N: 3}) }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := &recorder{TB: t}
			func() {
				defer func() {
					if p := recover(); p != nil && p != r {
						panic(p)
					}
				}()
				tt.run(r)
			}()
			if r.failed != tt.wantFail {
				t.Errorf("failed = %v, want %v", r.failed, tt.wantFail)
			}
		})
	}
}
