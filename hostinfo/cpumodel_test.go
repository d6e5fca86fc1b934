package hostinfo

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/internal/ec2data"
)

func TestDecodeARM(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, impl, part string
		core             string
		graviton         int
	}{
		{"Graviton1", "0x41", "0xd08", "Cortex-A72", 1},
		// t4g.small, github.com/amazonlinux/amazon-linux-2023/issues/455.
		{"Graviton2", "0x41", "0xd0c", "Neoverse-N1", 2},
		{"Graviton2 upper case", "0x41", "0xD0C", "Neoverse-N1", 2},
		{"upper case X", "0X41", "0XD0C", "Neoverse-N1", 2},
		{"padded", " 0x41 ", "\t0xd0c", "Neoverse-N1", 2},
		{"Graviton3", "0x41", "0xd40", "Neoverse-V1", 3},
		{"Graviton4", "0x41", "0xd4f", "Neoverse-V2", 4},
		{"Graviton5", "0x41", "0xd84", "Neoverse-V3", 5},
		{"Raspberry Pi 3", "0x41", "0xd03", "Cortex-A53", 0},
		{"Cortex-A57", "0x41", "0xd07", "Cortex-A57", 0},
		{"Raspberry Pi 5", "0x41", "0xd0b", "Cortex-A76", 0},
		{"Azure Cobalt 100", "0x41", "0xd49", "Neoverse-N2", 0},
		{"Neoverse-N3", "0x41", "0xd8e", "Neoverse-N3", 0},
		{"AmpereOne", "0xc0", "0xac3", "Ampere-1", 0},
		{"unknown Arm part", "0x41", "0xfff", "", 0},
		{"unknown implementer", "0x61", "0x022", "", 0},
		{"empty", "", "", "", 0},
		{"no 0x", "41", "d0c", "", 0},
		{"garbage", "0xzz", "0xd0c", "", 0},
		{"too long", "0x41", "0x0000d0c", "", 0},
		{"negative", "0x41", "-0xd0c", "", 0},
		{"bare 0x", "0x", "0x", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			core, g := decodeARM(tt.impl, tt.part)
			assert.Equal(t, tt.core, core)
			assert.Equal(t, tt.graviton, g)
		})
	}
}

// TestDecodeARMAgreesWithTables: every arm64 row of the EC2 CPU table
// decodes to the same core and Graviton generation.
func TestDecodeARMAgreesWithTables(t *testing.T) {
	t.Parallel()
	n := 0
	for _, m := range ec2data.Models() {
		if m.Arch != "arm64" {
			continue
		}
		n++
		impl := "0x" + strings.ToLower(strings.TrimLeft(hex16(m.ImplementerID), "0"))
		part := "0x" + hex16(m.PartID)[1:]
		core, g := decodeARM(impl, part)
		assert.Equal(t, m.Microarchitecture, core, "%s %s/%s", m.Name, impl, part)
		assert.Equal(t, m.Graviton, g, "%s %s/%s", m.Name, impl, part)
	}
	assert.Equal(t, 5, n, "Graviton1 to Graviton5")
}

func hex16(v uint16) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[v>>12&0xf], digits[v>>8&0xf], digits[v>>4&0xf], digits[v&0xf]})
}

