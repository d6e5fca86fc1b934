package textsafe

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEscape(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"plain", "Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz", "Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz"},
		{"tab and newline pass", "a\tb\nc", "a\tb\nc"},
		{"printable unicode passes", "× café 日本 🚀", "× café 日本 🚀"},
		{"clear screen and OSC title", "\x1b[2J\x1b]0;pwned\x07Xeon", `\x1b[2J\x1b]0;pwned\x07Xeon`},
		{"carriage return", "ok\rFAKE", `ok\x0dFAKE`},
		{"NUL and DEL", "a\x00b\x7f", `a\x00b\x7f`},
		{"C1 CSI", "a\u009b2Jb", `a\u009b2Jb`},
		{"C1 first and last", "\u0080\u009f", `\u0080\u009f`},
		{"bidi override", "abc\u202edef", `abc\u202edef`},
		{"bidi isolate", "\u2066x\u2069", `\u2066x\u2069`},
		{"line separator", "a\u2028b", `a\u2028b`},
		{"invalid UTF-8", "a\xffb\xc3", `a\xffb\xc3`},
		{"C1 as raw bytes is invalid UTF-8", "\x9b", `\x9b`},
		{"backslash kept", `C:\x1b`, `C:\x1b`},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, Escape(tt.in))
		})
	}
}

func TestEscapeSafeDoesNotAllocate(t *testing.T) {
	s := "Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz, cache 36608 KB (Cascade Lake-SP) × 2"
	assert.Zero(t, testing.AllocsPerRun(100, func() { _ = Escape(s) }))
}

func TestWriter(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	w := NewWriter(&b)
	n, err := fmt.Fprintf(w, "%-8s %s\n", "cpu:", "\x1b[2JXeon")
	require.NoError(t, err)
	assert.Equal(t, len("cpu:     \x1b[2JXeon\n"), n)
	assert.Equal(t, "cpu:     \\x1b[2JXeon\n", b.String())

	_, err = NewWriter(failWriter{}).Write([]byte("x"))
	assert.Error(t, err)
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// unescape inverts Escape for input without backslashes.
func unescape(t *testing.T, s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			continue
		}
		switch s[i+1] {
		case 'x':
			v, err := strconv.ParseUint(s[i+2:i+4], 16, 8)
			require.NoError(t, err)
			b.WriteByte(byte(v))
			i += 3
		case 'u':
			v, err := strconv.ParseUint(s[i+2:i+6], 16, 32)
			require.NoError(t, err)
			b.WriteRune(rune(v))
			i += 5
		default:
			t.Fatalf("unknown escape in %q", s)
		}
	}
	return b.String()
}

// FuzzEscape: the output never holds a control character other than tab
// and newline, is valid UTF-8, leaves safe text alone, and (for text
// without backslashes, which Escape leaves unescaped) decodes back to the
// input, so two inputs never look alike.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"Xeon", "\x1b[2J\x1b]0;pwned\x07Xeon", "\u009b\u202e\xff", "a\tb\nc\r", "\xe2\x80", "日本\x7f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := Escape(s)
		require.True(t, utf8.ValidString(e), "%q", e)
		for _, r := range e {
			if r == '\t' || r == '\n' {
				continue
			}
			require.False(t, r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || unsafeRune(r), "%q holds %U", e, r)
		}
		if firstUnsafe(s) < 0 {
			require.Equal(t, s, e)
		}
		if !strings.Contains(s, `\`) {
			require.Equal(t, s, unescape(t, e))
		}
		var b bytes.Buffer
		_, err := NewWriter(&b).Write([]byte(s))
		require.NoError(t, err)
		require.Equal(t, e, b.String())
	})
}
