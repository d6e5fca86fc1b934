package schedule

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Schedule is a validated EventBridge schedule expression.
type Schedule struct {
	expr  string
	every time.Duration // rate(); 0 for cron()
	cron  *cronSpec     // cron(); nil for rate()
}

// maxRateValue bounds a rate() value (EventBridge documents none; beyond
// this the schedule is certainly a mistake).
const maxRateValue = 1_000_000

// Parse validates an EventBridge schedule expression: rate(value unit) or
// cron(minutes hours day-of-month month day-of-week year). Surrounding
// white space is ignored; the expression itself must be exact (EventBridge
// rejects "rate(1 minutes)" and "rate(5 minute)", and so does Parse).
func Parse(expr string) (Schedule, error) {
	e := strings.TrimSpace(expr)
	switch {
	case strings.HasPrefix(e, "rate(") && strings.HasSuffix(e, ")"):
		return parseRate(e, e[len("rate("):len(e)-1])
	case strings.HasPrefix(e, "cron(") && strings.HasSuffix(e, ")"):
		c, err := parseCron(e[len("cron(") : len(e)-1])
		if err != nil {
			return Schedule{}, fmt.Errorf("schedule: %q: %w", clip(e), err)
		}
		return Schedule{expr: "cron(" + strings.Join(strings.Fields(e[len("cron("):len(e)-1]), " ") + ")", cron: c}, nil
	}
	return Schedule{}, fmt.Errorf("schedule: %q: want rate(value unit) or cron(minutes hours day-of-month month day-of-week year)", clip(e))
}

func parseRate(e, inner string) (Schedule, error) {
	f := strings.Fields(inner)
	if len(f) != 2 {
		return Schedule{}, fmt.Errorf("schedule: %q: want rate(value unit), e.g. rate(5 minutes)", clip(e))
	}
	v, err := strconv.Atoi(f[0])
	if err != nil || v < 1 || v > maxRateValue || f[0][0] == '0' || f[0][0] == '+' {
		return Schedule{}, fmt.Errorf("schedule: %q: value %q: want a whole number from 1 to %d", clip(e), clip(f[0]), maxRateValue)
	}
	var unit time.Duration
	singular := strings.TrimSuffix(f[1], "s")
	switch singular {
	case "minute":
		unit = time.Minute
	case "hour":
		unit = time.Hour
	case "day":
		unit = 24 * time.Hour
	default:
		return Schedule{}, fmt.Errorf("schedule: %q: unit %q: want minute(s), hour(s) or day(s)", clip(e), clip(f[1]))
	}
	if plural := f[1] != singular; plural == (v == 1) {
		want := singular
		if v != 1 {
			want += "s"
		}
		return Schedule{}, fmt.Errorf("schedule: %q: EventBridge wants the singular unit for 1 and the plural otherwise: rate(%d %s)", clip(e), v, want)
	}
	return Schedule{expr: "rate(" + f[0] + " " + f[1] + ")", every: time.Duration(v) * unit}, nil
}

// Every returns the rate() schedule for d, in the largest unit that divides
// it: 4m → rate(4 minutes), 1h → rate(1 hour), 48h → rate(2 days). d must
// be a whole number of minutes, at least one.
func Every(d time.Duration) (Schedule, error) {
	if d < time.Minute || d%time.Minute != 0 {
		return Schedule{}, fmt.Errorf("schedule: every %v: EventBridge rates are whole minutes, at least 1", d)
	}
	v, unit := int64(d/time.Minute), "minute"
	switch {
	case d%(24*time.Hour) == 0:
		v, unit = int64(d/(24*time.Hour)), "day"
	case d%time.Hour == 0:
		v, unit = int64(d/time.Hour), "hour"
	}
	if v > maxRateValue {
		return Schedule{}, fmt.Errorf("schedule: every %v: too long", d)
	}
	if v != 1 {
		unit += "s"
	}
	return Parse(fmt.Sprintf("rate(%d %s)", v, unit))
}

// String is the expression, with runs of spaces in a cron() made single.
func (s Schedule) String() string { return s.expr }

// IsRate reports a rate() schedule.
func (s Schedule) IsRate() bool { return s.every > 0 }

// Interval is a rate()'s period; 0 for cron().
func (s Schedule) Interval() time.Duration { return s.every }

// maxSearch bounds Next's search for a cron() firing.
const maxSearch = 5 * 366 * 24 * time.Hour

// Next returns the first firing strictly after t, in UTC (EventBridge
// evaluates cron() in UTC). A rate() fires every Interval counted from t
// itself (EventBridge counts from the rule's creation, which is unknown
// here). False when there is none within five years (a cron() whose years
// are over) or for the zero Schedule.
func (s Schedule) Next(t time.Time) (time.Time, bool) {
	switch {
	case s.every > 0:
		return t.Add(s.every), true
	case s.cron != nil:
		return s.cron.next(t.UTC(), t.UTC().Add(maxSearch))
	}
	return time.Time{}, false
}

// Count returns how many times the schedule fires in (from, to].
func (s Schedule) Count(from, to time.Time) int {
	if !to.After(from) {
		return 0
	}
	if s.every > 0 {
		return int(to.Sub(from) / s.every)
	}
	if s.cron == nil {
		return 0
	}
	n := 0
	for t := from.UTC(); ; n++ {
		next, ok := s.cron.next(t, to.UTC())
		if !ok {
			return n
		}
		t = next
	}
}

// LongestGap returns the longest time in [from, to] without a firing
// (from the start, between firings, to the end): how long a sandbox would
// have to stay warm by itself. For a rate() it is the Interval (or
// to−from if shorter).
func (s Schedule) LongestGap(from, to time.Time) time.Duration {
	if !to.After(from) {
		return 0
	}
	if s.every > 0 {
		return min(s.every, to.Sub(from))
	}
	if s.cron == nil {
		return to.Sub(from)
	}
	longest := time.Duration(0)
	prev := from.UTC()
	for {
		next, ok := s.cron.next(prev, to.UTC())
		if !ok {
			return max(longest, to.Sub(prev))
		}
		longest = max(longest, next.Sub(prev))
		prev = next
	}
}

// errCron wraps every cron() syntax error.
var errCron = errors.New("invalid cron expression")

func clip(s string) string {
	if len(s) > 100 {
		return s[:100] + "…"
	}
	return s
}
