package ec2data

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLookupModel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		model        string
		wantName     string
		wantMasked   bool
		wantFamilies []string
		wantMicro    string
		wantCache    int
	}{
		// 2017 Lambda (Xen era) sample, ThreatResponse/python-lambda-inspector.
		{"E5-2666 v3 only on c4", "Intel(R) Xeon(R) CPU E5-2666 v3 @ 2.90GHz", "Intel(R) Xeon(R) CPU E5-2666 v3 @ 2.90GHz", false, []string{"c4"}, "Haswell-EP", 25600},
		{"second spelling", "AMD EPYC 7R13 48-Core Processor", "AMD EPYC 7R13 Processor", false, nil, "Zen 3", 512},
		{"all caps spelling seen on i7i", "INTEL(R) XEON(R) PLATINUM 8559C", "Intel(R) Xeon(R) Platinum 8559C", false, nil, "Emerald Rapids", 327680},
		{"padding and runs of spaces", "  Intel(R) Xeon(R)   Platinum 8175M CPU @ 2.50GHz\t", "Intel(R) Xeon(R) Platinum 8175M CPU @ 2.50GHz", false, nil, "Skylake-SP", 33792},
		{"masked AMD", "AMD EPYC", "AMD EPYC", true, nil, "", 0},
		{"masked Intel", "Intel(R) Xeon(R) Processor @ 2.50GHz", "Intel(R) Xeon(R) Processor @ 2.50GHz", true, nil, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, ok := LookupModel(tt.model)
			require.True(t, ok)
			assert.Equal(t, tt.wantName, m.Name)
			assert.Equal(t, tt.wantMasked, m.Masked)
			assert.Equal(t, "x86_64", m.Arch)
			if tt.wantFamilies != nil {
				assert.Equal(t, tt.wantFamilies, m.Families)
			}
			assert.Equal(t, tt.wantMicro, m.Microarchitecture)
			assert.Equal(t, tt.wantCache, m.CacheKB)
		})
	}
}

func TestLookupModelMisses(t *testing.T) {
	t.Parallel()
	for _, model := range []string{
		"", " ", "unknown", // gVisor
		"Intel(R) Xeon(R) CPU E5-2650L v3 @ 1.80GHz", // hook.io 2017: not an EC2 CPU in the tables
		"Intel(R) Xeon(R) Processor @ 2.60GHz",       // masked shape, no known host
		"AMD EPYC 7R13 Processor extra", "AMD EPY", "AMD  EPYC  7571 x",
	} {
		_, ok := LookupModel(model)
		assert.False(t, ok, "%q", model)
	}
}

