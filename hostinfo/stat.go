package hostinfo

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/faasprobe/faasprobe/internal/excerpt"
)

// maxBtime is 9999-12-31T23:59:59Z: a later boot time is not a Unix time a
// kernel wrote, and encoding/json cannot write a year past 9999.
const maxBtime = 253402300799

// parseBootTime returns the "btime" line of /proc/stat.
func parseBootTime(data []byte) (time.Time, error) {
	for line := range bytes.Lines(data) {
		line = bytes.TrimSuffix(line, []byte{'\n'})
		rest, ok := bytes.CutPrefix(line, []byte("btime "))
		if !ok {
			continue
		}
		n, err := strconv.ParseInt(string(bytes.TrimSpace(rest)), 10, 64)
		if err != nil || n <= 0 || n > maxBtime {
			return time.Time{}, fmt.Errorf("btime line %q: not a Unix time", excerpt.Clip(string(line)))
		}
		return time.Unix(n, 0).UTC(), nil
	}
	return time.Time{}, errors.New("no btime line")
}

// maxUptime bounds /proc/uptime: about 317 years.
const maxUptime = 1e10

// parseUptime returns the first field of /proc/uptime in seconds.
func parseUptime(data []byte) (float64, error) {
	f := bytes.Fields(data)
	if len(f) == 0 {
		return 0, errors.New("empty")
	}
	v, err := parseFinite(string(f[0]), maxUptime)
	if err != nil {
		return 0, fmt.Errorf("first field %q: not a number of seconds", excerpt.Clip(string(f[0])))
	}
	return v, nil
}
