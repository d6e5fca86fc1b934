package coldstart

import (
	"bytes"
	"fmt"
	"time"

	"github.com/faasprobe/faasprobe/internal/excerpt"
)

// parseProcUptime parses /proc/uptime ("303.68 542.61": seconds since boot,
// then idle seconds summed over CPUs) and returns the first figure. It is
// read as a decimal, not a float, so 10 ms ticks stay exact. Under gVisor the
// figure is the time since the sandbox's procfs was mounted.
func parseProcUptime(data []byte) (time.Duration, error) {
	fields := bytes.Fields(data)
	if len(fields) == 0 {
		return 0, fmt.Errorf("empty")
	}
	d, err := parseDecimalSeconds(fields[0])
	if err != nil {
		return 0, fmt.Errorf("uptime %q: %w", excerpt.Clip(fields[0]), err)
	}
	return d, nil
}

// parseDecimalSeconds parses "123" or "123.456789" (at most 9 decimals) into a
// duration. No sign, no exponent.
func parseDecimalSeconds(b []byte) (time.Duration, error) {
	intPart, frac, hasDot := bytes.Cut(b, []byte{'.'})
	if len(intPart) == 0 || (hasDot && len(frac) == 0) {
		return 0, fmt.Errorf("not a decimal number of seconds")
	}
	if len(frac) > 9 {
		return 0, fmt.Errorf("more than 9 decimals")
	}
	const maxSec = (1<<63 - 1) / int64(time.Second)
	var sec int64
	for _, c := range intPart {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("not a decimal number of seconds")
		}
		sec = sec*10 + int64(c-'0')
		if sec > maxSec {
			return 0, fmt.Errorf("out of range")
		}
	}
	var ns int64
	for i := range 9 {
		ns *= 10
		if i < len(frac) {
			c := frac[i]
			if c < '0' || c > '9' {
				return 0, fmt.Errorf("not a decimal number of seconds")
			}
			ns += int64(c - '0')
		}
	}
	total := sec*int64(time.Second) + ns
	if total < 0 { // overflow at the very top of the range
		return 0, fmt.Errorf("out of range")
	}
	return time.Duration(total), nil
}
