package procfile

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/faasprobe/faasprobe/internal/excerpt"
)

// CPUInfo is what /proc/cpuinfo says about the first processor, and how
// many there are. Zero values mean unknown.
type CPUInfo struct {
	Count     int     // number of "processor" entries
	Vendor    string  // vendor_id ("GenuineIntel", "AuthenticAMD"; x86)
	ModelName string  // model name (x86), or Processor (old arm kernels)
	MHz       float64 // cpu MHz (x86)
	CacheKB   int     // cache size (x86)
	Family    int     // cpu family (x86)
	Model     int     // model (x86)
	Stepping  int     // stepping (x86; gVisor writes "unknown")
	// ARMImplementer and ARMPart: "CPU implementer" and "CPU part"
	// (arm64), lower-cased ("0x41", "0xd0c").
	ARMImplementer string
	ARMPart        string
	// HypervisorFlag: "hypervisor" is among the flags (x86) or Features.
	HypervisorFlag bool
}

// ParseCPUInfo parses /proc/cpuinfo. It counts the "processor" entries and
// decodes the first entry only: every vCPU a FaaS sandbox sees is the same
// model. (procfs builds a struct and a flag slice per processor, thousands
// of strings on a 96-vCPU host, where a dozen fields are needed once.)
//
// A field whose value does not parse is left at its zero value and named
// in the returned error; the other fields are still returned.
func ParseCPUInfo(data []byte) (CPUInfo, error) {
	var cpu CPUInfo
	var errs []error
	blocks := 0
	for line := range bytes.Lines(data) {
		line = bytes.TrimSuffix(line, []byte{'\n'})
		k, v, ok := bytes.Cut(line, []byte{':'})
		if !ok {
			continue
		}
		kb := bytes.TrimSpace(k)
		if string(kb) == "processor" {
			blocks++
			continue
		}
		if blocks > 1 || !cpuinfoKey(kb) {
			continue // fields of later processors (same model), or not wanted
		}
		key := string(kb)
		val := strings.TrimSpace(string(v))
		var err error
		switch key {
		case "vendor_id":
			cpu.Vendor = val
		case "model name", "Processor": // "Processor" on old arm kernels
			if cpu.ModelName == "" {
				cpu.ModelName = val
			}
		case "cpu MHz":
			cpu.MHz, err = parseFinite(val, maxMHz)
		case "cache size":
			cpu.CacheKB, err = parseKB(val)
		case "cpu family":
			cpu.Family, err = parseSmallInt(val)
		case "model":
			cpu.Model, err = parseSmallInt(val)
		case "stepping":
			if val != "unknown" {
				cpu.Stepping, err = parseSmallInt(val)
			}
		case "flags", "Features":
			cpu.HypervisorFlag = hasWord(val, "hypervisor")
		case "CPU implementer":
			cpu.ARMImplementer, err = parseHexField(val)
		case "CPU part":
			cpu.ARMPart, err = parseHexField(val)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("field %q: value %q: %w", key, excerpt.Clip(val), err))
		}
	}
	cpu.Count = blocks
	if blocks == 0 {
		errs = append(errs, errors.New(`no "processor" entries`))
	}
	return cpu, errors.Join(errs...)
}

// cpuinfoKey reports whether ParseCPUInfo decodes the field named k (the
// others are skipped without being copied out of the buffer).
func cpuinfoKey(k []byte) bool {
	switch string(k) {
	case "vendor_id", "model name", "Processor", "cpu MHz", "cache size", "cpu family",
		"model", "stepping", "flags", "Features", "CPU implementer", "CPU part":
		return true
	}
	return false
}

// parseKB parses "25600 KB".
func parseKB(s string) (int, error) {
	num, unit, _ := strings.Cut(s, " ")
	if unit != "" && !strings.EqualFold(strings.TrimSpace(unit), "KB") {
		return 0, fmt.Errorf("unit %q, want KB", excerpt.Clip(unit))
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 || n > 1<<30 {
		return 0, errors.New("not a size in KB")
	}
	return n, nil
}

// maxMHz bounds "cpu MHz": no CPU runs at 100 GHz.
const maxMHz = 100_000

// parseFinite parses a non-negative decimal float of at most hi. NaN, ±Inf
// ("inf", "infinity" parse in Go), overflow ("1e400") and values above hi
// are errors, so no result holds a value encoding/json cannot write.
func parseFinite(s string, hi float64) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || !(v >= 0 && v <= hi) { // also false for NaN
		return 0, errors.New("not a finite number in range")
	}
	return v, nil
}

func parseSmallInt(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 1<<20 {
		return 0, errors.New("not a small non-negative integer")
	}
	return n, nil
}

// parseHexField checks a "0x41"-style value and returns it lower-cased.
func parseHexField(s string) (string, error) {
	s = strings.ToLower(s)
	if !strings.HasPrefix(s, "0x") {
		return "", errors.New("want 0x-prefixed hex")
	}
	if _, err := strconv.ParseUint(s[2:], 16, 32); err != nil {
		return "", errors.New("want 0x-prefixed hex")
	}
	return s, nil
}

func hasWord(list, word string) bool {
	for list != "" {
		var w string
		w, list, _ = strings.Cut(list, " ")
		if w == word {
			return true
		}
	}
	return false
}
