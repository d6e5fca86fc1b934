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
