package logline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"
)

// handler is the slog.Handler of NewLogger: byte for byte what
// slog.NewJSONHandler with replaceAttr writes, without the cost that
// handler pays for generality on the invocation path — every float
// encoded through encoding/json, every attribute handed to ReplaceAttr.
// (log/slog/json_handler.go, Go's source, is the reference for each rule
// below; handler_test.go holds the two to the same output.)
//
// WithAttrs and WithGroup return slog's own JSON handler on the same
// writer: the output stays the same, only slower.
type handler struct {
	w    *lockedWriter
	slow slog.Handler // slog.NewJSONHandler on w, with replaceAttr
}

// lockedWriter serialises the writes of both handlers: each line is one
// Write.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

func newHandler(w io.Writer) *handler {
	lw := &lockedWriter{w: w}
	return &handler{w: lw, slow: slog.NewJSONHandler(lw, &slog.HandlerOptions{ReplaceAttr: replaceAttr})}
}

func (h *handler) Enabled(ctx context.Context, l slog.Level) bool { return h.slow.Enabled(ctx, l) }

func (h *handler) WithAttrs(as []slog.Attr) slog.Handler { return h.slow.WithAttrs(as) }

func (h *handler) WithGroup(name string) slog.Handler { return h.slow.WithGroup(name) }

// bufPool holds line buffers; one over maxPooled is not kept.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

const maxPooled = 16 << 10

func (h *handler) Handle(_ context.Context, r slog.Record) error {
	p := bufPool.Get().(*[]byte)
	b := (*p)[:0]
	b = append(b, '{')
	sep := false
	if !r.Time.IsZero() {
		b = append(b, `"timestamp":`...)
		b = appendTime(b, r.Time.Round(0))
		sep = true
	}
	if sep {
		b = append(b, ',')
	}
	b = append(b, `"level":`...)
	b = appendString(b, r.Level.String())
	b = append(b, `,"message":`...)
	b = appendString(b, r.Message)
	r.Attrs(func(a slog.Attr) bool {
		var wrote bool
		b, wrote = appendAttr(b, a, true, true)
		_ = wrote
		return true
	})
	b = append(b, '}', '\n')
	_, err := h.w.Write(b)
	if cap(b) <= maxPooled {
		*p = b
		bufPool.Put(p)
	}
	return err
}

// appendAttr appends ,"key":value (without the comma when first is false
// and nothing precedes it inside the object: sep says whether a comma is
// due) and reports whether it appended anything. top: a top-level
// attribute, to which replaceAttr applies.
func appendAttr(b []byte, a slog.Attr, top, sep bool) ([]byte, bool) {
	a.Value = a.Value.Resolve()
	if top && a.Value.Kind() != slog.KindGroup {
		a = replaceAttr(nil, a)
		a.Value = a.Value.Resolve()
	}
	if a.Equal(slog.Attr{}) {
		return b, false
	}
	if a.Value.Kind() == slog.KindGroup {
		attrs := a.Value.Group()
		if len(attrs) == 0 {
			return b, false
		}
		pos := len(b)
		inner := sep
		if a.Key != "" {
			if sep {
				b = append(b, ',')
			}
			b = appendString(b, a.Key)
			b = append(b, ':', '{')
			inner = false
		}
		wrote := false
		for _, ga := range attrs {
			var w bool
			b, w = appendAttr(b, ga, false, inner)
			if w {
				wrote, inner = true, true
			}
		}
		if !wrote {
			return b[:pos], false
		}
		if a.Key != "" {
			b = append(b, '}')
		}
		return b, true
	}
	if sep {
		b = append(b, ',')
	}
	b = appendString(b, a.Key)
	b = append(b, ':')
	return appendValue(b, a.Value), true
}

// appendValue is slog's appendJSONValue.
func appendValue(b []byte, v slog.Value) []byte {
	switch v.Kind() {
	case slog.KindString:
		return appendString(b, v.String())
	case slog.KindInt64:
		return strconv.AppendInt(b, v.Int64(), 10)
	case slog.KindUint64:
		return strconv.AppendUint(b, v.Uint64(), 10)
	case slog.KindFloat64:
		return appendFloat(b, v.Float64())
	case slog.KindBool:
		return strconv.AppendBool(b, v.Bool())
	case slog.KindDuration:
		return strconv.AppendInt(b, int64(v.Duration()), 10)
	case slog.KindTime:
		return appendTime(b, v.Time())
	default: // KindAny (groups and LogValuers are resolved by the caller)
		a := v.Any()
		_, jm := a.(json.Marshaler)
		if err, ok := a.(error); ok && !jm {
			return appendString(b, err.Error())
		}
		return appendMarshal(b, a)
	}
}

// appendMarshal is encoding/json's encoding without HTML escaping, as
// slog writes an Any; a failure is slog's "!ERROR:" string.
func appendMarshal(b []byte, a any) []byte {
	var w jsonBuf
	enc := json.NewEncoder(&w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(a); err != nil {
		return appendError(b, err)
	}
	return append(b, w[:len(w)-1]...) // without Encode's newline
}

type jsonBuf []byte

func (j *jsonBuf) Write(p []byte) (int, error) { *j = append(*j, p...); return len(p), nil }

func appendError(b []byte, err error) []byte {
	return appendString(b, fmt.Sprintf("!ERROR:%v", err))
}

// appendFloat writes f as encoding/json does (which is what slog calls):
// 'f' format between 1e-6 and 1e21, else 'e' with a one-digit negative
// exponent cleaned up (e-07 → e-7); NaN and ±Inf are json's error.
func appendFloat(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return appendError(b, &json.UnsupportedValueError{Str: strconv.FormatFloat(f, 'g', -1, 64)})
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// appendTime is slog's appendJSONTime: RFC 3339 with nanoseconds, and an
// error for a year outside 0–9999 (written before the time, as slog does).
func appendTime(b []byte, t time.Time) []byte {
	if y := t.Year(); y < 0 || y >= 10000 {
		b = appendError(b, errors.New("time.Time year outside of range [0,9999]"))
	}
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

// appendString is slog's appendEscapedJSONString, quoted: encoding/json's
// escaping less the HTML escapes, U+2028 and U+2029 escaped, invalid
// UTF-8 as \ufffd.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case c == '\u2028' || c == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[c&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
