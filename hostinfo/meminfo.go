package hostinfo

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"

	"github.com/faasprobe/faasprobe/internal/excerpt"
)

// parseMemTotal returns MemTotal from /proc/meminfo in bytes. procfs's
// meminfo parser is not used: it parses every line (we need one) and, as
// measured by this project, panics on an empty line.
func parseMemTotal(data []byte) (uint64, error) {
	for line := range bytes.Lines(data) {
		line = bytes.TrimSuffix(line, []byte{'\n'})
		rest, ok := bytes.CutPrefix(line, []byte("MemTotal:"))
		if !ok {
			continue
		}
		f := bytes.Fields(rest)
		if len(f) == 0 || len(f) > 2 {
			return 0, fmt.Errorf("MemTotal line %q: want \"N kB\"", excerpt.Clip(string(line)))
		}
		n, err := strconv.ParseUint(string(f[0]), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("MemTotal line %q: %w", excerpt.Clip(string(line)), err)
		}
		mult := uint64(1)
		if len(f) == 2 {
			if !bytes.EqualFold(f[1], []byte("kB")) {
				return 0, fmt.Errorf("MemTotal line %q: unit %q, want kB", excerpt.Clip(string(line)), f[1])
			}
			mult = 1024
		}
		if n > (1<<64-1)/mult {
			return 0, fmt.Errorf("MemTotal line %q: value out of range", excerpt.Clip(string(line)))
		}
		return n * mult, nil
	}
	return 0, errors.New("no MemTotal line")
}
