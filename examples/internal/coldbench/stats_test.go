package main

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func ms(f float64) time.Duration { return time.Duration(math.Round(f * float64(time.Millisecond))) }

func TestSummarize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   []time.Duration
		want summary
	}{
		{name: "empty", in: nil, want: summary{}},
		{name: "one", in: []time.Duration{ms(3)}, want: summary{N: 1, Min: ms(3), Median: ms(3), P90: ms(3), Max: ms(3)}},
		{
			name: "odd count, unsorted",
			in:   []time.Duration{ms(5), ms(1), ms(3)},
			want: summary{N: 3, Min: ms(1), Median: ms(3), P90: ms(4.6), Max: ms(5)},
		},
		{
			name: "even count: median is the mean of the middle two",
			in:   []time.Duration{ms(4), ms(1), ms(2), ms(10)},
			want: summary{N: 4, Min: ms(1), Median: ms(3), P90: ms(8.2), Max: ms(10)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := slices.Clone(tt.in)
			assert.Equal(t, tt.want, summarize(tt.in))
			assert.Equal(t, in, tt.in, "input left unsorted")
		})
	}
}

func TestQuantileBounds(t *testing.T) {
	t.Parallel()
	s := []time.Duration{ms(1), ms(2), ms(3)}
	assert.Equal(t, ms(1), quantile(s, -1))
	assert.Equal(t, ms(1), quantile(s, 0))
	assert.Equal(t, ms(3), quantile(s, 1))
	assert.Equal(t, ms(3), quantile(s, 7))
	assert.Zero(t, quantile(nil, 0.5))
}

func TestPairedDiffs(t *testing.T) {
	t.Parallel()
	a := []time.Duration{ms(5), ms(7), ms(9)}
	b := []time.Duration{ms(4), ms(8)}
	assert.Equal(t, []time.Duration{ms(1), ms(-1)}, pairedDiffs(a, b))
	assert.Empty(t, pairedDiffs(nil, b))
}

func FuzzSummarize(f *testing.F) {
	f.Add(int64(1), int64(2), int64(3), int64(-4))
	f.Fuzz(func(t *testing.T, a, b, c, d int64) {
		in := []time.Duration{time.Duration(a) >> 2, time.Duration(b) >> 2, time.Duration(c) >> 2, time.Duration(d) >> 2}
		s := summarize(in)
		assert.Equal(t, 4, s.N)
		assert.LessOrEqual(t, s.Min, s.Median)
		assert.LessOrEqual(t, s.Median, s.P90)
		assert.LessOrEqual(t, s.P90, s.Max)
	})
}
