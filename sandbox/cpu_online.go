package sandbox

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/faasprobe/faasprobe/internal/excerpt"
)

// maxCPUIndex bounds CPU numbers in a list (the kernel's NR_CPUS is at most
// 8192 on common configs).
const maxCPUIndex = 1 << 16

// parseCPUList counts the CPUs of a kernel CPU list such as
// /sys/devices/system/cpu/online: "0-1", "0,2-5", "0". Ranges must ascend
// without overlapping, as the kernel writes them; anything else is an error
// that quotes the list.
func parseCPUList(s string) (int, error) {
	s = strings.TrimSpace(s)
	bad := func(why string) (int, error) {
		return 0, fmt.Errorf("cpu list %q: %s", excerpt.Clip(s), why)
	}
	if s == "" {
		return bad("empty")
	}
	count, next := 0, 0 // next: the smallest CPU number allowed next
	for part := range strings.SplitSeq(s, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(lo)
		if err != nil || !isDigits(lo) || a > maxCPUIndex {
			return bad("want N or N-M items")
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil || !isDigits(hi) || b < a || b > maxCPUIndex {
				return bad("want N-M with N ≤ M")
			}
		}
		if a < next {
			return bad("items not ascending")
		}
		count += b - a + 1
		next = b + 1
	}
	return count, nil
}

// isDigits reports whether s is one or more ASCII digits (no sign).
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
