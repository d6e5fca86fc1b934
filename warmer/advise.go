package warmer

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// The hybrid histogram policy of Shahrad et al., "Serverless in the Wild:
// Characterizing and Optimizing the Serverless Workload at a Large Cloud
// Provider" (USENIX ATC 2020): an idle-time histogram of 1-minute bins over
// 4 hours; pre-warm at the 5th percentile less 10%, keep alive to the 99th
// percentile plus 10%; a histogram whose bin counts have a coefficient of
// variation below 2 is not representative and the fixed 4-hour keep-alive
// is used instead; when most idle times fall beyond the 4 hours the paper
// forecasts them (ARIMA), which Advise does not.
const (
	adviseBin      = time.Minute
	adviseRange    = 4 * time.Hour
	adviseBins     = int(adviseRange / adviseBin)
	adviseHead     = 0.05
	adviseTail     = 0.99
	adviseMargin   = 0.10
	adviseCV       = 2.0
	adviseOOBShare = 0.5 // "most" idle times out of bounds (as dslab's implementation of the policy)
)

// Advice policies.
const (
	// PolicyHistogram: the histogram is representative; PreWarm and
	// KeepAlive come from its 5th and 99th percentiles.
	PolicyHistogram = "histogram"
	// PolicyFixed: the histogram is not representative (CV < 2); keep warm
	// for the whole 4 hours after each invocation.
	PolicyFixed = "fixed"
	// PolicyOutOfBounds: most idle times exceed 4 hours; periodic pings are
	// not worth it.
	PolicyOutOfBounds = "out-of-bounds"
	// PolicyTooFew: too few idle times to judge.
	PolicyTooFew = "too-few-samples"
)

// AdviceConfig tunes Advise. The zero value takes the defaults.
type AdviceConfig struct {
	// PlatformKeepAlive is how long the platform keeps an idle sandbox
	// warm by itself. At least 2 minutes. Default: 5m (the shortest idle
	// reclaim measured on Lambda; 5–15 min were seen).
	PlatformKeepAlive time.Duration
	// Interval is the ping interval while warming, in whole minutes, below
	// PlatformKeepAlive. Default: 4m (or PlatformKeepAlive − 1 min if less).
	Interval time.Duration
	// MinIdleTimes is the fewest idle times worth judging. Default: 10.
	MinIdleTimes int
}

// Advice is Advise's answer: whether to ping, when, and why.
type Advice struct {
	// Worth: pinging as advised avoids cold starts the platform's own
	// keep-alive does not (ColdShareWith < ColdShareWithout).
	Worth bool `json:"worth"`
	// Policy is one of the Policy* constants.
	Policy string `json:"policy"`
	// Reason explains Worth and Policy in one or two sentences, with the
	// numbers.
	Reason string `json:"reason"`
	// Interval is the ping interval; 0 when not worth it. JSON:
	// "interval_s", seconds.
	Interval time.Duration `json:"-"`
	// PreWarm and KeepAlive bound the warming window, measured from each
	// invocation: ping every Interval from PreWarm to KeepAlive after it
	// (the paper measures its keep-alive window from the pre-warm instant;
	// the window's end is the same). Both 0 when not worth it. JSON:
	// "pre_warm_s" and "keep_alive_s", seconds.
	PreWarm   time.Duration `json:"-"`
	KeepAlive time.Duration `json:"-"`

	// IdleTimes is the number of gaps between consecutive invocations
	// (inter-arrival times: durations are not known).
	IdleTimes int `json:"idle_times"`
	// OutOfBounds counts idle times of 4 hours or more; OutOfBoundsShare is
	// their share of IdleTimes.
	OutOfBounds      int     `json:"out_of_bounds"`
	OutOfBoundsShare float64 `json:"out_of_bounds_share"`
	// CV is the coefficient of variation of the 240 bin counts.
	CV float64 `json:"cv"`
	// ColdShareWithout is the share of idle times longer than
	// PlatformKeepAlive (each ends in a cold start without pings);
	// ColdShareWith the share that still does with the advised pings.
	ColdShareWithout float64 `json:"cold_share_without"`
	ColdShareWith    float64 `json:"cold_share_with"`
	// PingsPerIdleTime is the mean number of pings the advised window sends
	// per idle time; AlwaysOnPingsPerIdleTime the same for pinging every
	// Interval around the clock (a plain rate() schedule).
	PingsPerIdleTime         float64 `json:"pings_per_idle_time"`
	AlwaysOnPingsPerIdleTime float64 `json:"always_on_pings_per_idle_time"`
}