func TestMicroarchitecture(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cpu  CPU
		want string
	}{
		// ThreatResponse/python-lambda-inspector 2017 Lambda (Xen) sample.
		{"E5-2666 v3 from the table", CPU{Vendor: "GenuineIntel", ModelName: "Intel(R) Xeon(R) CPU E5-2666 v3 @ 2.90GHz", Family: 6, Model: 63, Stepping: 2, CacheKB: 25600}, "Haswell-EP"},
		// BenjiTrapp/smashing-aws-lambda 2022: masked brand, T2 template tuple 6/63/2.
		{"masked 2.50GHz 33792 KB", CPU{Vendor: "GenuineIntel", ModelName: "Intel(R) Xeon(R) Processor @ 2.50GHz", Family: 6, Model: 63, Stepping: 2, CacheKB: 33792}, "Skylake-SP"},
		// pydemo/pyshell 2020: masked brand, C3 template tuple 6/62/4.
		{"masked 2.50GHz 36608 KB", CPU{Vendor: "GenuineIntel", ModelName: "Intel(R) Xeon(R) Processor @ 2.50GHz", Family: 6, Model: 62, Stepping: 4, CacheKB: 36608}, "Cascade Lake-SP"},
		{"masked 3.00GHz 25344 KB: two generations", CPU{Vendor: "GenuineIntel", ModelName: "Intel(R) Xeon(R) Processor @ 3.00GHz", CacheKB: 25344}, "Cascade Lake-SP/Skylake-SP"},
		// This build machine: Firecracker on AMD, 1024 KB.
		// The build machine, recorded on a Zen 4 host (family 25 model 17)
		// and later live on a Zen 5 one (family 26 model 2): a Zen family
		// is never a template value, so it narrows the 1024 KB hosts.
		{"AMD EPYC 1024 KB, family 25 model 17", CPU{Vendor: "AuthenticAMD", ModelName: "AMD EPYC", Family: 25, Model: 17, CacheKB: 1024}, "Zen 4"},
		{"AMD EPYC 1024 KB, family 26 model 2", CPU{Vendor: "AuthenticAMD", ModelName: "AMD EPYC", Family: 26, Model: 2, CacheKB: 1024}, "Zen 5"},
		{"AMD EPYC 512 KB, family 25 model 1", CPU{Vendor: "AuthenticAMD", ModelName: "AMD EPYC", Family: 25, Model: 1, CacheKB: 512}, "Zen 3"},
		{"AMD EPYC 512 KB, family 23 model 49", CPU{Vendor: "AuthenticAMD", ModelName: "AMD EPYC", Family: 23, Model: 49, CacheKB: 512}, "Zen 2"},
		{"AMD EPYC, tuple and cache disagree: the tuple stands", CPU{Vendor: "AuthenticAMD", ModelName: "AMD EPYC", Family: 26, Model: 2, CacheKB: 512}, "Zen 5"},
		{"masked 3.00GHz 25344 KB, model 85 stepping 4 (no template)", CPU{Vendor: "GenuineIntel", ModelName: "Intel(R) Xeon(R) Processor @ 3.00GHz", Family: 6, Model: 85, Stepping: 4, CacheKB: 25344}, "Skylake-SP"},
		{"masked 2.50GHz 33792 KB, T2 tuple 6/63/2 ignored", CPU{Vendor: "GenuineIntel", ModelName: "Intel(R) Xeon(R) Processor @ 2.50GHz", Family: 6, Model: 63, Stepping: 2, CacheKB: 33792}, "Skylake-SP"},
		{"AMD EPYC 512 KB", CPU{Vendor: "AuthenticAMD", ModelName: "AMD EPYC", CacheKB: 512}, "Zen 1/2/3"},
		{"AMD EPYC, T2A template tuple ignored", CPU{Vendor: "AuthenticAMD", ModelName: "AMD EPYC", Family: 6, Model: 63, CacheKB: 1024}, "Zen 4/5"},
		{"AMD EPYC, cache unknown", CPU{ModelName: "AMD EPYC"}, "Zen 1/2/3/4/5"},
		{"masked, cache matches no host", CPU{ModelName: "Intel(R) Xeon(R) Processor @ 2.50GHz", CacheKB: 1234, Family: 6, Model: 85, Stepping: 7}, ""},
		{"masked brand of an unknown host, trusted model", CPU{Vendor: "GenuineIntel", ModelName: "Intel(R) Xeon(R) Processor @ 2.60GHz", Family: 6, Model: 85, Stepping: 7}, "Cascade Lake-SP"},
		{"masked brand of an unknown host, template model", CPU{Vendor: "GenuineIntel", ModelName: "Intel(R) Xeon(R) Processor @ 2.60GHz", Family: 6, Model: 63, Stepping: 2}, ""},
		{"Graviton2", CPU{ARMImplementer: "0x41", ARMPart: "0xd0c", ModelName: "Neoverse-N1"}, "Neoverse-N1"},
		{"arm, unknown part", CPU{ARMImplementer: "0x41", ARMPart: "0x123"}, ""},
		{"Intel by family/model", CPU{Vendor: "GenuineIntel", ModelName: "Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz", Family: 6, Model: 0x8e}, "Kaby Lake/Coffee Lake"},
		{"Intel 0x55 stepping 7", CPU{Vendor: "GenuineIntel", ModelName: "Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz", Family: 6, Model: 0x55, Stepping: 7}, "Cascade Lake-SP"},
		{"Intel 0x55 stepping 4", CPU{Vendor: "GenuineIntel", ModelName: "Intel(R) Xeon(R) Gold 6148 CPU @ 2.40GHz", Family: 6, Model: 0x55, Stepping: 4}, "Skylake-SP"},
		{"Intel 0x55 stepping unknown", CPU{Vendor: "GenuineIntel", ModelName: "Intel(R) Xeon(R) CPU", Family: 6, Model: 0x55}, "Skylake-SP/Cascade Lake-SP"},
		// hook.io 2017 sample: E5-2650L v3, not an EC2 CPU.
		{"Haswell-EP by model", CPU{Vendor: "GenuineIntel", ModelName: "Intel(R) Xeon(R) CPU E5-2650L v3 @ 1.80GHz", Family: 6, Model: 63}, "Haswell-EP/EX"},
		{"AMD Zen 3 by family/model", CPU{Vendor: "AuthenticAMD", ModelName: "AMD EPYC 7B13", Family: 0x19, Model: 0x01}, "Zen 3"},
		{"AMD Zen 4 by family/model", CPU{Vendor: "AuthenticAMD", ModelName: "AMD Ryzen 9 7950X", Family: 0x19, Model: 0x61}, "Zen 4"},
		{"AMD Zen 5", CPU{Vendor: "AuthenticAMD", ModelName: "AMD EPYC 9B45", Family: 0x1a, Model: 0x02}, "Zen 5"},
		{"AMD Zen 2 without vendor", CPU{ModelName: "AMD EPYC 7B12", Family: 0x17, Model: 0x31}, "Zen 2"},
		{"AMD unknown family", CPU{Vendor: "AuthenticAMD", ModelName: "AMD Opteron", Family: 0x15, Model: 1}, ""},
		{"Intel non-6 family", CPU{Vendor: "GenuineIntel", ModelName: "Intel(R) Xeon Phi", Family: 19}, ""},
		// gVisor: the model name is hidden; vendor/family/model come from host CPUID.
		{"gVisor unknown model name", CPU{Vendor: "GenuineIntel", ModelName: "unknown", Family: 6, Model: 0x55, Stepping: 7}, "Cascade Lake-SP"},
		{"zero", CPU{}, ""},
		{"other vendor", CPU{Vendor: "HygonGenuine", Family: 0x18, Model: 1}, ""},
		{"negative numbers", CPU{Vendor: "GenuineIntel", Family: -6, Model: -1}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, microarchitecture(tt.cpu))
		})
	}
}

