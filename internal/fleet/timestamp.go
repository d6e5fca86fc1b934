package fleet

import "time"

// Timestamps are kept as Unix nanoseconds (int64); 0 means unknown.

// Plausible years: anything outside is taken as garbage (and keeps
// time.Time.UnixNano, which overflows after 2262, safe).
const (
	minYear = 1971
	maxYear = 2200
)

// parseTimestamp parses the RFC 3339 forms found in Lambda and CloudWatch
// output, without allocating:
//
//	2026-11-25T18:09:55.707630618Z      slog (the "timestamp" key), platform.report "time"
//	2026-01-15T10:00:00.123000+00:00    aws logs tail (detailed)
//	2026-01-15T10:00:00                 aws logs tail --format short (UTC)
//	2026-01-15T10:00:00.000Z            CloudWatch export to S3
//
// A space may stand for the 'T'; an offset may be written ±HH:MM or ±HHMM;
// fractions beyond nanoseconds are cut. It returns false for anything else.
func parseTimestamp(b []byte) (int64, bool) {
	if len(b) < 19 || b[4] != '-' || b[7] != '-' || (b[10] != 'T' && b[10] != 't' && b[10] != ' ') || b[13] != ':' || b[16] != ':' {
		return 0, false
	}
	year, ok1 := digitsN(b[0:4])
	month, ok2 := digitsN(b[5:7])
	day, ok3 := digitsN(b[8:10])
	hour, ok4 := digitsN(b[11:13])
	minute, ok5 := digitsN(b[14:16])
	sec, ok6 := digitsN(b[17:19])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) {
		return 0, false
	}
	if year < minYear || year > maxYear || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) ||
		hour > 23 || minute > 59 || sec > 60 {
		return 0, false
	}
	rest := b[19:]
	nsec := 0
	if len(rest) > 0 && (rest[0] == '.' || rest[0] == ',') {
		j := 1
		scale := 100_000_000
		for ; j < len(rest) && rest[j] >= '0' && rest[j] <= '9'; j++ {
			nsec += int(rest[j]-'0') * scale
			scale /= 10
		}
		if j == 1 {
			return 0, false
		}
		rest = rest[j:]
	}
	offset := 0
	switch {
	case len(rest) == 0: // no zone: UTC
	case len(rest) == 1 && (rest[0] == 'Z' || rest[0] == 'z'):
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':',
		len(rest) == 5 && (rest[0] == '+' || rest[0] == '-'):
		hh, okh := digitsN(rest[1:3])
		mm, okm := digitsN(rest[len(rest)-2:])
		if !okh || !okm || hh > 23 || mm > 59 {
			return 0, false
		}
		offset = (hh*60 + mm) * 60
		if rest[0] == '-' {
			offset = -offset
		}
	default:
		return 0, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	return t.UnixNano() - int64(offset)*int64(time.Second), true
}

// parseEpochMillis parses a JSON number of milliseconds since the epoch
// (CloudWatch's event "timestamp"), whole or with a fraction.
func parseEpochMillis(b []byte) (int64, bool) {
	var ms int64
	j := 0
	for ; j < len(b) && b[j] >= '0' && b[j] <= '9'; j++ {
		if ms > (1<<62)/10 {
			return 0, false
		}
		ms = ms*10 + int64(b[j]-'0')
	}
	if j == 0 || (j < len(b) && b[j] != '.') {
		return 0, false
	}
	ns := ms * int64(time.Millisecond)
	if ns/int64(time.Millisecond) != ms {
		return 0, false
	}
	y := time.Unix(0, ns).UTC().Year()
	if y < minYear || y > maxYear {
		return 0, false
	}
	return ns, true
}

// digitsN parses a short run of ASCII digits.
func digitsN(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, len(b) > 0
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
