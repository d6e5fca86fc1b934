package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestQuantile(t *testing.T) {
	t.Parallel()
	ds := []time.Duration{40, 10, 30, 20} // unsorted on purpose
	tests := []struct {
		name string
		in   []time.Duration
		q    float64
		want time.Duration
	}{
		{"empty", nil, 0.5, 0},
		{"one", []time.Duration{7}, 0.9, 7},
		{"min", ds, 0, 10},
		{"max", ds, 1, 40},
		{"median of four interpolates", ds, 0.5, 25},
		{"p90", ds, 0.9, 37},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, quantile(tt.in, tt.q))
		})
	}
	assert.Equal(t, []time.Duration{40, 10, 30, 20}, ds, "the input is not reordered")
	assert.Equal(t, "1.500", ms(1500*time.Microsecond))
}
