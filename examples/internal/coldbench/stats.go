package main

import (
	"math"
	"slices"
	"time"
)

// summary of one series of durations.
type summary struct {
	N      int           `json:"n"`
	Min    time.Duration `json:"min_ns"`
	Median time.Duration `json:"median_ns"`
	P90    time.Duration `json:"p90_ns"`
	Max    time.Duration `json:"max_ns"`
}

// summarize returns the order statistics of ds (zero for an empty series).
func summarize(ds []time.Duration) summary {
	if len(ds) == 0 {
		return summary{}
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return summary{
		N:      len(s),
		Min:    s[0],
		Median: median(s),
		P90:    quantile(s, 0.9),
		Max:    s[len(s)-1],
	}
}

// median of sorted s: the mean of the two middle values for an even count.
func median(s []time.Duration) time.Duration {
	n := len(s)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return s[n/2]
	}
	return s[n/2-1] + (s[n/2]-s[n/2-1])/2
}

// quantile of sorted s by linear interpolation between closest ranks
// (type 7, as numpy and R's default); q is clamped to [0, 1].
func quantile(s []time.Duration, q float64) time.Duration {
	n := len(s)
	if n == 0 {
		return 0
	}
	q = math.Max(0, math.Min(1, q))
	pos := q * float64(n-1)
	lo := int(math.Floor(pos))
	hi := int(math.Ceil(pos))
	frac := pos - float64(lo)
	return s[lo] + time.Duration(math.Round(frac*float64(s[hi]-s[lo])))
}

// pairedDiffs returns a[i]-b[i] for the pairs both series have.
func pairedDiffs(a, b []time.Duration) []time.Duration {
	n := min(len(a), len(b))
	d := make([]time.Duration, n)
	for i := range n {
		d[i] = a[i] - b[i]
	}
	return d
}