// generations lists the names eachGeneration yields.
func generations(joined string) []string {
	var out []string
	eachGeneration(joined, func(prefix, rest string) bool {
		out = append(out, prefix+rest)
		return true
	})
	return out
}

func TestGenerations(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string
	}{
		{"Zen 5", []string{"Zen 5"}},
		{"Zen 4/5", []string{"Zen 4", "Zen 5"}},
		{"Zen 1/2/3", []string{"Zen 1", "Zen 2", "Zen 3"}},
		{"Haswell-EP/EX", []string{"Haswell-EP", "Haswell-EX"}},
		{"Broadwell-EP/EX/DE", []string{"Broadwell-EP", "Broadwell-EX", "Broadwell-DE"}},
		{"Skylake-SP/Cascade Lake-SP", []string{"Skylake-SP", "Cascade Lake-SP"}},
		{"Kaby Lake/Coffee Lake", []string{"Kaby Lake", "Coffee Lake"}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, generations(tt.in), "%q", tt.in)
	}
	assert.True(t, sameGeneration("Zen 5", "Zen 4/5"))
	assert.False(t, sameGeneration("Zen 5", "Zen 4"))
	assert.True(t, sameGeneration("Haswell-EP/EX", "Haswell-EX"))
}

// TestCPUGenerationEvidence: the evidence names the fields trusted, and
// says when a template tuple was not used.
func TestCPUGenerationEvidence(t *testing.T) {
	t.Parallel()
	name, ev := cpuGeneration(CPU{Vendor: "AuthenticAMD", ModelName: "AMD EPYC", Family: 26, Model: 2, CacheKB: 1024}, true)
	assert.Equal(t, "Zen 5", name)
	require.Len(t, ev, 2)
	assert.Contains(t, ev[0], "1024 KB")
	assert.Contains(t, ev[0], "Zen 4/5")
	assert.Contains(t, ev[1], "cpu family 26, model 2 is trusted")
	name, ev = cpuGeneration(CPU{Vendor: "AuthenticAMD", ModelName: "AMD EPYC", Family: 6, Model: 63, CacheKB: 1024}, true)
	assert.Equal(t, "Zen 4/5", name)
	require.Len(t, ev, 2)
	assert.Contains(t, ev[1], "T2A")
	_, ev = cpuGeneration(CPU{ARMImplementer: "0x41", ARMPart: "0xd40"}, true)
	require.Len(t, ev, 1)
	assert.Contains(t, ev[0], "Neoverse-V1")
	_, ev = cpuGeneration(CPU{Vendor: "AuthenticAMD", ModelName: "AMD EPYC", Family: 26, Model: 2}, false)
	assert.Nil(t, ev, "no evidence is built unless asked for")
}

