package schedule

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseValid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, norm string
		every    time.Duration
	}{
		{in: "rate(1 minute)", norm: "rate(1 minute)", every: time.Minute},
		{in: "rate(4 minutes)", norm: "rate(4 minutes)", every: 4 * time.Minute},
		{in: "  rate(1 hour) ", norm: "rate(1 hour)", every: time.Hour},
		{in: "rate(12 hours)", norm: "rate(12 hours)", every: 12 * time.Hour},
		{in: "rate(1 day)", norm: "rate(1 day)", every: 24 * time.Hour},
		{in: "rate(7 days)", norm: "rate(7 days)", every: 7 * 24 * time.Hour},
		{in: "cron(0/4 * * * ? *)", norm: "cron(0/4 * * * ? *)"},
		{in: "cron(0  12 * *  ? *)", norm: "cron(0 12 * * ? *)"},
		{in: "cron(15 10 ? * 6L 2026-2030)", norm: "cron(15 10 ? * 6L 2026-2030)"},
		{in: "cron(0 18 ? * MON-FRI *)", norm: "cron(0 18 ? * MON-FRI *)"},
		{in: "cron(0 8 1 * ? *)", norm: "cron(0 8 1 * ? *)"},
		{in: "cron(0/15 8-17 ? * mon-fri *)", norm: "cron(0/15 8-17 ? * mon-fri *)"},
		{in: "cron(0 9 ? * 2#1 *)", norm: "cron(0 9 ? * 2#1 *)"},
		{in: "cron(0 0 L * ? *)", norm: "cron(0 0 L * ? *)"},
		{in: "cron(0 0 LW * ? *)", norm: "cron(0 0 LW * ? *)"},
		{in: "cron(0 0 15W * ? *)", norm: "cron(0 0 15W * ? *)"},
		{in: "cron(5,35 14 * JAN,JUL ? *)", norm: "cron(5,35 14 * JAN,JUL ? *)"},
		{in: "cron(0 10 * * ? 2199)", norm: "cron(0 10 * * ? 2199)"},
		{in: "cron(1-59/2 * ? * L *)", norm: "cron(1-59/2 * ? * L *)"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			s, err := Parse(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.norm, s.String())
			assert.Equal(t, tt.every, s.Interval())
			assert.Equal(t, tt.every > 0, s.IsRate())
		})
	}
}

func TestParseInvalid(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{in: "", want: "want rate(value unit) or cron("},
		{in: "every 5 minutes", want: "want rate(value unit)"},
		{in: "rate(1 minutes)", want: "singular unit for 1"},
		{in: "rate(5 minute)", want: "rate(5 minutes)"},
		{in: "rate(0 minutes)", want: "value"},
		{in: "rate(-5 minutes)", want: "value"},
		{in: "rate(+5 minutes)", want: "value"},
		{in: "rate(05 minutes)", want: "value"},
		{in: "rate(1.5 hours)", want: "value"},
		{in: "rate(5 seconds)", want: "unit"},
		{in: "rate(5 Minutes)", want: "unit"},
		{in: "rate(5)", want: "want rate(value unit)"},
		{in: "rate(5 minutes extra)", want: "want rate(value unit)"},
		{in: "rate(99999999 days)", want: "value"},
		{in: "cron(* * * * *)", want: "5 fields; want 6"},
		{in: "cron(0 12 * * * *)", want: "both set"},
		{in: "cron(0 12 ? * ? *)", want: "both ?"},
		{in: "cron(60 * * * ? *)", want: "outside 0–59"},
		{in: "cron(0 24 * * ? *)", want: "outside 0–23"},
		{in: "cron(0 0 0 * ? *)", want: "outside 1–31"},
		{in: "cron(0 0 32 * ? *)", want: "outside 1–31"},
		{in: "cron(0 0 * 13 ? *)", want: "outside 1–12"},
		{in: "cron(0 0 * FOO ? *)", want: "JAN–DEC"},
		{in: "cron(0 0 ? * 8 *)", want: "outside 1–7"},
		{in: "cron(0 0 ? * SUNDAY *)", want: "SUN–SAT"},
		{in: "cron(0 0 * * ? 1969)", want: "outside 1970–2199"},
		{in: "cron(0 0 * * ? 2200)", want: "outside 1970–2199"},
		{in: "cron(30-10 * * * ? *)", want: "runs backwards"},
		{in: "cron(*/0 * * * ? *)", want: "step"},
		{in: "cron(*/61 * * * ? *)", want: "step"},
		{in: "cron(0 0 L,15 * ? *)", want: "stand alone"},
		{in: "cron(0 0 W * ? *)", want: "W needs one day"},
		{in: "cron(0 0 32W * ? *)", want: "W needs one day"},
		{in: "cron(0 0 ? * 2#6 *)", want: "1 to 5"},
		{in: "cron(0 0 ? * 9#1 *)", want: "outside 1–7"},
		{in: "cron(0 0 ? * 9L *)", want: "nL needs one day"},
		{in: "cron(0,,5 * * * ? *)", want: "not a number"},
		{in: "cron(-5 * * * ? *)", want: "not a number"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(tt.in)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.True(t, strings.HasPrefix(err.Error(), "schedule: "))
		})
	}
}

