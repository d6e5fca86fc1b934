package fleet

import (
	"math"
	"slices"
)

// Dist summarises a distribution. Percentiles are nearest-rank: the value
// at rank ceil(p/100 × N) of the sorted values, so every figure is an
// observed value. Zero N means no values (then every field is 0).
type Dist struct {
	N    int64   `json:"n"`
	Min  float64 `json:"min"`
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
	Mean float64 `json:"mean"`
	// Sampled: the percentiles come from a uniform sample of the values
	// (more than the reservoir holds were seen); N, Min, Max and Mean are
	// exact.
	Sampled bool `json:"sampled,omitempty"`
}

// summarize sorts v in place and summarises it.
func summarize(v []float64) Dist {
	if len(v) == 0 {
		return Dist{}
	}
	slices.Sort(v)
	sum := 0.0
	for _, x := range v {
		sum += x
	}
	return Dist{
		N: int64(len(v)), Min: v[0], Max: v[len(v)-1], Mean: sum / float64(len(v)),
		P50: rank(v, 50), P90: rank(v, 90), P99: rank(v, 99),
	}
}

// rank is the nearest-rank percentile of sorted v.
func rank(v []float64, p float64) float64 {
	i := int(math.Ceil(p/100*float64(len(v)))) - 1
	return v[min(max(i, 0), len(v)-1)]
}

// reservoir keeps a uniform sample of at most cap values (Vitter's
// algorithm R, with a fixed-seed generator so results are reproducible)
// plus exact count, min, max and sum.
type reservoir struct {
	vals     []float64
	cap      int
	n        int64
	min, max float64
	sum      float64
	rng      uint64
}

func newReservoir(cap int) reservoir {
	return reservoir{cap: cap, rng: 0x9E3779B97F4A7C15}
}

func (r *reservoir) add(x float64) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return
	}
	r.n++
	r.sum += x
	if r.n == 1 || x < r.min {
		r.min = x
	}
	if r.n == 1 || x > r.max {
		r.max = x
	}
	if len(r.vals) < r.cap {
		r.vals = append(r.vals, x)
		return
	}
	if j := r.next() % uint64(r.n); j < uint64(r.cap) {
		r.vals[j] = x
	}
}

// next is splitmix64.
func (r *reservoir) next() uint64 {
	r.rng += 0x9E3779B97F4A7C15
	z := r.rng
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

func (r *reservoir) dist() Dist {
	if r.n == 0 {
		return Dist{}
	}
	d := summarize(slices.Clone(r.vals))
	d.N, d.Min, d.Max, d.Mean = r.n, r.min, r.max, r.sum/float64(r.n)
	d.Sampled = r.n > int64(len(r.vals))
	return d
}
