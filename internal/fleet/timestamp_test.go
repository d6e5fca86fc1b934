package fleet

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestParseTimestamp(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     time.Time
		ok       bool
	}{
		{"slog", "2026-11-25T18:09:55.707630618Z", time.Date(2026, 11, 25, 18, 9, 55, 707630618, time.UTC), true},
		{"aws logs tail detailed", "2026-01-15T10:00:00.123000+00:00", time.Date(2026, 1, 15, 10, 0, 0, 123000000, time.UTC), true},
		{"aws logs tail short", "2026-01-15T10:00:00", time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC), true},
		{"export", "2026-01-15T10:00:00.000Z", time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC), true},
		{"offset", "2026-01-15T12:30:00+02:30", time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC), true},
		{"negative offset, no colon", "2026-01-15T05:00:00-0500", time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC), true},
		{"space for T", "2026-01-15 10:00:00.5Z", time.Date(2026, 1, 15, 10, 0, 0, 500000000, time.UTC), true},
		{"more than nanoseconds", "2026-01-15T10:00:00.1234567891Z", time.Date(2026, 1, 15, 10, 0, 0, 123456789, time.UTC), true},
		{"leap day", "2024-02-29T00:00:00Z", time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC), true},
		{"not a leap year", "2026-02-29T00:00:00Z", time.Time{}, false},
		{"month 13", "2026-13-01T00:00:00Z", time.Time{}, false},
		{"hour 24", "2026-01-01T24:00:00Z", time.Time{}, false},
		{"year before 1971", "1970-01-01T00:00:00Z", time.Time{}, false},
		{"year after 2200", "2263-01-01T00:00:00Z", time.Time{}, false},
		{"empty fraction", "2026-01-15T10:00:00.Z", time.Time{}, false},
		{"junk zone", "2026-01-15T10:00:00 UTC", time.Time{}, false},
		{"short", "2026-01-15T10:00", time.Time{}, false},
		{"text", "START RequestId: 1", time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := parseTimestamp([]byte(tt.in))
			assert.Equal(t, tt.ok, ok)
			if tt.ok {
				assert.Equal(t, tt.want.UnixNano(), got)
			} else {
				assert.Zero(t, got)
			}
		})
	}
}

func TestParseEpochMillis(t *testing.T) {
	t.Parallel()
	got, ok := parseEpochMillis([]byte("1736935200123"))
	assert.True(t, ok)
	assert.Equal(t, time.UnixMilli(1736935200123).UnixNano(), got)
	for _, bad := range []string{"", "-5", "12a", "1e12", "99999999999999999999", "0"} {
		_, ok := parseEpochMillis([]byte(bad))
		assert.False(t, ok, bad)
	}
}

func FuzzParseTimestamp(f *testing.F) {
	for _, s := range []string{"2026-11-25T18:09:55.707630618Z", "2026-01-15T10:00:00.123000+00:00", "2026-01-15T10:00:00", "2026-01-15 10:00:00-0500"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ns, ok := parseTimestamp([]byte(s))
		if !ok {
			assert.Zero(t, ns)
			return
		}
		y := time.Unix(0, ns).UTC().Year()
		assert.True(t, y >= minYear-1 && y <= maxYear+1, "year %d from %q", y, s)
		// What time.Parse reads in the same layout, it reads the same.
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999"} {
			if tp, err := time.Parse(layout, s); err == nil {
				assert.Equal(t, tp.UnixNano(), ns, "%q", s)
			}
		}
	})
}
