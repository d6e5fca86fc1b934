package schedule

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// cronSpec is a parsed cron(): sets of allowed values per field, and the
// one day field in use (the other is "?").
type cronSpec struct {
	minutes, hours, months bits // months 1–12
	years                  yearBits
	dom                    *domSpec // nil when the day-of-month field is "?"
	dow                    *dowSpec // nil when the day-of-week field is "?"
}

// bits is a set of small numbers (0–63).
type bits uint64

func (b bits) has(v int) bool { return v >= 0 && v < 64 && b&(1<<v) != 0 }

// yearBits is the set of years 1970–2199.
type yearBits [4]uint64

const minYear, maxYear = 1970, 2199

func (y *yearBits) set(v int) { i := v - minYear; y[i/64] |= 1 << (i % 64) }
func (y *yearBits) has(v int) bool {
	if v < minYear || v > maxYear {
		return false
	}
	i := v - minYear
	return y[i/64]&(1<<(i%64)) != 0
}

// domSpec is the day-of-month field: a set, or one of the specials.
type domSpec struct {
	days        bits // 1–31, when no special
	last        bool // L: the last day of the month
	lastWeekday bool // LW: the last weekday (Mon–Fri) of the month
	nearest     int  // nW: the weekday nearest day n, within the month; 0 if unused
}

// dowSpec is the day-of-week field (1 = SUN … 7 = SAT): a set, or one of
// the specials.
type dowSpec struct {
	days bits // 1–7, when no special (L alone is SAT: days = {7})
	last int  // nL: the last day n of the month; 0 if unused
	nth  int  // n#k: the k-th day n of the month (k in nthK); 0 if unused
	nthK int
}

// field describes one cron() field.
type field struct {
	name     string
	min, max int
	names    []string // names for min, min+1, … (months, weekdays)
}

var (
	fMinutes = field{name: "minutes", min: 0, max: 59}
	fHours   = field{name: "hours", min: 0, max: 23}
	fDOM     = field{name: "day-of-month", min: 1, max: 31}
	fMonths  = field{name: "month", min: 1, max: 12, names: []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}}
	fDOW     = field{name: "day-of-week", min: 1, max: 7, names: []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}}
	fYears   = field{name: "year", min: minYear, max: maxYear}
)

