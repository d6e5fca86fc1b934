package textsafe

import (
	"io"
	"unicode/utf8"
)

const hexDigits = "0123456789abcdef"

// Escape returns s with every character a terminal could act on written as
// an escape: C0 controls other than tab and newline, and DEL, as \xHH;
// C1 controls (U+0080–U+009F) and the bidirectional and line-separator
// format characters as \uHHHH; each byte of invalid UTF-8 as \xHH.
// Backslashes are not escaped, so the result reads like the input.
func Escape(s string) string {
	i := firstUnsafe(s)
	if i < 0 {
		return s
	}
	b := make([]byte, 0, len(s)+16)
	b = append(b, s[:i]...)
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			if unsafeASCII(c) {
				b = append(b, '\\', 'x', hexDigits[c>>4], hexDigits[c&0xf])
			} else {
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, '\\', 'x', hexDigits[c>>4], hexDigits[c&0xf])
		case unsafeRune(r):
			b = append(b, '\\', 'u', hexDigits[r>>12&0xf], hexDigits[r>>8&0xf], hexDigits[r>>4&0xf], hexDigits[r&0xf])
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return string(b)
}

// firstUnsafe is the index of the first byte Escape changes, or -1.
func firstUnsafe(s string) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if unsafeASCII(c) {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || unsafeRune(r) {
			return i
		}
		i += size
	}
	return -1
}

func unsafeASCII(c byte) bool {
	return (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f
}

// unsafeRune: C1 controls, and format characters that reorder or break
// the line they are in (Unicode bidirectional controls, U+2028, U+2029).
func unsafeRune(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, r >= 0x2028 && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// Writer escapes everything written to it (see Escape) and writes the
// result to the underlying writer. Each Write is escaped on its own: a
// UTF-8 character split across two writes shows as escaped bytes, never
// raw. fmt.Fprintf makes one Write per call, so its values stay whole.
type Writer struct {
	w io.Writer
}

// NewWriter returns a Writer writing to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Write writes the escaped p. It reports len(p) on success, as io.Writer
// requires, though more bytes may reach the underlying writer.
func (w *Writer) Write(p []byte) (int, error) {
	s := string(p)
	if _, err := io.WriteString(w.w, Escape(s)); err != nil {
		return 0, err
	}
	return len(p), nil
}
