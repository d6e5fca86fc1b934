package procfile

import (
	"bytes"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseMeminfo(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    Meminfo
		wantErr string
	}{
		{name: "lambda 2017", in: "MemTotal:        3857864 kB\nMemFree:          1 kB\nMemAvailable:   7 kB\nBuffers: 2 kB\nCached: 3 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\nHugePages_Total:       0\n",
			want: Meminfo{MemTotal: 3857864 * 1024, MemFree: 1024, MemAvailable: 7 * 1024, Buffers: 2048, Cached: 3072}},
		{name: "no unit", in: "MemTotal: 4096\n", want: Meminfo{MemTotal: 4096}},
		{name: "Linux before 3.14: no MemAvailable", in: "MemTotal: 2 kB\nMemFree: 1 kB", want: Meminfo{MemTotal: 2048, MemFree: 1024}},
		{name: "second line", in: "MemFree: 1 kB\nMemTotal: 2 kB", want: Meminfo{MemTotal: 2048, MemFree: 1024}},
		{name: "empty", in: "", wantErr: "no MemTotal line"},
		{name: "empty line", in: "\nMemTotal: 1 kB\n", wantErr: `line "": want "Key: N kB"`},
		{name: "no value", in: "MemTotal:\n", wantErr: `want "Key: N kB"`},
		{name: "no colon", in: "MemTotal 1 kB\n", wantErr: `want "Key: N kB"`},
		{name: "four fields", in: "MemTotal: 1 kB x\n", wantErr: `want "Key: N kB"`},
		{name: "bad unit", in: "MemTotal: 1 MB\n", wantErr: `unit "MB", want kB`},
		{name: "overflow", in: "MemTotal: 18446744073709551615 kB\n", wantErr: "not a number of bytes"},
		{name: "largest in kB", in: "MemTotal: 18014398509481983 kB\n", want: Meminfo{MemTotal: 18014398509481983 * 1024}},
		{name: "not a number", in: "MemTotal: lots kB\n", wantErr: "not a number of bytes"},
		{name: "hex is not the kernel's", in: "MemTotal: 0x10 kB\n", wantErr: "not a number of bytes"},
		{name: "leading zero is not the kernel's", in: "MemTotal: 010 kB\n", wantErr: "not a number of bytes"},
		{name: "zero", in: "MemTotal: 1 kB\nSwapTotal: 0 kB\n", want: Meminfo{MemTotal: 1024}},
		{name: "garbage in a line not kept", in: "MemTotal: 1 kB\nSlab: x kB\n", wantErr: `line "Slab: x kB"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseMeminfo([]byte(tt.in))
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

func TestParseMeminfoScenarios(t *testing.T) {
	t.Parallel()
	for _, b := range scenarioFiles(t, "proc/meminfo") {
		m, err := ParseMeminfo(b)
		if err != nil {
			continue // the bad-input trees
		}
		assert.Positive(t, m.MemTotal)
		assert.LessOrEqual(t, m.MemFree, m.MemTotal)
		assert.LessOrEqual(t, m.MemAvailable, m.MemTotal)
	}
}

func FuzzParseMeminfo(f *testing.F) {
	f.Add([]byte("MemTotal:        3857864 kB\nMemFree:          1 kB\nMemAvailable:   7 kB\n"))
	f.Add([]byte("MemTotal: 18014398509481983 kB\n"))
	f.Add([]byte("\n"))
	for _, b := range scenarioFiles(f, "proc/meminfo") {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseMeminfo(data)
		if err != nil {
			assert.Zero(t, m, "no partial result with an error")
			return
		}
		// MemTotal is the value of a MemTotal line, in bytes.
		found := false
		for line := range bytes.Lines(data) {
			f := bytes.Fields(line)
			if len(f) >= 2 && string(f[0]) == "MemTotal:" {
				n, err := strconv.ParseUint(string(f[1]), 10, 64)
				require.NoError(t, err)
				if len(f) == 3 {
					n *= 1024
				}
				found = found || n == m.MemTotal
			}
		}
		assert.True(t, found, "MemTotal %d comes from a MemTotal line", m.MemTotal)
	})
}