func TestMaskedHosts(t *testing.T) {
	t.Parallel()
	// The Firecracker brand-string normalisation pairs.
	tests := []struct {
		brand   string
		cacheKB int
		want    []string
	}{
		{"Intel(R) Xeon(R) Processor @ 2.50GHz", 33792, []string{"Intel(R) Xeon(R) Platinum 8175M CPU @ 2.50GHz"}},
		{"Intel(R) Xeon(R) Processor @ 2.50GHz", 36608, []string{"Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz"}},
		{"Intel(R) Xeon(R) Processor @ 2.50GHz", 25600, []string{"Intel(R) Xeon(R) CPU E5-2670 v2 @ 2.50GHz"}},
		{"Intel(R) Xeon(R) Processor @ 3.00GHz", 25344, []string{"Intel(R) Xeon(R) Platinum 8124M CPU @ 3.00GHz", "Intel(R) Xeon(R) Platinum 8223CL CPU @ 3.00GHz"}},
		{"Intel(R) Xeon(R) Processor @ 3.00GHz", 36608, []string{"Intel(R) Xeon(R) Platinum 8275CL CPU @ 3.00GHz"}},
		{"Intel(R) Xeon(R) Processor @ 2.90GHz", 55296, []string{"Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz"}},
		{"AMD EPYC", 512, []string{"AMD EPYC 7571", "AMD EPYC 7R13 Processor", "AMD EPYC 7R32"}},
		{"AMD EPYC", 1024, []string{"AMD EPYC 9R05", "AMD EPYC 9R14", "AMD EPYC 9R45"}},
		{"Intel(R) Xeon(R) Processor", 107520, []string{"Intel(R) Xeon(R) Platinum 8477C", "Intel(R) Xeon(R) Platinum 8488C"}},
	}
	for _, tt := range tests {
		t.Run(tt.brand+"/"+strconv.Itoa(tt.cacheKB), func(t *testing.T) {
			t.Parallel()
			m, ok := LookupModel(tt.brand)
			require.True(t, ok)
			require.True(t, m.Masked)
			var got []string
			for _, h := range m.Hosts {
				if h.CacheKB == tt.cacheKB {
					got = append(got, h.Model)
				}
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestLookupPart(t *testing.T) {
	t.Parallel()
	tests := []struct {
		impl, part string
		graviton   int
		core       string
	}{
		{"0x41", "0xd08", 1, "Cortex-A72"},
		{"0x41", "0xd0c", 2, "Neoverse-N1"},
		{"0x41", "0xD0C", 2, "Neoverse-N1"},
		{"0X41", "d0c", 2, "Neoverse-N1"},
		{"0x41", "0xd40", 3, "Neoverse-V1"},
		{"0x41", "0xd4f", 4, "Neoverse-V2"},
		{"0x41", "0xd84", 5, "Neoverse-V3"},
	}
	for _, tt := range tests {
		m, ok := LookupPart(tt.impl, tt.part)
		require.True(t, ok, "%s/%s", tt.impl, tt.part)
		assert.Equal(t, tt.graviton, m.Graviton)
		assert.Equal(t, tt.core, m.Microarchitecture)
		assert.Equal(t, "AWS Graviton"+strconv.Itoa(tt.graviton), m.Name)
		assert.Equal(t, "arm64", m.Arch)
	}
	for _, bad := range [][2]string{{"0x41", "0xd03"}, {"0xc0", "0xd0c"}, {"", ""}, {"0x41", "0x"}, {"0x41", "0xd0c0c"}, {"0x41", "zz"}, {"0x41", "-1"}} {
		_, ok := LookupPart(bad[0], bad[1])
		assert.False(t, ok, "%v", bad)
	}
}

func TestLookupType(t *testing.T) {
	t.Parallel()
	in, ok := LookupType("c4.large")
	require.True(t, ok)
	assert.Equal(t, "c4.large", in.Type())
	assert.Equal(t, "c4", in.Family())
	assert.Equal(t, "GenuineIntel", in.Vendor())
	assert.Equal(t, "Intel(R) Xeon(R) CPU E5-2666 v3 @ 2.90GHz", in.Model())
	assert.Equal(t, 25600, in.CacheKB())
	assert.Equal(t, 2, in.VCPUs())
	assert.Equal(t, 2900, in.MHz())
	assert.Equal(t, 3716, in.MemMB())
	assert.Equal(t, "2025-12-10", in.ObservedOn())
	g, ok := LookupType("m7g.metal")
	require.True(t, ok)
	assert.Equal(t, "m7g", g.Family())
	assert.Empty(t, g.Model(), "arm64 rows carry no CPU details")
	assert.Empty(t, g.Vendor())
	assert.Zero(t, g.CacheKB())
	// The zero Instance knows nothing.
	var zero Instance
	assert.Empty(t, zero.Type())
	assert.Empty(t, zero.Family())
	assert.Zero(t, zero.VCPUs())
	assert.Empty(t, zero.Vendor())
	assert.Empty(t, zero.Model())
	assert.Empty(t, zero.ObservedOn())
	for _, miss := range []string{"", "c4", "c4.huge", "zz.large", "a"} {
		_, ok := LookupType(miss)
		assert.False(t, ok, miss)
	}
}

// TestTableInvariants checks the generated tables against the properties
// the lookups rely on.
func TestTableInvariants(t *testing.T) {
	t.Parallel()
	models := Models()
	require.NotEmpty(t, models)
	all := AllInstances()
	require.NotEmpty(t, all)
	covered := 0
	for _, m := range models {
		assert.True(t, slices.IsSorted(m.Families), "%s families sorted", m.Name)
		assert.NotEmpty(t, m.Families, m.Name)
		insts := m.Instances()
		covered += len(insts)
		switch {
		case m.Masked:
			assert.Empty(t, insts, "a masked brand names no instance")
			assert.NotEmpty(t, m.Hosts, m.Name)
			var union []string
			for _, h := range m.Hosts {
				hm, ok := LookupModel(h.Model)
				require.True(t, ok, h.Model)
				assert.False(t, hm.Masked)
				assert.Equal(t, hm.CacheKB, h.CacheKB)
				assert.Equal(t, hm.Families, h.Families)
				union = append(union, h.Families...)
			}
			slices.Sort(union)
			assert.Equal(t, slices.Compact(union), m.Families, m.Name)
		case m.Arch == "arm64":
			assert.Positive(t, m.Graviton)
			for _, in := range insts {
				assert.Empty(t, in.Model())
				assert.Empty(t, in.Vendor())
				assert.True(t, m.HasFamily(in.Family()), in.Type())
			}
		default:
			assert.Positive(t, m.CacheKB, m.Name)
			assert.NotEmpty(t, m.Microarchitecture, m.Name)
			for _, in := range insts {
				assert.True(t, slices.ContainsFunc(m.Names, func(n string) bool { return strings.EqualFold(n, in.Model()) }), in.Type())
				assert.Equal(t, m.Vendor, in.Vendor(), in.Type())
				assert.True(t, m.HasFamily(in.Family()), in.Type())
				assert.Equal(t, m.CacheKB, in.CacheKB(), in.Type())
			}
		}
		assert.True(t, slices.IsSortedFunc(insts, func(a, b Instance) int { return strings.Compare(a.Type(), b.Type()) }), m.Name)
	}
	assert.Equal(t, len(all), covered, "every instance belongs to exactly one CPU row")
	// The type names tile instanceTypes: each row's starts where the
	// previous one's ends.
	off := 0
	for _, in := range instances {
		assert.Equal(t, off, int(in.typeOff))
		off += int(in.typeLen)
	}
	assert.Equal(t, len(instanceTypes), off)
	for _, in := range all {
		got, ok := LookupType(in.Type())
		assert.True(t, ok, in.Type())
		assert.Equal(t, in, got)
		assert.Regexp(t, `^[a-z][a-z0-9-]*\.[a-z0-9-]+$`, in.Type())
		assert.True(t, strings.HasPrefix(in.Type(), in.Family()+"."), in.Type())
		assert.Regexp(t, `^\d{4}-\d{2}-\d{2}$`, in.ObservedOn(), in.Type())
		assert.Positive(t, in.VCPUs(), in.Type())
		assert.Positive(t, in.MemMB(), in.Type())
	}
}

func TestInstancesAreReadOnlyViews(t *testing.T) {
	t.Parallel()
	m, ok := LookupModel("Intel(R) Xeon(R) CPU E5-2666 v3 @ 2.90GHz")
	require.True(t, ok)
	insts := m.Instances()
	require.Len(t, insts, 5)
	// The view has no spare capacity: appending copies instead of
	// overwriting the next CPU's rows.
	assert.Equal(t, len(insts), cap(insts))
	assert.Empty(t, CPUModel{lo: 3, hi: 1}.Instances())
	assert.Empty(t, CPUModel{lo: -1, hi: 1 << 20}.Instances())
}

func TestSameModel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want bool
	}{
		{"AMD EPYC", "AMD EPYC", true},
		{"AMD EPYC", "amd epyc", true},
		{"AMD EPYC", " AMD  EPYC ", true},
		{"AMD EPYC", "AMD\tEPYC", true},
		{"AMD EPYC", "AMDEPYC", false},
		{"AMD EPYC", "AMD EPYC ", true},
		{"AMD EPYC", "AMD EPY", false},
		{"AMD EPYC", "AMD EPYC 7571", false},
		{"", "", true},
		{"", " ", true},
		{"a", "", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, sameModel(tt.a, tt.b), "%q vs %q", tt.a, tt.b)
		assert.Equal(t, tt.want, sameModel(tt.b, tt.a), "%q vs %q (swapped)", tt.b, tt.a)
	}
}

func FuzzLookup(f *testing.F) {
	for _, m := range Models() {
		for _, n := range m.Names {
			f.Add(n, "0x41", "0xd0c")
		}
	}
	f.Add("unknown", "0x41", "0xD4F")
	f.Add("  intel(r) xeon(r) processor @ 2.50ghz ", "0X41", "d84")
	f.Add("\xff\x00", "0x", "0xffffffff")
	f.Fuzz(func(t *testing.T, name, impl, part string) {
		if !sameModel(name, name) {
			t.Fatalf("sameModel(%q, itself) = false", name)
		}
		if m, ok := LookupModel(name); ok {
			if !slices.ContainsFunc(m.Names, func(n string) bool { return sameModel(n, name) }) {
				t.Fatalf("LookupModel(%q) = %q, which has no matching spelling", name, m.Name)
			}
			if m.Arch != "x86_64" {
				t.Fatalf("LookupModel(%q) gave an %s row", name, m.Arch)
			}
		}
		if m, ok := LookupPart(impl, part); ok {
			p, _ := parseHex(part)
			if m.PartID != p || m.Arch != "arm64" || m.Graviton == 0 {
				t.Fatalf("LookupPart(%q, %q) = %+v", impl, part, m)
			}
		}
		if in, ok := LookupType(name); ok && in.Type() != name {
			t.Fatalf("LookupType(%q) = %q", name, in.Type())
		}
	})
}

func BenchmarkLookupModel(b *testing.B) {
	for _, name := range []string{"Intel(R) Xeon(R) Processor @ 2.50GHz", "AMD EPYC", "intel(r) xeon(r) cpu e5-2666 v3 @ 2.90ghz", "not a model"} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				LookupModel(name)
			}
		})
	}
}
