package hostinfo

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// parseProcVersion checks /proc/version and returns it trimmed, plus the
// release it names ("Linux version <release> ...").
func parseProcVersion(data []byte) (banner, release string, err error) {
	s := strings.TrimSpace(string(data))
	if err := checkText(s); err != nil {
		return "", "", err
	}
	rest, ok := strings.CutPrefix(s, "Linux version ")
	if !ok {
		return s, "", errors.New(`does not start with "Linux version "`)
	}
	release, _, _ = strings.Cut(rest, " ")
	return s, release, nil
}

// bannerVersion returns the kernel version (uname -v: "#1 SMP …") that a
// /proc/version banner ends with, or "" when the banner is not of the
// kernel's shape "Linux version RELEASE (BUILDER) (COMPILER) VERSION"
// (init/version-timestamp.c, linux_proc_banner), where each group is
// parenthesised and may nest ("(gcc version 4.8.3 (Red Hat 4.8.3-9)
// (GCC) )"), the groups may be absent (gVisor), and VERSION starts with
// "#" (scripts/mkcompile_h, UTS_VERSION). The banner is trimmed text.
func bannerVersion(banner string) string {
	rest, ok := strings.CutPrefix(banner, "Linux version ")
	if !ok {
		return ""
	}
	if _, rest, ok = strings.Cut(rest, " "); !ok {
		return ""
	}
	for strings.HasPrefix(rest, "(") {
		end, depth := -1, 0
		for i := 0; i < len(rest) && end < 0; i++ {
			switch rest[i] {
			case '(':
				depth++
			case ')':
				if depth--; depth == 0 {
					end = i
				}
			}
		}
		if end < 0 {
			return "" // unbalanced
		}
		rest = strings.TrimPrefix(rest[end+1:], " ")
	}
	if len(rest) < 2 || rest[0] != '#' || strings.ContainsAny(rest, "\n\r") {
		return ""
	}
	return rest
}

// checkText rejects binary content (NUL or control bytes, invalid UTF-8).
func checkText(s string) error {
	if s == "" {
		return errors.New("empty")
	}
	if !utf8.ValidString(s) {
		return errors.New("not UTF-8 text")
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' && c != '\n' || c == 0x7f {
			return errors.New("binary content")
		}
	}
	return nil
}

// parseOneLine is for single-value files (osrelease, boot_id, clocksource…).
func parseOneLine(data []byte) (string, error) {
	s := strings.TrimSpace(string(data))
	if err := checkText(s); err != nil {
		return "", err
	}
	if strings.Contains(s, "\n") {
		return "", errors.New("more than one line")
	}
	return s, nil
}

// parseBootID checks /proc/sys/kernel/random/boot_id: a UUID.
func parseBootID(data []byte) (string, error) {
	s, err := parseOneLine(data)
	if err != nil {
		return "", err
	}
	if !isUUID(s) {
		return "", errors.New("not a UUID")
	}
	return strings.ToLower(s), nil
}

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !isHex(c) {
				return false
			}
		}
	}
	return true
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
