package procfile

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseBootID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want, wantErr string
	}{
		{name: "real", in: "f4930f3c-2b3d-4b60-85da-0010617c15a1\n", want: "f4930f3c-2b3d-4b60-85da-0010617c15a1"},
		// The copy in package sandbox kept the case: two readers of one
		// boot then disagreed.
		{name: "upper case is lower-cased", in: "F4930F3C-2B3D-4B60-85DA-0010617C15A1\n", want: "f4930f3c-2b3d-4b60-85da-0010617c15a1"},
		{name: "no newline", in: "f4930f3c-2b3d-4b60-85da-0010617c15a1", want: "f4930f3c-2b3d-4b60-85da-0010617c15a1"},
		{name: "not a UUID", in: "not-a-uuid\n", wantErr: `"not-a-uuid": not a UUID`},
		{name: "dashes misplaced", in: "f4930f3c2-b3d-4b60-85da-0010617c15a1", wantErr: "not a UUID"},
		{name: "empty", in: "", wantErr: "empty"},
		{name: "two lines", in: "f4930f3c-2b3d-4b60-85da-0010617c15a1\nf4930f3c-2b3d-4b60-85da-0010617c15a1\n", wantErr: "more than one line"},
		{name: "binary", in: "\x00\x01", wantErr: "binary content"},
		{name: "not UTF-8", in: "\xff\xfe", wantErr: "not UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseBootID([]byte(tt.in))
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

func FuzzParseBootID(f *testing.F) {
	f.Add([]byte("f4930f3c-2b3d-4b60-85da-0010617c15a1\n"))
	f.Add([]byte("F4930F3C-2B3D-4B60-85DA-0010617C15A1"))
	f.Add([]byte("not-a-uuid"))
	for _, b := range scenarioFiles(f, "proc/sys/kernel/random/boot_id") {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		id, err := ParseBootID(data)
		if err != nil {
			assert.Empty(t, id)
			return
		}
		assert.True(t, IsUUID(id))
		assert.Equal(t, strings.ToLower(id), id)
		assert.Contains(t, strings.ToLower(string(data)), id)
	})
}

func FuzzParseLine(f *testing.F) {
	f.Add([]byte("6.1.155\n"))
	f.Add([]byte("  kvm-clock  \n"))
	f.Add([]byte("a\nb"))
	f.Add([]byte("\x1b[2J"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseLine(data)
		if err != nil {
			assert.Empty(t, s)
			return
		}
		require.NoError(t, CheckText(s))
		assert.NotContains(t, s, "\n")
		assert.Equal(t, strings.TrimSpace(s), s)
	})
}
