package procfile

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// CheckText rejects what a kernel text file never holds: nothing at all,
// invalid UTF-8, NUL and other control bytes but tab and newline.
func CheckText(s string) error {
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

// ParseLine parses a one-value text file (/proc/sys/kernel/osrelease, a
// DMI string, the clock source, …): one line of text, trimmed of
// surrounding white space.
func ParseLine(data []byte) (string, error) {
	s := strings.TrimSpace(string(data))
	if err := CheckText(s); err != nil {
		return "", err
	}
	if strings.Contains(s, "\n") {
		return "", errors.New("more than one line")
	}
	return s, nil
}
