package hostinfo

import (
	"bytes"
	"strings"

	"github.com/faasprobe/faasprobe/internal/procfile"
)

// parseCmdline returns /proc/cmdline as one line of text.
func parseCmdline(data []byte) (string, error) {
	if bytes.IndexByte(data, 0) >= 0 { // not in /proc/cmdline, but in a pid's
		data = bytes.ReplaceAll(data, []byte{0}, []byte{' '})
	}
	s := strings.TrimSpace(string(data))
	if s == "" {
		return "", nil // an empty cmdline is legal
	}
	if err := procfile.CheckText(s); err != nil {
		return "", err
	}
	return s, nil
}

// acpiOEMID returns the 6-byte OEM id of an ACPI table header (offset 10),
// trimmed, or "" if the header is short or not text.
func acpiOEMID(h []byte) string {
	if len(h) < 16 {
		return ""
	}
	id := strings.TrimRight(string(h[10:16]), " \x00")
	if procfile.CheckText(id) != nil {
		return ""
	}
	return id
}

// firstCString returns the first NUL-terminated string of a device-tree
// property such as "compatible".
func firstCString(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	s := string(b)
	if procfile.CheckText(s) != nil {
		return ""
	}
	return s
}
