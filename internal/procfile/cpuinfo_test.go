package procfile

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func scenarioFile(t testing.TB, scenario, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "scenarios", scenario, filepath.FromSlash(name)))
	require.NoError(t, err)
	return string(b)
}

func TestParseCPUInfo(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    CPUInfo
		wantErr string
	}{
		{name: "lambda xen 2017 c4", in: scenarioFile(t, "lambda-xen-2017-c4", "proc/cpuinfo"), want: CPUInfo{Vendor: "GenuineIntel",
			ModelName: "Intel(R) Xeon(R) CPU E5-2666 v3 @ 2.90GHz", Count: 2, MHz: 2900.098,
			CacheKB: 25600, Family: 6, Model: 63, Stepping: 2, HypervisorFlag: true}},
		{name: "graviton2 has no model name", in: scenarioFile(t, "ec2-graviton2", "proc/cpuinfo"), want: CPUInfo{Count: 1,
			ARMImplementer: "0x41", ARMPart: "0xd0c"}},
		{name: "gvisor unknown model", in: "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 85\nmodel name\t: unknown\nstepping\t: unknown\ncpu MHz\t\t: 2000\ncache size\t: 8192 KB\n",
			want: CPUInfo{Vendor: "GenuineIntel", ModelName: "unknown", Count: 1, MHz: 2000, CacheKB: 8192, Family: 6, Model: 85}},
		{name: "empty", in: "", wantErr: `no "processor" entries`},
		{name: "garbage numbers keep the rest", in: "processor: 0\nvendor_id: GenuineIntel\ncpu MHz: fast\ncache size: 12 MB\nmodel: -3\n",
			want: CPUInfo{Vendor: "GenuineIntel", Count: 1}, wantErr: `field "cpu MHz"`},
		{name: "truncated mid-line", in: "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xe",
			want: CPUInfo{Vendor: "GenuineIntel", ModelName: "Intel(R) Xe", Count: 1}},
		{name: "bad arm part", in: "processor: 0\nCPU implementer: 0x41\nCPU part: zz\n",
			want: CPUInfo{Count: 1, ARMImplementer: "0x41"}, wantErr: `field "CPU part"`},
		{name: "upper-case hex is lower-cased", in: "processor: 0\nCPU implementer: 0X41\nCPU part: 0xD0C\n",
			want: CPUInfo{Count: 1, ARMImplementer: "0x41", ARMPart: "0xd0c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseCPUInfo([]byte(tt.in))
			assert.Equal(t, tt.want, got)
			if tt.wantErr == "" {
				assert.NoError(t, err)
			} else {
				assert.ErrorContains(t, err, tt.wantErr)
			}
		})
	}
}

// TestParseFinite: Go's ParseFloat accepts "NaN", "Inf", "infinity" and
// turns "1e400" into +Inf; none may reach a result encoding/json refuses.
func TestParseFinite(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"2900.066", 2900.066, true},
		{"0", 0, true},
		{"100000", 100000, true},
		{"100000.5", 0, false},
		{"NaN", 0, false},
		{"Inf", 0, false},
		{"infinity", 0, false},
		{"1e400", 0, false},
		{"-0.5", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := parseFinite(tt.in, maxMHz)
			assert.Equal(t, tt.ok, err == nil, "err %v", err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func FuzzParseCPUInfo(f *testing.F) {
	f.Add([]byte("processor\t: 0\ncpu MHz\t\t: NaN\n"))
	f.Add([]byte("processor: 0\nCPU implementer: 0x41\nCPU part: zz\n"))
	for _, b := range scenarioFiles(f, "proc/cpuinfo") {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cpu, err := ParseCPUInfo(data)
		if err == nil {
			assert.Positive(t, cpu.Count)
		}
		assert.GreaterOrEqual(t, cpu.Count, 0)
		assert.GreaterOrEqual(t, cpu.CacheKB, 0)
		assert.GreaterOrEqual(t, cpu.Family, 0)
		assert.GreaterOrEqual(t, cpu.Model, 0)
		assert.GreaterOrEqual(t, cpu.Stepping, 0)
		assert.True(t, cpu.MHz >= 0 && cpu.MHz <= maxMHz, "MHz %v", cpu.MHz)
	})
}
