package procfile

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseHostname(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want, wantErr string
	}{
		{name: "lambda", in: "169.254.76.1\n", want: "169.254.76.1"},
		{name: "ec2", in: "ip-10-0-12-5.ec2.internal\n", want: "ip-10-0-12-5.ec2.internal"},
		{name: "never set", in: "(none)\n", want: ""},
		{name: "set empty", in: "\n", want: ""},
		{name: "empty file", in: "", want: ""},
		{name: "64 bytes", in: strings.Repeat("h", 64) + "\n", want: strings.Repeat("h", 64)},
		{name: "65 bytes", in: strings.Repeat("h", 65), wantErr: "longer than 64 bytes"},
		{name: "two lines", in: "a\nb\n", wantErr: "more than one line"},
		{name: "space", in: "my host\n", wantErr: "white space"},
		{name: "terminal escape", in: "\x1b]0;pwned\x07\n", wantErr: "binary content"},
		{name: "not UTF-8", in: "\xff\n", wantErr: "not UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseHostname([]byte(tt.in))
			if tt.wantErr != "" {
				assert.ErrorContains(t, err, tt.wantErr)
				assert.Empty(t, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseMachineID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want, wantErr string
	}{
		{name: "systemd", in: "4a1c2e7f0b9d4c3e8f6a5b2d1c0e9f8a\n", want: "4a1c2e7f0b9d4c3e8f6a5b2d1c0e9f8a"},
		{name: "upper case", in: "4A1C2E7F0B9D4C3E8F6A5B2D1C0E9F8A", want: "4a1c2e7f0b9d4c3e8f6a5b2d1c0e9f8a"},
		{name: "empty: an image", in: "", want: ""},
		{name: "uninitialized: first boot", in: "uninitialized\n", want: ""},
		{name: "a UUID is not a machine id", in: "4a1c2e7f-0b9d-4c3e-8f6a-5b2d1c0e9f8a\n", wantErr: "not 32 hex digits"},
		{name: "31 digits", in: "4a1c2e7f0b9d4c3e8f6a5b2d1c0e9f8\n", wantErr: "not 32 hex digits"},
		{name: "garbage", in: "\x1b[2J\n", wantErr: `x1b[2J": not 32 hex digits`},
		{name: "huge", in: strings.Repeat("a", 1<<16), wantErr: "not 32 hex digits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseMachineID([]byte(tt.in))
			if tt.wantErr != "" {
				assert.ErrorContains(t, err, tt.wantErr)
				assert.Empty(t, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseSessionID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     uint32
		wantErr  string
	}{
		{name: "unset", in: "4294967295", want: 0},
		{name: "unset with newline", in: "4294967295\n", want: 0},
		{name: "a login session", in: "3", want: 3},
		{name: "largest set", in: "4294967294", want: 4294967294},
		{name: "too large", in: "4294967296", wantErr: "not an audit session id"},
		{name: "negative", in: "-1", wantErr: "not an audit session id"},
		{name: "empty", in: "", wantErr: "not an audit session id"},
		{name: "garbage", in: "abc", wantErr: `"abc"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseSessionID([]byte(tt.in))
			if tt.wantErr != "" {
				assert.ErrorContains(t, err, tt.wantErr)
				assert.Zero(t, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func FuzzParseHostname(f *testing.F) {
	f.Add([]byte("169.254.76.1\n"))
	f.Add([]byte("(none)\n"))
	f.Add([]byte("a b"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseHostname(data)
		if err != nil {
			assert.Empty(t, s)
			return
		}
		assert.LessOrEqual(t, len(s), maxHostname)
		assert.NotContains(t, s, " ")
		if s != "" {
			require.NoError(t, CheckText(s))
		}
	})
}

func FuzzParseMachineID(f *testing.F) {
	f.Add([]byte("4a1c2e7f0b9d4c3e8f6a5b2d1c0e9f8a\n"))
	f.Add([]byte("uninitialized\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseMachineID(data)
		if err != nil {
			assert.Empty(t, s)
			return
		}
		if s != "" {
			assert.Len(t, s, 32)
			assert.True(t, allHex(s))
			assert.Equal(t, strings.ToLower(s), s)
		}
	})
}

func FuzzParseSessionID(f *testing.F) {
	f.Add([]byte("4294967295"))
	f.Add([]byte("3\n"))
	f.Add([]byte("-1"))
	f.Fuzz(func(t *testing.T, data []byte) {
		id, err := ParseSessionID(data)
		if err != nil {
			assert.Zero(t, id)
			return
		}
		if id != 0 {
			assert.Contains(t, string(data), strconv.FormatUint(uint64(id), 10))
		}
	})
}