// Advise applies the hybrid histogram policy to observed invocation
// timestamps (any order; e.g. from the fleet's logs) and says whether
// keep-warm pings are worth it for one sandbox, and when to send them. It
// is a pure function: the same input gives the same advice.
func Advise(invocations []time.Time, cfg AdviceConfig) Advice {
	keep := cfg.PlatformKeepAlive
	if keep == 0 {
		keep = 5 * time.Minute
	}
	keep = max(keep, 2*time.Minute)
	interval := cfg.Interval
	if interval <= 0 {
		interval = DefaultEvery
	}
	interval = min(interval, keep-time.Minute).Truncate(time.Minute)
	interval = max(interval, time.Minute)
	minIdle := cfg.MinIdleTimes
	if minIdle <= 0 {
		minIdle = 10
	}

	ts := slices.Clone(invocations)
	slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
	var idle []time.Duration
	for i := 1; i < len(ts); i++ {
		idle = append(idle, ts[i].Sub(ts[i-1]))
	}
	a := Advice{IdleTimes: len(idle)}
	if len(idle) < minIdle {
		a.Policy = PolicyTooFew
		a.Reason = fmt.Sprintf("only %d idle times (from %d invocations); at least %d are needed to judge", len(idle), len(ts), minIdle)
		return a
	}

	var bins [adviseBins]int
	for _, g := range idle {
		if b := int(g / adviseBin); b < adviseBins {
			bins[b]++
		} else {
			a.OutOfBounds++
		}
	}
	n := float64(len(idle))
	inBounds := len(idle) - a.OutOfBounds
	a.OutOfBoundsShare = float64(a.OutOfBounds) / n
	a.CV = binCV(bins[:], inBounds)
	without := 0
	for _, g := range idle {
		if g > keep {
			without++
		}
	}
	a.ColdShareWithout = float64(without) / n
	a.AlwaysOnPingsPerIdleTime = meanPings(idle, interval, math.MaxInt64, interval)

	switch {
	case a.OutOfBoundsShare >= adviseOOBShare:
		a.Policy = PolicyOutOfBounds
		a.Reason = fmt.Sprintf("%.0f%% of idle times are 4 h or longer: pings would run for hours per invocation (%.0f per idle time around the clock); the paper forecasts such gaps (ARIMA), which is not done here: accept the cold starts, or pre-warm at known times",
			100*a.OutOfBoundsShare, a.AlwaysOnPingsPerIdleTime)
		return a
	case a.CV < adviseCV:
		a.Policy = PolicyFixed
		a.PreWarm, a.KeepAlive = 0, adviseRange
	default:
		a.Policy = PolicyHistogram
		head, tail := percentileBin(bins[:], inBounds, adviseHead), percentileBin(bins[:], inBounds, adviseTail)
		a.PreWarm = time.Duration(float64(time.Duration(head)*adviseBin) * (1 - adviseMargin))
		a.KeepAlive = time.Duration(float64(time.Duration(tail+1)*adviseBin) * (1 + adviseMargin))
	}

	// The window's pings: the first at PreWarm (not before Interval: the
	// sandbox lives that long anyway), then every Interval up to KeepAlive.
	// A gap ends warm if it is within the platform's keep-alive, or falls
	// between the first ping and the platform's keep-alive after the last.
	first := max(a.PreWarm, interval)
	last := first + max(a.KeepAlive-first, 0)/interval*interval
	with := 0
	for _, g := range idle {
		if g > keep && (g < first || g > last+keep) {
			with++
		}
	}
	a.ColdShareWith = float64(with) / n
	a.PingsPerIdleTime = meanPings(idle, first, last, interval)
	a.Worth = with < without

	how := fmt.Sprintf("the histogram is not representative (CV %.2f < 2): the fixed policy keeps warm for 4 h after each invocation", a.CV)
	if a.Policy == PolicyHistogram {
		how = fmt.Sprintf("the histogram is representative (CV %.2f ≥ 2): warm from its 5th percentile −10%% to its 99th +10%%", a.CV)
	}
	if !a.Worth {
		a.Reason = fmt.Sprintf("%s, but that avoids no cold start: %.0f%% of idle times exceed the platform's own keep-alive (%v) with or without pings", how, 100*a.ColdShareWithout, keep)
		a.PreWarm, a.KeepAlive = 0, 0
		a.PingsPerIdleTime = 0
		return a
	}
	a.Interval = interval
	a.Reason = fmt.Sprintf("%s: ping every %v from %v to %v after each invocation; cold starts fall from %.1f%% to %.1f%% of idle times at %.1f pings per idle time (%.1f when pinging around the clock)",
		how, interval, a.PreWarm.Round(time.Second), a.KeepAlive.Round(time.Second), 100*a.ColdShareWithout, 100*a.ColdShareWith, a.PingsPerIdleTime, a.AlwaysOnPingsPerIdleTime)
	return a
}

// binCV is the coefficient of variation of the bin counts (sample standard
// deviation over the mean); 0 when no idle time is in bounds.
func binCV(bins []int, total int) float64 {
	if total == 0 {
		return 0
	}
	mean := float64(total) / float64(len(bins))
	var ss float64
	for _, c := range bins {
		d := float64(c) - mean
		ss += d * d
	}
	return math.Sqrt(ss/float64(len(bins)-1)) / mean
}

// percentileBin is the first bin whose cumulative count reaches share p of
// total.
func percentileBin(bins []int, total int, p float64) int {
	cum := 0
	for i, c := range bins {
		cum += c
		if float64(cum) >= p*float64(total) {
			return i
		}
	}
	return len(bins) - 1
}

// meanPings is the mean number of pings sent in each idle time when pinging
// at first, first+interval, … up to last (math.MaxInt64: no end) after an
// invocation, counting those before the idle time ends.
func meanPings(idle []time.Duration, first, last, interval time.Duration) float64 {
	var sum float64
	for _, g := range idle {
		if g <= first {
			continue
		}
		k := (g-first-1)/interval + 1 // pings strictly before g
		if last != math.MaxInt64 {
			k = min(k, (last-first)/interval+1)
		}
		sum += float64(k)
	}
	return sum / float64(len(idle))
}