func TestEvery(t *testing.T) {
	t.Parallel()
	tests := []struct {
		d    time.Duration
		want string
	}{
		{time.Minute, "rate(1 minute)"},
		{4 * time.Minute, "rate(4 minutes)"},
		{90 * time.Minute, "rate(90 minutes)"},
		{time.Hour, "rate(1 hour)"},
		{3 * time.Hour, "rate(3 hours)"},
		{24 * time.Hour, "rate(1 day)"},
		{48 * time.Hour, "rate(2 days)"},
	}
	for _, tt := range tests {
		s, err := Every(tt.d)
		require.NoError(t, err)
		assert.Equal(t, tt.want, s.String())
		assert.Equal(t, tt.d, s.Interval())
	}
	for _, bad := range []time.Duration{0, 30 * time.Second, 90 * time.Second, -time.Minute} {
		_, err := Every(bad)
		assert.Error(t, err, "%v", bad)
	}
}

func date(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

// Next, checked against calendar facts worked out by hand (November 2026
// starts on a Sunday; February 2027 has 28 days and ends on a Sunday).
func TestNext(t *testing.T) {
	t.Parallel()
	tests := []struct {
		expr, after, want string
	}{
		{expr: "cron(0/4 * * * ? *)", after: "2026-11-25 10:01", want: "2026-11-25 10:04"},
		{expr: "cron(0/4 * * * ? *)", after: "2026-11-25 10:04", want: "2026-11-25 10:08"},
		{expr: "cron(0/4 * * * ? *)", after: "2026-11-25 23:58", want: "2026-11-26 00:00"},
		{expr: "cron(0 8 ? * MON-FRI *)", after: "2026-11-27 09:00", want: "2026-11-30 08:00"}, // Fri → Mon
		{expr: "cron(0 12 ? * 6#3 *)", after: "2026-11-01 00:00", want: "2026-11-20 12:00"},    // third Friday
		{expr: "cron(0 12 ? * 6L *)", after: "2026-11-01 00:00", want: "2026-11-27 12:00"},     // last Friday
		{expr: "cron(0 12 ? * L *)", after: "2026-11-01 00:00", want: "2026-11-07 12:00"},      // L = SAT
		{expr: "cron(0 0 L * ? *)", after: "2027-02-10 00:00", want: "2027-02-28 00:00"},
		{expr: "cron(0 0 LW * ? *)", after: "2027-02-01 00:00", want: "2027-02-26 00:00"},    // 28th is a Sunday
		{expr: "cron(0 0 1W * ? *)", after: "2026-07-31 00:00", want: "2026-08-03 00:00"},    // Aug 1 2026 is a Saturday
		{expr: "cron(0 0 15W * ? *)", after: "2026-11-01 00:00", want: "2026-11-16 00:00"},   // Nov 15 is a Sunday
		{expr: "cron(0 0 31W * ? *)", after: "2027-01-01 00:00", want: "2027-01-29 00:00"},   // Jan 31 2027 is a Sunday
		{expr: "cron(0 0 31 * ? *)", after: "2026-11-01 00:00", want: "2026-12-31 00:00"},    // November has 30 days
		{expr: "cron(0 10 * * ? 2028)", after: "2026-11-25 00:00", want: "2028-01-01 10:00"}, // year skip
		{expr: "cron(30 9 29 FEB ? *)", after: "2026-03-01 00:00", want: "2028-02-29 09:30"},
	}
	for _, tt := range tests {
		t.Run(tt.expr+" after "+tt.after, func(t *testing.T) {
			t.Parallel()
			s, err := Parse(tt.expr)
			require.NoError(t, err)
			got, ok := s.Next(date(tt.after))
			require.True(t, ok)
			assert.Equal(t, date(tt.want), got)
		})
	}
}

func TestNextNone(t *testing.T) {
	t.Parallel()
	s, err := Parse("cron(0 10 * * ? 1999)")
	require.NoError(t, err)
	_, ok := s.Next(date("2026-01-01 00:00"))
	assert.False(t, ok, "a year long gone never fires")
	_, ok = Schedule{}.Next(time.Now())
	assert.False(t, ok)
	assert.Zero(t, Schedule{}.Count(time.Now(), time.Now().Add(time.Hour)))
}

func TestCountAndLongestGap(t *testing.T) {
	t.Parallel()
	day := date("2026-11-23 00:00") // a Monday
	week := day.AddDate(0, 0, 7)
	tests := []struct {
		expr     string
		from, to time.Time
		count    int
		gap      time.Duration
	}{
		{expr: "rate(4 minutes)", from: day, to: day.AddDate(0, 0, 1), count: 360, gap: 4 * time.Minute},
		{expr: "cron(0/4 * * * ? *)", from: day, to: day.AddDate(0, 0, 1), count: 360, gap: 4 * time.Minute},
		// 8:00…17:55 every 5 min on weekdays: 120 a day, 600 a week; the
		// longest gap is Friday 17:55 → Monday 08:00 (but the window
		// ends the next Monday 00:00: Fri 17:55 → Mon 00:00 = 54h05m).
		{expr: "cron(0/5 8-17 ? * MON-FRI *)", from: day, to: week, count: 600, gap: 54*time.Hour + 5*time.Minute},
		{expr: "cron(0 12 * * ? *)", from: day, to: week, count: 7, gap: 24 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			t.Parallel()
			s, err := Parse(tt.expr)
			require.NoError(t, err)
			assert.Equal(t, tt.count, s.Count(tt.from, tt.to))
			assert.Equal(t, tt.gap, s.LongestGap(tt.from, tt.to))
			assert.Zero(t, s.Count(tt.to, tt.from), "an empty window")
		})
	}
}

// FuzzParse: Parse never panics; a valid expression's normal form parses to
// itself, and Next moves forward by at most five years.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"rate(5 minutes)", "rate(1 day)", "cron(0/4 * * * ? *)", "cron(15 10 ? * 6L 2026-2030)",
		"cron(0 0 LW * ? *)", "cron(0 9 ? * 2#1 *)", "cron(0 0 15W JAN-MAR ? *)", "cron(1-59/2 * ? * L *)",
		"cron(* * * * * *)", "rate(1 minutes)",
	} {
		f.Add(s)
	}
	from := date("2026-11-25 10:00")
	f.Fuzz(func(t *testing.T, expr string) {
		s, err := Parse(expr)
		if err != nil {
			assert.Equal(t, Schedule{}, s)
			return
		}
		again, err := Parse(s.String())
		require.NoError(t, err)
		assert.Equal(t, s.String(), again.String())
		if next, ok := s.Next(from); ok {
			assert.True(t, next.After(from))
			assert.LessOrEqual(t, next.Sub(from), maxSearch)
			if !s.IsRate() {
				assert.Zero(t, next.Second())
			}
		}
	})
}
