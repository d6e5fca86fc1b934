package coldstart

import (
	"bytes"
	"fmt"
	"strconv"

	"github.com/faasprobe/faasprobe/internal/excerpt"
)

// parseProcStatBtime finds the "btime <seconds>" line of /proc/stat (proc(5):
// boot time, in whole seconds since the Unix epoch) and returns its value.
// Only that line is read; the per-CPU lines are skipped unparsed.
func parseProcStatBtime(data []byte) (int64, error) {
	for len(data) > 0 {
		var line []byte
		line, data, _ = bytes.Cut(data, []byte{'\n'})
		rest, ok := bytes.CutPrefix(line, []byte("btime"))
		if !ok || len(rest) == 0 || (rest[0] != ' ' && rest[0] != '\t') {
			continue
		}
		v := bytes.TrimSpace(rest)
		sec, err := strconv.ParseInt(string(v), 10, 64)
		if err != nil || sec <= 0 {
			return 0, fmt.Errorf("btime line %q: not a positive number of seconds", excerpt.Clip(line))
		}
		return sec, nil
	}
	return 0, fmt.Errorf("no btime line")
}