func TestJoinMicroarchitectures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"Zen 4"}, "Zen 4"},
		{[]string{"Zen 5", "Zen 4"}, "Zen 4/5"},
		{[]string{"Zen 3", "Zen 1", "Zen 2"}, "Zen 1/2/3"},
		{[]string{"Skylake-SP", "Cascade Lake-SP"}, "Cascade Lake-SP/Skylake-SP"},
		{[]string{"Ivy Bridge-EP", "Ivy Bridge-EX"}, "Ivy Bridge-EP/Ivy Bridge-EX"},
		{[]string{"Zen 4", "Zen 4c extra"}, "Zen 4/Zen 4c extra"},
		{[]string{"Sapphire Rapids", "Emerald Rapids", "Granite Rapids"}, "Emerald Rapids/Granite Rapids/Sapphire Rapids"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, joinMicroarchitectures(tt.in), "%q", tt.in)
	}
}

// TestMicroarchitectureCoversTables: every real x86 CPU of the EC2 table
// is named, and its family/model decode (where the table gives one in its
// detail) agrees in generation with the table.
func TestMicroarchitectureCoversTables(t *testing.T) {
	t.Parallel()
	for _, m := range ec2data.Models() {
		if m.Arch != "x86_64" {
			continue
		}
		for _, n := range m.Names {
			got := microarchitecture(CPU{ModelName: n, CacheKB: m.CacheKB})
			require.NotEmpty(t, got, n)
			if !m.Masked {
				assert.Equal(t, m.Microarchitecture, got, n)
			}
		}
	}
}

func FuzzDecodeARM(f *testing.F) {
	f.Add("0x41", "0xd0c")
	f.Add("0x41", "0xD4F")
	f.Add("0xc0", "0xac3")
	f.Add("0X41", "0x0d84")
	f.Add("", "0x")
	f.Add("\x00", "0xffffffffffffffff")
	f.Fuzz(func(t *testing.T, impl, part string) {
		core, g := decodeARM(impl, part)
		if g < 0 || g > 5 {
			t.Fatalf("graviton %d", g)
		}
		if g > 0 && core == "" {
			t.Fatalf("graviton %d without a core", g)
		}
		// Case does not matter.
		c2, g2 := decodeARM(strings.ToUpper(impl), strings.ToUpper(part))
		c3, g3 := decodeARM(strings.ToLower(impl), strings.ToLower(part))
		if c2 != c3 || g2 != g3 {
			t.Fatalf("case changes the answer: %q/%d vs %q/%d", c2, g2, c3, g3)
		}
		m := microarchitecture(CPU{ARMImplementer: impl, ARMPart: part})
		if m != core {
			t.Fatalf("microarchitecture %q, decodeARM %q", m, core)
		}
	})
}
