package procfile

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/faasprobe/faasprobe/internal/excerpt"
)

// Meminfo is what /proc/meminfo (proc(5)) says, in bytes. A field whose
// line is absent is 0 (MemAvailable appeared in Linux 3.14).
type Meminfo struct {
	MemTotal     uint64 // usable RAM (under gVisor, the sandbox's limit)
	MemFree      uint64 // RAM left unused
	MemAvailable uint64 // RAM available for new work without swapping (the kernel's estimate)
	Buffers      uint64
	Cached       uint64
	SwapTotal    uint64
	SwapFree     uint64
}

// ParseMeminfo parses /proc/meminfo: every line must be "Key: N kB" or
// "Key: N" (the unit, where present, is kB; values are converted to bytes)
// and MemTotal must be present. Lines of keys not kept are still checked,
// as the kernel writes every line the same way.
func ParseMeminfo(data []byte) (Meminfo, error) {
	var m Meminfo
	haveTotal := false
	for line := range bytes.Lines(data) {
		line = bytes.TrimSuffix(line, []byte{'\n'})
		key, v, err := parseMeminfoLine(line)
		if err != nil {
			return Meminfo{}, err
		}
		switch string(key) {
		case "MemTotal":
			m.MemTotal, haveTotal = v, true
		case "MemFree":
			m.MemFree = v
		case "MemAvailable":
			m.MemAvailable = v
		case "Buffers":
			m.Buffers = v
		case "Cached":
			m.Cached = v
		case "SwapTotal":
			m.SwapTotal = v
		case "SwapFree":
			m.SwapFree = v
		}
	}
	if !haveTotal {
		return Meminfo{}, errors.New("no MemTotal line")
	}
	return m, nil
}

// parseMeminfoLine parses "Key:   N kB" (or "Key: N") into the key without
// its colon and the value in bytes.
func parseMeminfoLine(line []byte) (key []byte, v uint64, err error) {
	var f [4][]byte
	n := 0
	for w := range bytes.FieldsSeq(line) {
		if n == len(f) {
			break
		}
		f[n] = w
		n++
	}
	if n < 2 || n > 3 || len(f[0]) < 2 || f[0][len(f[0])-1] != ':' {
		return nil, 0, fmt.Errorf("line %q: want \"Key: N kB\"", excerpt.Clip(line))
	}
	mult := uint64(1)
	if n == 3 {
		if string(f[2]) != "kB" {
			return nil, 0, fmt.Errorf("line %q: unit %q, want kB", excerpt.Clip(line), excerpt.Clip(f[2]))
		}
		mult = 1024
	}
	// The kernel writes no leading zeros ("%8lu"); a reader that honours
	// a base prefix (ParseUint base 0) would take "010" for octal.
	v, ok := parseDecimal(f[1], (1<<64-1)/mult)
	if !ok || len(f[1]) > 1 && f[1][0] == '0' {
		return nil, 0, fmt.Errorf("line %q: not a number of bytes", excerpt.Clip(line))
	}
	return f[0][:len(f[0])-1], v * mult, nil
}
