package excerpt

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestClip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"short", "MemTotal: x", "MemTotal: x"},
		{"exactly Max", strings.Repeat("a", Max), strings.Repeat("a", Max)},
		{"long line cut", strings.Repeat("b", 1000), strings.Repeat("b", Max) + "…"},
		{"terminal escape", "\x1b]0;pwned\x07", `\x1b]0;pwned\x07`},
		{"C1 and DEL", "a\u009bb\x7f", `a\x9bb\x7f`},
		{"invalid UTF-8", "a\xffb", "a\uFFFDb"},
		{"no split character", strings.Repeat("a", Max-1) + "é", strings.Repeat("a", Max-1) + "…"},
		{"newline", "line one\nline two", `line one\x0aline two`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, Clip(tt.in))
			assert.Equal(t, tt.want, Clip([]byte(tt.in)))
		})
	}
}

// FuzzClip: an excerpt is valid UTF-8, has no control character, and
// keeps at most Max bytes of the input.
func FuzzClip(f *testing.F) {
	for _, s := range []string{"", "plain", "\x1b[2J", strings.Repeat("é", 40), "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Clip(s)
		assert.True(t, utf8.ValidString(got))
		for _, r := range got {
			assert.False(t, r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0), "control character %U", r)
		}
		assert.LessOrEqual(t, len(strings.TrimSuffix(got, "…")), 4*Max, "escapes at most quadruple")
	})
}
