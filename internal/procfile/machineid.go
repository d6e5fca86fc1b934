package procfile

import (
	"fmt"
	"strings"

	"github.com/faasprobe/faasprobe/internal/excerpt"
)

// ParseMachineID parses /etc/machine-id or its older location
// /var/lib/dbus/machine-id (machine-id(5): 32 lower-case hex digits and a
// newline; OpenTelemetry's host.id on Linux). It returns the id
// lower-cased. An empty file or "uninitialized" (an image not yet booted,
// machine-id(5)) is "" with no error: unknown, not damage; anything else
// that is not 32 hex digits is an error.
func ParseMachineID(data []byte) (string, error) {
	s := strings.TrimSpace(string(data))
	if s == "" || s == "uninitialized" {
		return "", nil
	}
	if len(s) != 32 || !allHex(s) {
		return "", fmt.Errorf("%q: not 32 hex digits", excerpt.Clip(s))
	}
	return strings.ToLower(s), nil
}

func allHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isHex(s[i]) {
			return false
		}
	}
	return true
}
