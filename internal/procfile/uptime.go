package procfile

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/faasprobe/faasprobe/internal/excerpt"
)

// Uptime is /proc/uptime (proc(5)): "303.68 542.61".
type Uptime struct {
	// Uptime is the time since boot. Under gVisor it is the time since the
	// sandbox's procfs was mounted.
	Uptime time.Duration
	// Idle is the time the CPUs spent idle, summed over CPUs: it can exceed
	// Uptime on a machine with more than one CPU.
	Idle time.Duration
}

// ParseUptime parses /proc/uptime: two decimal numbers of seconds. They
// are read as decimals, not floats, so the kernel's 10 ms ticks stay
// exact.
func ParseUptime(data []byte) (Uptime, error) {
	var f [3][]byte
	n := 0
	for w := range bytes.FieldsSeq(data) {
		if n == len(f) {
			break
		}
		f[n] = w
		n++
	}
	if n == 0 {
		return Uptime{}, errors.New("empty")
	}
	if n != 2 {
		return Uptime{}, fmt.Errorf("%q: want two numbers of seconds (uptime, idle)", excerpt.Clip(bytes.TrimSpace(data)))
	}
	up, err := parseSeconds(f[0])
	if err != nil {
		return Uptime{}, fmt.Errorf("uptime %q: %w", excerpt.Clip(f[0]), err)
	}
	idle, err := parseSeconds(f[1])
	if err != nil {
		return Uptime{}, fmt.Errorf("idle time %q: %w", excerpt.Clip(f[1]), err)
	}
	return Uptime{Uptime: up, Idle: idle}, nil
}

// parseSeconds parses "123" or "123.456789" (at most 9 decimals) into a
// duration. No sign, no exponent, no NaN: what the kernel's "%lu.%02lu"
// writes, up to the ~292 years a time.Duration holds.
func parseSeconds(b []byte) (time.Duration, error) {
	intPart, frac, hasDot := bytes.Cut(b, []byte{'.'})
	if len(intPart) == 0 || (hasDot && len(frac) == 0) {
		return 0, errors.New("not a decimal number of seconds")
	}
	if len(frac) > 9 {
		return 0, errors.New("more than 9 decimals")
	}
	const maxSec = (1<<63 - 1) / int64(time.Second)
	var sec int64
	for _, c := range intPart {
		if c < '0' || c > '9' {
			return 0, errors.New("not a decimal number of seconds")
		}
		sec = sec*10 + int64(c-'0')
		if sec > maxSec {
			return 0, errors.New("out of range")
		}
	}
	var ns int64
	for i := range 9 {
		ns *= 10
		if i < len(frac) {
			c := frac[i]
			if c < '0' || c > '9' {
				return 0, errors.New("not a decimal number of seconds")
			}
			ns += int64(c - '0')
		}
	}
	total := sec*int64(time.Second) + ns
	if total < 0 { // overflow at the very top of the range
		return 0, errors.New("out of range")
	}
	return time.Duration(total), nil
}
