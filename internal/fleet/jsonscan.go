package fleet

import (
	"errors"
	"unicode/utf8"
)

// A small, allocation-free JSON walker: it checks one JSON object against
// the grammar of RFC 8259 and calls visit for every scalar in it with the
// dotted path of object keys that leads there ("host.cpu.model_name").
// Elements of an array get the array's path ("host.instance.family_candidates"
// once per element). encoding/json into a struct costs ~12 µs for an
// invocation line here; this walk costs a tenth of that, which is what lets
// `faasprobe fleet` read a million lines in a few seconds.

// Value kinds passed to visit.
const (
	jsonString = 's' // raw: the bytes between the quotes, escapes not decoded
	jsonNumber = 'n' // raw: the number as written
	jsonTrue   = 't'
	jsonFalse  = 'f'
	jsonNull   = 'z'
)

// jsonValue is one scalar found by walkJSON. raw aliases the input.
type jsonValue struct {
	kind    byte
	raw     []byte
	escaped bool // a string holding at least one backslash escape
}

// Errors of walkJSON. errTruncated means the input ended inside the value:
// a line cut short (Lambda and CloudWatch cut events at 256 KiB).
var (
	errTruncated  = errors.New("truncated JSON")
	errMalformed  = errors.New("malformed JSON")
	errNotObject  = errors.New("not a JSON object")
	errTooDeep    = errors.New("JSON nested too deep")
	errPathTooBig = errors.New("JSON key path too long")
)

// Limits of the walker: nesting depth and key-path length. Our lines nest
// four levels and their longest path is under 40 bytes.
const (
	maxJSONDepth = 64
	maxJSONPath  = 512
)

// walker holds the walk's state; reused across lines to keep the path
// buffer.
type walker struct {
	b     []byte
	i     int
	path  []byte
	visit func(path []byte, v jsonValue)
}

// walkJSON walks the JSON object in b (surrounding white space allowed) and
// calls visit for each scalar. It stops at the first error; visit may have
// been called for values before it.
func (w *walker) walkJSON(b []byte, visit func(path []byte, v jsonValue)) error {
	w.b, w.i, w.path, w.visit = b, 0, w.path[:0], visit
	w.skipSpace()
	if w.i >= len(w.b) {
		return errNotObject
	}
	if w.b[w.i] != '{' {
		return errNotObject
	}
	if err := w.object(0); err != nil {
		return err
	}
	w.skipSpace()
	if w.i != len(w.b) {
		return errMalformed // trailing data
	}
	return nil
}

func (w *walker) skipSpace() {
	for w.i < len(w.b) {
		switch w.b[w.i] {
		case ' ', '\t', '\n', '\r':
			w.i++
		default:
			return
		}
	}
}

// object walks an object starting at '{'.
func (w *walker) object(depth int) error {
	if depth >= maxJSONDepth {
		return errTooDeep
	}
	w.i++ // '{'
	w.skipSpace()
	if w.i >= len(w.b) {
		return errTruncated
	}
	if w.b[w.i] == '}' {
		w.i++
		return nil
	}
	base := len(w.path)
	for {
		w.skipSpace()
		if w.i >= len(w.b) {
			return errTruncated
		}
		if w.b[w.i] != '"' {
			return errMalformed
		}
		key, _, err := w.str()
		if err != nil {
			return err
		}
		w.path = w.path[:base]
		if base > 0 {
			w.path = append(w.path, '.')
		}
		w.path = append(w.path, key...)
		if len(w.path) > maxJSONPath {
			return errPathTooBig
		}
		w.skipSpace()
		if w.i >= len(w.b) {
			return errTruncated
		}
		if w.b[w.i] != ':' {
			return errMalformed
		}
		w.i++
		if err := w.value(depth + 1); err != nil {
			return err
		}
		w.skipSpace()
		if w.i >= len(w.b) {
			return errTruncated
		}
		switch w.b[w.i] {
		case ',':
			w.i++
		case '}':
			w.i++
			w.path = w.path[:base]
			return nil
		default:
			return errMalformed
		}
	}
}

// array walks an array starting at '['; its elements keep the current path.
func (w *walker) array(depth int) error {
	if depth >= maxJSONDepth {
		return errTooDeep
	}
	w.i++ // '['
	w.skipSpace()
	if w.i >= len(w.b) {
		return errTruncated
	}
	if w.b[w.i] == ']' {
		w.i++
		return nil
	}
	base := len(w.path)
	for {
		if err := w.value(depth + 1); err != nil {
			return err
		}
		w.path = w.path[:base]
		w.skipSpace()
		if w.i >= len(w.b) {
			return errTruncated
		}
		switch w.b[w.i] {
		case ',':
			w.i++
		case ']':
			w.i++
			return nil
		default:
			return errMalformed
		}
	}
}

