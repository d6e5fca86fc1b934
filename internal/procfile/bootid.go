package procfile

import (
	"fmt"
	"strings"

	"github.com/faasprobe/faasprobe/internal/excerpt"
)

// ParseBootID parses /proc/sys/kernel/random/boot_id: one UUID (random,
// new at every boot), returned lower-cased so that two readers of the same
// boot compare equal.
func ParseBootID(data []byte) (string, error) {
	s, err := ParseLine(data)
	if err != nil {
		return "", err
	}
	if !IsUUID(s) {
		return "", fmt.Errorf("%q: not a UUID", excerpt.Clip(s))
	}
	return strings.ToLower(s), nil
}

// IsUUID reports whether s is a UUID in its text form: 8-4-4-4-12 hex
// digits, either case.
func IsUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch i {
		case 8, 13, 18, 23:
			if s[i] != '-' {
				return false
			}
		default:
			if !isHex(s[i]) {
				return false
			}
		}
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
