package procfile

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// buildVMLimits is /proc/self/limits as captured on the development
// microVM (kept with package sandbox's captures).
func buildVMLimits(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "sandbox", "testdata", "captures", "buildvm_proc_self_limits.txt"))
	require.NoError(t, err)
	return b
}

func TestParseLimits(t *testing.T) {
	t.Parallel()
	t.Run("this machine", func(t *testing.T) {
		t.Parallel()
		l, err := ParseLimits(buildVMLimits(t))
		require.NoError(t, err)
		assert.Equal(t, Limits{OpenFiles: 20000, Processes: 96365}, l)
	})
	tests := []struct {
		name    string
		in      string
		want    Limits
		wantErr string
	}{
		{"lambda defaults", "Max processes             1024                 1024                 processes\nMax open files            1024                 1024                 files\n", Limits{1024, 1024}, ""},
		{"unlimited", "Max processes             unlimited            unlimited            processes\nMax open files            65535                1048576              files\n", Limits{65535, -1}, ""},
		{"missing processes", "Max open files 10 10 files\n", Limits{OpenFiles: 10}, `no "Max processes" line`},
		{"garbage value", "Max open files lots 10 files\nMax processes 5 5\n", Limits{Processes: 5}, `limit "lots"`},
		{"negative value", "Max open files -1 10 files\nMax processes 5 5\n", Limits{Processes: 5}, `limit "-1"`},
		{"over int64", "Max open files 9223372036854775808 10 files\nMax processes 5 5\n", Limits{Processes: 5}, "want a non-negative integer"},
		{"one field", "Max open files 10\nMax processes 5 5\n", Limits{Processes: 5}, "want SOFT HARD"},
		{"empty", "", Limits{}, `no "Max open files" line`},
		{"name runs on", "Max open files 10 10 files\nMax processes1  5 5\n", Limits{OpenFiles: 10}, `no "Max processes" line`},
		{"tab after the name", "Max open files\t10 10 files\nMax processes\t5 5\n", Limits{10, 5}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseLimits([]byte(tt.in))
			assert.Equal(t, tt.want, got)
			if tt.wantErr == "" {
				assert.NoError(t, err)
			} else {
				assert.ErrorContains(t, err, tt.wantErr)
			}
		})
	}
}

func FuzzParseLimits(f *testing.F) {
	f.Add(buildVMLimits(f))
	f.Add([]byte("Max processes unlimited unlimited processes\nMax open files 1024 1024 files\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := ParseLimits(data)
		assert.GreaterOrEqual(t, l.OpenFiles, int64(-1))
		assert.GreaterOrEqual(t, l.Processes, int64(-1))
		if l.OpenFiles != 0 {
			assert.Contains(t, string(data), "Max open files")
		}
		if err == nil {
			assert.Contains(t, string(data), "Max processes")
		}
	})
}