// value walks any value at w.i (after optional white space).
func (w *walker) value(depth int) error {
	w.skipSpace()
	if w.i >= len(w.b) {
		return errTruncated
	}
	switch c := w.b[w.i]; {
	case c == '{':
		return w.object(depth)
	case c == '[':
		return w.array(depth)
	case c == '"':
		raw, esc, err := w.str()
		if err != nil {
			return err
		}
		w.visit(w.path, jsonValue{kind: jsonString, raw: raw, escaped: esc})
		return nil
	case c == '-' || c >= '0' && c <= '9':
		raw, err := w.number()
		if err != nil {
			return err
		}
		w.visit(w.path, jsonValue{kind: jsonNumber, raw: raw})
		return nil
	case c == 't':
		return w.literal("true", jsonTrue)
	case c == 'f':
		return w.literal("false", jsonFalse)
	case c == 'n':
		return w.literal("null", jsonNull)
	}
	return errMalformed
}

func (w *walker) literal(lit string, kind byte) error {
	rest := w.b[w.i:]
	n := min(len(rest), len(lit))
	if string(rest[:n]) != lit[:n] {
		return errMalformed
	}
	if n < len(lit) {
		return errTruncated
	}
	w.i += len(lit)
	w.visit(w.path, jsonValue{kind: kind})
	return nil
}

// str scans a string starting at '"' and returns its raw content.
func (w *walker) str() (raw []byte, escaped bool, err error) {
	start := w.i + 1
	rest := w.b[start:]
	for j := 0; j < len(rest); j++ {
		c := rest[j]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue // the common case, first
		}
		switch c {
		case '"':
			w.i = start + j + 1
			return rest[:j], escaped, nil
		case '\\':
			escaped = true
			j++
			if j >= len(rest) {
				return nil, false, errTruncated
			}
			switch rest[j] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				for k := 1; k <= 4; k++ {
					if j+k >= len(rest) {
						return nil, false, errTruncated
					}
					if !isHex(rest[j+k]) {
						return nil, false, errMalformed
					}
				}
				j += 4
			default:
				return nil, false, errMalformed
			}
		default: // a control character
			return nil, false, errMalformed
		}
	}
	return nil, false, errTruncated
}

// number scans a JSON number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (w *walker) number() ([]byte, error) {
	b, start := w.b, w.i
	j := start
	if j < len(b) && b[j] == '-' {
		j++
	}
	digits := func() int {
		k := j
		for j < len(b) && b[j] >= '0' && b[j] <= '9' {
			j++
		}
		return j - k
	}
	if j >= len(b) {
		return nil, errTruncated
	}
	if b[j] == '0' {
		j++
	} else if digits() == 0 {
		return nil, errMalformed
	}
	if j < len(b) && b[j] == '.' {
		j++
		if j >= len(b) {
			return nil, errTruncated
		}
		if digits() == 0 {
			return nil, errMalformed
		}
	}
	if j < len(b) && (b[j] == 'e' || b[j] == 'E') {
		j++
		if j < len(b) && (b[j] == '+' || b[j] == '-') {
			j++
		}
		if j >= len(b) {
			return nil, errTruncated
		}
		if digits() == 0 {
			return nil, errMalformed
		}
	}
	w.i = j
	return b[start:j], nil
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// unescapeJSON appends the decoded form of a raw JSON string (as returned
// by the walker, so already validated) to dst. Invalid surrogates become
// U+FFFD, as encoding/json does.
func unescapeJSON(dst, raw []byte) []byte {
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c != '\\' {
			dst = append(dst, c)
			continue
		}
		i++
		if i >= len(raw) {
			break
		}
		switch raw[i] {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			if i+4 >= len(raw) {
				return dst
			}
			r := rune(hex4(raw[i+1 : i+5]))
			i += 4
			if r >= 0xD800 && r < 0xDC00 && i+6 < len(raw) && raw[i+1] == '\\' && raw[i+2] == 'u' {
				r2 := rune(hex4(raw[i+3 : i+7]))
				if r2 >= 0xDC00 && r2 < 0xE000 {
					r = (r-0xD800)<<10 | (r2 - 0xDC00) + 0x10000
					i += 6
				} else {
					r = 0xFFFD
				}
			} else if r >= 0xD800 && r < 0xE000 {
				r = 0xFFFD
			}
			dst = utf8.AppendRune(dst, r)
		default: // '"', '\\', '/'
			dst = append(dst, raw[i])
		}
	}
	return dst
}

func hex4(b []byte) int {
	n := 0
	for _, c := range b {
		n <<= 4
		switch {
		case c >= '0' && c <= '9':
			n |= int(c - '0')
		case c >= 'a' && c <= 'f':
			n |= int(c-'a') + 10
		case c >= 'A' && c <= 'F':
			n |= int(c-'A') + 10
		}
	}
	return n
}
