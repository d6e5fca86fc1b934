package procfile

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/faasprobe/faasprobe/internal/excerpt"
)

// UserHZ is the unit of the tick counts in /proc/stat and /proc/<pid>/stat:
// USER_HZ, which the Linux ABI fixes at 100 on every architecture
// (sysconf(_SC_CLK_TCK)).
const UserHZ = 100

// maxBtime is 9999-12-31T23:59:59Z: a later boot time is not a Unix time a
// kernel wrote, and encoding/json cannot write a year past 9999.
const maxBtime = 253402300799

// Stat is what /proc/stat (proc(5)) says about boot time and CPU time.
type Stat struct {
	BootTime time.Time // btime, UTC (whole seconds)
	// Total is the aggregate "cpu" line: the sum over every CPU.
	Total CPUTime
	// CPUs are the "cpuN" lines, in ascending N (an offline CPU has no
	// line, so N may skip).
	CPUs []CPUTime
}

// CPUTime is one "cpu" line of /proc/stat: time spent in each state since
// boot, in USER_HZ ticks. Fields a kernel does not write (steal before
// 2.6.11) are 0.
type CPUTime struct {
	// ID is N of a "cpuN" line; -1 on the aggregate "cpu" line.
	ID      int
	User    uint64
	Nice    uint64
	System  uint64
	Idle    uint64
	IOWait  uint64
	IRQ     uint64
	SoftIRQ uint64
	Steal   uint64 // time a hypervisor ran something else while this guest wanted to run
}

// ParseStat parses the btime and "cpu" lines of /proc/stat; the other
// lines (intr, ctxt, processes, softirq, …) are skipped unread. Both btime
// and the aggregate "cpu" line must be present; per-CPU lines must come
// in ascending order, as the kernel writes them.
func ParseStat(data []byte) (Stat, error) {
	st := Stat{CPUs: []CPUTime{}}
	haveTotal := false
	for line := range bytes.Lines(data) {
		line = bytes.TrimSuffix(line, []byte{'\n'})
		switch {
		case bytes.HasPrefix(line, []byte("btime")):
			t, ok, err := parseBtimeLine(line)
			if err != nil {
				return Stat{}, err
			}
			if ok {
				if !st.BootTime.IsZero() {
					return Stat{}, errors.New("more than one btime line")
				}
				st.BootTime = t
			}
		case bytes.HasPrefix(line, []byte("cpu")):
			c, err := parseCPULine(line)
			if err != nil {
				return Stat{}, err
			}
			switch {
			case c.ID < 0 && haveTotal:
				return Stat{}, errors.New("more than one aggregate cpu line")
			case c.ID < 0:
				st.Total, haveTotal = c, true
			case len(st.CPUs) > 0 && c.ID <= st.CPUs[len(st.CPUs)-1].ID:
				return Stat{}, fmt.Errorf("cpu line %q: cpu%d after cpu%d", excerpt.Clip(line), c.ID, st.CPUs[len(st.CPUs)-1].ID)
			default:
				st.CPUs = append(st.CPUs, c)
			}
		}
	}
	if st.BootTime.IsZero() {
		return Stat{}, errors.New("no btime line")
	}
	if !haveTotal {
		return Stat{}, errors.New("no aggregate cpu line")
	}
	return st, nil
}

// ParseBootTime returns the btime line of /proc/stat (boot time in whole
// seconds since the Unix epoch, as UTC) and reads nothing else: the cheap
// path for a caller that needs only the boot time.
func ParseBootTime(data []byte) (time.Time, error) {
	for line := range bytes.Lines(data) {
		t, ok, err := parseBtimeLine(bytes.TrimSuffix(line, []byte{'\n'}))
		if err != nil || ok {
			return t, err
		}
	}
	return time.Time{}, errors.New("no btime line")
}

// parseBtimeLine parses "btime N". ok is false for a line that is not a
// btime line at all ("btimex 1").
func parseBtimeLine(line []byte) (t time.Time, ok bool, err error) {
	rest, found := bytes.CutPrefix(line, []byte("btime"))
	if !found || len(rest) == 0 || (rest[0] != ' ' && rest[0] != '\t') {
		return time.Time{}, false, nil
	}
	n, okN := parseDecimal(bytes.TrimSpace(rest), maxBtime)
	if !okN || n == 0 {
		return time.Time{}, false, fmt.Errorf("btime line %q: not a Unix time", excerpt.Clip(line))
	}
	return time.Unix(int64(n), 0).UTC(), true, nil
}

// minCPUFields is the fewest tick counts a "cpu" line may hold (user nice
// system idle, as in Linux 2.4); maxCPUFields the most that are read
// (2.6.33 added guest_nice, the tenth). Later fields are ignored.
const (
	minCPUFields = 4
	maxCPUFields = 10
)

// parseCPULine parses "cpu  U N S I W Q SQ ST G GN" or "cpuN …".
func parseCPULine(line []byte) (CPUTime, error) {
	name, rest := line, []byte(nil)
	if i := bytes.IndexAny(line, " \t"); i >= 0 {
		name, rest = line[:i], line[i:]
	}
	c := CPUTime{ID: -1}
	if id := name[len("cpu"):]; len(id) > 0 {
		n, ok := parseDecimal(id, 1<<20)
		if !ok || (len(id) > 1 && id[0] == '0') { // the kernel's %d writes no leading zero
			return CPUTime{}, fmt.Errorf("cpu line %q: name is not cpu or cpuN", excerpt.Clip(line))
		}
		c.ID = int(n)
	}
	var v [maxCPUFields]uint64
	n := 0
	for f := range bytes.FieldsSeq(rest) {
		if n == maxCPUFields {
			break
		}
		x, ok := parseDecimal(f, 1<<64-1)
		if !ok {
			return CPUTime{}, fmt.Errorf("cpu line %q: field %d %q: not a tick count", excerpt.Clip(line), n+1, excerpt.Clip(f))
		}
		v[n] = x
		n++
	}
	if n < minCPUFields {
		return CPUTime{}, fmt.Errorf("cpu line %q: %d tick counts, want at least %d", excerpt.Clip(line), n, minCPUFields)
	}
	c.User, c.Nice, c.System, c.Idle = v[0], v[1], v[2], v[3]
	c.IOWait, c.IRQ, c.SoftIRQ, c.Steal = v[4], v[5], v[6], v[7]
	return c, nil
}

// parseDecimal parses a non-empty run of ASCII digits no greater than hi.
// No sign, no base prefix, no underscores: what the kernel's %llu writes.
func parseDecimal(b []byte, hi uint64) (uint64, bool) {
	if len(b) == 0 || len(b) > 20 {
		return 0, false
	}
	var n uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		d := uint64(c - '0')
		if d > hi || n > (hi-d)/10 {
			return 0, false
		}
		n = n*10 + d
	}
	return n, true
}
