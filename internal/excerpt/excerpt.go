package excerpt

import (
	"strings"
	"unicode/utf8"
)

// Max is the most bytes of input an excerpt keeps.
const Max = 40

// Clip returns the excerpt of s (see the package doc).
func Clip[T string | []byte](s T) string {
	cut := len(s) > Max
	n := min(len(s), Max)
	for n > 0 && n < len(s) && !utf8.RuneStart(s[n]) {
		n-- // do not split a character
	}
	var b strings.Builder
	for _, r := range string(s[:n]) {
		switch {
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			const hex = "0123456789abcdef"
			if r > 0xff {
				r = utf8.RuneError
			}
			b.WriteString(`\x`)
			b.WriteByte(hex[r>>4])
			b.WriteByte(hex[r&0xf])
		default:
			b.WriteRune(r) // utf8.RuneError for invalid bytes
		}
	}
	if cut {
		b.WriteString("…")
	}
	return b.String()
}
