package fleet

import "time"

// Option adjusts an Analyzer.
type Option interface{ apply(*config) }

type config struct {
	bin          time.Duration
	maxSandboxes int
	maxBins      int
	progress     func(Progress)
	progressStep time.Duration

	stealThreshold float64 // WithStealThreshold, if stealSet
	stealSet       bool
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// Defaults.
const (
	DefaultBin          = 5 * time.Minute
	DefaultMaxSandboxes = 250_000
	// DefaultMaxBins bounds the time series: when the input spans more
	// bins, the bin width doubles (and the results say so).
	DefaultMaxBins = 20_000
	// defaultProgressStep is the least time between two progress calls.
	defaultProgressStep = 200 * time.Millisecond
)

// WithBin sets the width of the time bins of the cold-start and host
// series; values under a second are taken as a second. Default: DefaultBin
// (5 minutes).
func WithBin(d time.Duration) Option {
	return optionFunc(func(c *config) { c.bin = max(d, time.Second) })
}

// WithMaxSandboxes caps the sandboxes tracked one by one (about 0.5 KB of
// live state each, with their VM and request-id join; ~1 KB of RSS). Lines of sandboxes beyond the cap still count in the totals, and
// the results say how many were left out. Default: DefaultMaxSandboxes.
func WithMaxSandboxes(n int) Option {
	return optionFunc(func(c *config) { c.maxSandboxes = max(n, 1) })
}

// WithMaxBins caps the number of time bins (the bin width doubles beyond).
// Default: DefaultMaxBins.
func WithMaxBins(n int) Option {
	return optionFunc(func(c *config) { c.maxBins = max(n, 2) })
}

// WithProgress calls fn while an input is read, at most every 200 ms and
// once when each input ends (Progress.Done). It is called on the reading
// goroutine: keep it quick. Default: none.
func WithProgress(fn func(Progress)) Option {
	return optionFunc(func(c *config) { c.progress = fn })
}

// Progress is how far the reading of one input has come.
type Progress struct {
	Input string // the input's name
	Bytes int64  // bytes read so far (compressed bytes for a gzip input)
	Size  int64  // the input's size in bytes; ≤ 0 if unknown (stdin)
	Lines int64  // lines (or events) read so far, all inputs
	Done  bool   // the input has been read to its end
}
