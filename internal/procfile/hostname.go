package procfile

import (
	"fmt"
	"strings"

	"github.com/faasprobe/faasprobe/internal/excerpt"
)

// maxHostname is the kernel's HOST_NAME_MAX (__NEW_UTS_LEN): 64 bytes.
const maxHostname = 64

// ParseHostname parses /proc/sys/kernel/hostname (the UTS name, uname -n;
// OpenTelemetry's host.name). A name never set ("(none)", the kernel's
// default) or set empty is "" with no error: unknown, not damage. Text
// that is longer than the kernel allows, spans lines or holds white space
// or control characters is an error.
func ParseHostname(data []byte) (string, error) {
	s := strings.TrimSpace(string(data))
	if s == "" || s == "(none)" {
		return "", nil
	}
	s, err := ParseLine(data)
	if err != nil {
		return "", err
	}
	if len(s) > maxHostname {
		return "", fmt.Errorf("%q: longer than %d bytes", excerpt.Clip(s), maxHostname)
	}
	if strings.ContainsAny(s, " \t") {
		return "", fmt.Errorf("%q: white space in a host name", excerpt.Clip(s))
	}
	return s, nil
}