// parseCron parses the six fields of a cron() (EventBridge rules, "Cron
// expressions" in the EventBridge user guide): minutes 0–59, hours 0–23,
// day-of-month 1–31 (also ? L LW nW), month 1–12 or JAN–DEC, day-of-week
// 1–7 or SUN–SAT (also ? L nL n#k), year 1970–2199; lists (,), ranges (-),
// steps (/) and * everywhere; exactly one of the two day fields must be ?.
func parseCron(s string) (*cronSpec, error) {
	f := strings.Fields(s)
	if len(f) != 6 {
		return nil, fmt.Errorf("%w: %d fields; want 6: minutes hours day-of-month month day-of-week year", errCron, len(f))
	}
	c := &cronSpec{}
	var err error
	if c.minutes, err = parseList(f[0], fMinutes); err != nil {
		return nil, err
	}
	if c.hours, err = parseList(f[1], fHours); err != nil {
		return nil, err
	}
	if c.months, err = parseList(f[3], fMonths); err != nil {
		return nil, err
	}
	if err = parseYears(f[5], &c.years); err != nil {
		return nil, err
	}
	switch domQ, dowQ := f[2] == "?", f[4] == "?"; {
	case domQ && dowQ:
		return nil, fmt.Errorf("%w: day-of-month and day-of-week are both ?; exactly one must be", errCron)
	case !domQ && !dowQ:
		return nil, fmt.Errorf("%w: day-of-month %q and day-of-week %q are both set; one of them must be ?", errCron, clip(f[2]), clip(f[4]))
	case dowQ:
		c.dom, err = parseDOM(f[2])
	default:
		c.dow, err = parseDOW(f[4])
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

// parseList parses a field of numbers (or names): items separated by
// commas, each *, n, a-b, with an optional /step (*/5, 10/15, 1-30/2).
func parseList(s string, fd field) (bits, error) {
	var b bits
	err := eachItem(s, fd, func(v int) { b |= 1 << v })
	return b, err
}

func parseYears(s string, y *yearBits) error {
	return eachItem(s, fYears, y.set)
}

// eachItem calls set for every value the field's list allows.
func eachItem(s string, fd field, set func(int)) error {
	if s == "" {
		return fmt.Errorf("%w: empty %s field", errCron, fd.name)
	}
	for item := range strings.SplitSeq(s, ",") {
		lo, hi, step, err := parseItem(item, fd)
		if err != nil {
			return err
		}
		for v := lo; v <= hi; v += step {
			set(v)
		}
	}
	return nil
}

// parseItem parses one list item into lo…hi by step.
func parseItem(item string, fd field) (lo, hi, step int, err error) {
	bad := func(why string) error {
		return fmt.Errorf("%w: %s field item %q: %s", errCron, fd.name, clip(item), why)
	}
	rng, stepStr, hasStep := strings.Cut(item, "/")
	step = 1
	if hasStep {
		step, err = strconv.Atoi(stepStr)
		if err != nil || step < 1 || step > fd.max-fd.min+1 || !isDigits(stepStr) {
			return 0, 0, 0, bad(fmt.Sprintf("step %q: want 1 to %d", clip(stepStr), fd.max-fd.min+1))
		}
	}
	switch {
	case rng == "*":
		return fd.min, fd.max, step, nil
	case strings.Contains(rng, "-"):
		a, z, _ := strings.Cut(rng, "-")
		if lo, err = fd.value(a); err != nil {
			return 0, 0, 0, bad(err.Error())
		}
		if hi, err = fd.value(z); err != nil {
			return 0, 0, 0, bad(err.Error())
		}
		if lo > hi {
			return 0, 0, 0, bad("range runs backwards")
		}
		return lo, hi, step, nil
	}
	if lo, err = fd.value(rng); err != nil {
		return 0, 0, 0, bad(err.Error())
	}
	if hasStep { // n/step: n, n+step, … to the field's end
		return lo, fd.max, step, nil
	}
	return lo, lo, 1, nil
}

// value reads a number or (for months and weekdays) a three-letter name,
// case-insensitively.
func (fd field) value(s string) (int, error) {
	for i, n := range fd.names {
		if strings.EqualFold(s, n) {
			return fd.min + i, nil
		}
	}
	v, err := strconv.Atoi(s)
	if err != nil || !isDigits(s) {
		if fd.names != nil {
			return 0, fmt.Errorf("%q is not a number from %d to %d or a name %s–%s", clip(s), fd.min, fd.max, fd.names[0], fd.names[len(fd.names)-1])
		}
		return 0, fmt.Errorf("%q is not a number from %d to %d", clip(s), fd.min, fd.max)
	}
	if v < fd.min || v > fd.max {
		return 0, fmt.Errorf("%d is outside %d–%d", v, fd.min, fd.max)
	}
	return v, nil
}

func isDigits(s string) bool {
	if s == "" || len(s) > 6 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseDOM parses the day-of-month field: a list, or one of L, LW, nW
// (alone: EventBridge does not allow them in lists or ranges).
func parseDOM(s string) (*domSpec, error) {
	d := &domSpec{}
	switch {
	case s == "L":
		d.last = true
	case s == "LW":
		d.lastWeekday = true
	case strings.HasSuffix(s, "W"):
		v, err := fDOM.value(strings.TrimSuffix(s, "W"))
		if err != nil {
			return nil, fmt.Errorf("%w: day-of-month %q: W needs one day before it (15W): %v", errCron, clip(s), err)
		}
		d.nearest = v
	case strings.ContainsAny(s, "LW"):
		return nil, fmt.Errorf("%w: day-of-month %q: L, LW and nW stand alone", errCron, clip(s))
	default:
		var err error
		if d.days, err = parseList(s, fDOM); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// parseDOW parses the day-of-week field: a list, or one of L (the last day
// of the week, SAT), nL (the last day n of the month, as in Quartz), n#k
// (the k-th day n of the month, k 1–5).
func parseDOW(s string) (*dowSpec, error) {
	d := &dowSpec{}
	switch {
	case s == "L":
		d.days = 1 << 7
	case strings.HasSuffix(s, "L"):
		v, err := fDOW.value(strings.TrimSuffix(s, "L"))
		if err != nil {
			return nil, fmt.Errorf("%w: day-of-week %q: nL needs one day before it (6L, FRIL): %v", errCron, clip(s), err)
		}
		d.last = v
	case strings.Contains(s, "#"):
		a, k, _ := strings.Cut(s, "#")
		v, err := fDOW.value(a)
		if err != nil {
			return nil, fmt.Errorf("%w: day-of-week %q: %v", errCron, clip(s), err)
		}
		n, err := strconv.Atoi(k)
		if err != nil || n < 1 || n > 5 || !isDigits(k) {
			return nil, fmt.Errorf("%w: day-of-week %q: the number after # must be 1 to 5", errCron, clip(s))
		}
		d.nth, d.nthK = v, n
	default:
		var err error
		if d.days, err = parseList(s, fDOW); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// dayMatches reports whether the date (y, m, day) fires.
func (c *cronSpec) dayMatches(y int, m time.Month, day int) bool {
	last := daysIn(y, m)
	wd := int(time.Date(y, m, day, 0, 0, 0, 0, time.UTC).Weekday()) // 0 = Sunday
	if c.dom != nil {
		d := c.dom
		switch {
		case d.last:
			return day == last
		case d.lastWeekday:
			return day == lastWeekday(y, m, last)
		case d.nearest > 0:
			return d.nearest <= last && day == nearestWeekday(y, m, d.nearest, last)
		}
		return d.days.has(day)
	}
	d := c.dow
	switch {
	case d.last > 0:
		return wd+1 == d.last && day+7 > last
	case d.nth > 0:
		return wd+1 == d.nth && (day-1)/7+1 == d.nthK
	}
	return d.days.has(wd + 1)
}

func daysIn(y int, m time.Month) int { return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day() }

// lastWeekday is the last Monday–Friday of the month.
func lastWeekday(y int, m time.Month, last int) int {
	for d := last; ; d-- {
		if wd := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Weekday(); wd != time.Saturday && wd != time.Sunday {
			return d
		}
	}
}

// nearestWeekday is Quartz's nW: day n if a weekday; a Saturday moves to
// the Friday before and a Sunday to the Monday after, without leaving the
// month (1W on a Saturday is Monday the 3rd; 31W on a Sunday is Friday the
// 29th).
func nearestWeekday(y int, m time.Month, n, last int) int {
	switch time.Date(y, m, n, 0, 0, 0, 0, time.UTC).Weekday() {
	case time.Saturday:
		if n == 1 {
			return 3
		}
		return n - 1
	case time.Sunday:
		if n == last {
			return n - 2
		}
		return n + 1
	}
	return n
}

// next returns the first firing strictly after t and not after limit (UTC).
func (c *cronSpec) next(t, limit time.Time) (time.Time, bool) {
	t = t.Truncate(time.Minute).Add(time.Minute)
	for !t.After(limit) {
		y, m, d := t.Date()
		switch {
		case y > maxYear:
			return time.Time{}, false
		case !c.years.has(y):
			t = time.Date(y+1, 1, 1, 0, 0, 0, 0, time.UTC)
		case !c.months.has(int(m)):
			t = time.Date(y, m+1, 1, 0, 0, 0, 0, time.UTC)
		case !c.dayMatches(y, m, d):
			t = time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC)
		case !c.hours.has(t.Hour()):
			t = time.Date(y, m, d, t.Hour()+1, 0, 0, 0, time.UTC)
		case !c.minutes.has(t.Minute()):
			t = t.Add(time.Minute)
		default:
			return t, true
		}
	}
	return time.Time{}, false
}
