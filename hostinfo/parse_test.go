package hostinfo

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/internal/procfile"
)

// Seeds for the parsers' tests and fuzz targets come from the real captures
// copied into testdata/scenarios (see each PROVENANCE.md).
func scenarioFiles(t testing.TB, name string) [][]byte {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join("..", "testdata", "scenarios", "*", filepath.FromSlash(name)))
	var out [][]byte
	for _, p := range paths {
		if b, err := os.ReadFile(p); err == nil {
			out = append(out, b)
		}
	}
	return out
}

const xen2017CPU = `processor	: 0
vendor_id	: GenuineIntel
cpu family	: 6
model		: 63
model name	: Intel(R) Xeon(R) CPU E5-2666 v3 @ 2.90GHz
stepping	: 2
microcode	: 0x36
cpu MHz		: 2900.066
cache size	: 25600 KB
flags		: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx rdtscp lm constant_tsc rep_good nopl xtopology eagerfpu pni pclmulqdq ssse3 fma cx16 pcid sse4_1 sse4_2 x2apic movbe popcnt tsc_deadline_timer aes xsave avx f16c rdrand hypervisor lahf_lm abm fsgsbase bmi1 avx2 smep bmi2 erms invpcid xsaveopt

processor	: 1
vendor_id	: GenuineIntel
model name	: Intel(R) Xeon(R) CPU E5-2666 v3 @ 2.90GHz
cache size	: 25600 KB
`

const graviton2CPU = `processor	: 0
BogoMIPS	: 243.75
Features	: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp ssbs
CPU implementer	: 0x41
CPU architecture: 8
CPU variant	: 0x3
CPU part	: 0xd0c
CPU revision	: 1

processor	: 1
CPU implementer	: 0x41
CPU part	: 0xd0c
`

func TestParseSmallFiles(t *testing.T) {
	t.Parallel()
	d, err := parseUevent([]byte("DRIVER=virtio_net\nMODALIAS=virtio:d00000001v00001AF4\n"))
	require.NoError(t, err)
	assert.Equal(t, "virtio_net", d)
	_, err = parseUevent([]byte("MODALIAS=x\n"))
	assert.ErrorContains(t, err, "no DRIVER")

	mods, err := parseModuleNetDrivers([]byte("ixgbevf 61440 0 - Live 0xffffffffa0000000\nkvm 1 0 - Live 0x0\nena 1 0 - Live 0x0\n"))
	require.NoError(t, err)
	assert.Equal(t, []string{"ixgbevf", "ena"}, mods)

	assert.Equal(t, "FIRECK", acpiOEMID([]byte("DSDTS\x0f\x00\x00\x02wFIRECK")))
	assert.Equal(t, "", acpiOEMID([]byte("DSDT")))
	assert.Equal(t, "linux,dummy-virt", firstCString([]byte("linux,dummy-virt\x00")))
}

// FuzzParsers runs every hostinfo parser over the same input (the kernel
// files' parsers are fuzzed in internal/procfile): none may panic, and
// what they return must respect their documented ranges.
func FuzzParsers(f *testing.F) {
	f.Add([]byte("DRIVER=ena\n"))
	f.Add([]byte("DSDTS\x0f\x00\x00\x02wFIRECK"))
	for _, name := range []string{"proc/modules", "proc/cmdline", "proc/self/cgroup"} {
		for _, b := range scenarioFiles(f, name) {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if s, err := parseCmdline(data); err == nil && s != "" && procfile.CheckText(s) != nil {
			t.Fatalf("cmdline %q accepted", s)
		}
		_, _ = parseModuleNetDrivers(data)
		_, _ = parseUevent(data)
		_ = acpiOEMID(data)
		_ = firstCString(data)
		_ = cgroupContainerHint(data)
	})
}
