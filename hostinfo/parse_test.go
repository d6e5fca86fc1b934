package hostinfo

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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

func TestParseCPUInfo(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    CPU
		wantErr string
	}{
		{name: "xen 2017 c4", in: xen2017CPU, want: CPU{Vendor: "GenuineIntel",
			ModelName: "Intel(R) Xeon(R) CPU E5-2666 v3 @ 2.90GHz", Count: 2, MHz: 2900.066,
			CacheKB: 25600, Family: 6, Model: 63, Stepping: 2, HypervisorFlag: true}},
		{name: "graviton2 has no model name", in: graviton2CPU, want: CPU{Count: 2,
			ARMImplementer: "0x41", ARMPart: "0xd0c"}},
		{name: "gvisor unknown model", in: "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 85\nmodel name\t: unknown\nstepping\t: unknown\ncpu MHz\t\t: 2000\ncache size\t: 8192 KB\n",
			want: CPU{Vendor: "GenuineIntel", ModelName: "unknown", Count: 1, MHz: 2000, CacheKB: 8192, Family: 6, Model: 85}},
		{name: "empty", in: "", wantErr: `no "processor" entries`},
		{name: "garbage numbers keep the rest", in: "processor: 0\nvendor_id: GenuineIntel\ncpu MHz: fast\ncache size: 12 MB\nmodel: -3\n",
			want: CPU{Vendor: "GenuineIntel", Count: 1}, wantErr: `field "cpu MHz"`},
		{name: "truncated mid-line", in: "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xe",
			want: CPU{Vendor: "GenuineIntel", ModelName: "Intel(R) Xe", Count: 1}},
		{name: "bad arm part", in: "processor: 0\nCPU implementer: 0x41\nCPU part: zz\n",
			want: CPU{Count: 1, ARMImplementer: "0x41"}, wantErr: `field "CPU part"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseCPUInfo([]byte(tt.in))
			assert.Equal(t, tt.want, got)
			if tt.wantErr == "" {
				assert.NoError(t, err)
			} else {
				assert.ErrorContains(t, err, tt.wantErr)
			}
		})
	}
}

func TestParseMemTotal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     uint64
		wantErr  string
	}{
		{"lambda 2017", "MemTotal:        3857864 kB\nMemFree:  1 kB\n", 3857864 * 1024, ""},
		{"no unit", "MemTotal: 4096\n", 4096, ""},
		{"second line", "MemFree: 1 kB\nMemTotal: 2 kB", 2048, ""},
		{"empty", "", 0, "no MemTotal line"},
		{"empty line first", "\nMemTotal: 1 kB\n", 1024, ""},
		{"no value", "MemTotal:\n", 0, `want "N kB"`},
		{"bad unit", "MemTotal: 1 MB\n", 0, "unit"},
		{"overflow", "MemTotal: 18446744073709551615 kB\n", 0, "out of range"},
		{"not a number", "MemTotal: lots kB\n", 0, "invalid syntax"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseMemTotal([]byte(tt.in))
			assert.Equal(t, tt.want, got)
			if tt.wantErr == "" {
				assert.NoError(t, err)
			} else {
				assert.ErrorContains(t, err, tt.wantErr)
			}
		})
	}
}

func TestParseSmallFiles(t *testing.T) {
	t.Parallel()
	banner, rel, err := parseProcVersion([]byte("Linux version 4.4.51-40.60.amzn1.x86_64 (mockbuild@gobi-build-60009) (gcc version 4.8.3 20140911 (Red Hat 4.8.3-9) (GCC) ) #1 SMP Wed Mar 29 19:17:24 UTC 2017\n"))
	require.NoError(t, err)
	assert.Equal(t, "4.4.51-40.60.amzn1.x86_64", rel)
	assert.Contains(t, banner, "mockbuild")

	_, _, err = parseProcVersion([]byte("\x00\x01binary"))
	assert.ErrorContains(t, err, "binary")
	_, _, err = parseProcVersion([]byte("Linux version \xff\xfe"))
	assert.ErrorContains(t, err, "not UTF-8")
	_, _, err = parseProcVersion([]byte("Darwin 23"))
	assert.ErrorContains(t, err, "Linux version")

	id, err := parseBootID([]byte("F4930F3C-2B3D-4B60-85DA-0010617C15A1\n"))
	require.NoError(t, err)
	assert.Equal(t, "f4930f3c-2b3d-4b60-85da-0010617c15a1", id)
	_, err = parseBootID([]byte("not-a-uuid"))
	assert.ErrorContains(t, err, "not a UUID")

	bt, err := parseBootTime([]byte("cpu  1 2 3\nbtime 1795627794\nprocesses 9\n"))
	require.NoError(t, err)
	assert.Equal(t, time.Unix(1795627794, 0).UTC(), bt)
	_, err = parseBootTime([]byte("cpu 1\n"))
	assert.ErrorContains(t, err, "no btime")
	_, err = parseBootTime([]byte("btime -5\n"))
	assert.ErrorContains(t, err, "not a Unix time")

	up, err := parseUptime([]byte("85.00 146.79\n"))
	require.NoError(t, err)
	assert.InDelta(t, 85.0, up, 1e-9)
	for _, bad := range []string{"abc def", "", "-1 2", "NaN 1"} {
		_, err = parseUptime([]byte(bad))
		assert.Error(t, err, bad)
	}

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

// TestBannerVersion: the version (uname -v) is taken from /proc/version
// only when the banner has exactly the kernel's shape; anything else gives
// "" so that Detect reads /proc/sys/kernel/version instead.
func TestBannerVersion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, banner, want string
	}{
		{"this build VM", "Linux version 6.18.44-fc-v657 (builder@sandboxing) (gcc (GCC) 15.3.0, GNU ld (GNU Binutils) 2.46) #1 SMP PREEMPT_DYNAMIC @0",
			"#1 SMP PREEMPT_DYNAMIC @0"},
		{"Lambda 2017, nested groups and a space before the last paren", "Linux version 4.4.35-33.55.amzn1.x86_64 (mockbuild@gobi-build-60006) (gcc version 4.8.3 20140911 (Red Hat 4.8.3-9) (GCC) ) #1 SMP Tue Dec 6 20:30:04 UTC 2016",
			"#1 SMP Tue Dec 6 20:30:04 UTC 2016"},
		{"Lambda 2020", "Linux version 4.14.193-110.317.amzn2.x86_64 (mockbuild@ip-10-0-1-32) (gcc version 7.3.1 20180712 (Red Hat 7.3.1-9) (GCC)) #1 SMP Fri Sep 11 23:37:26 UTC 2020",
			"#1 SMP Fri Sep 11 23:37:26 UTC 2020"},
		{"gVisor: no groups", "Linux version 4.4.0 #1 SMP Sun Jan 10 15:06:54 PST 2016", "#1 SMP Sun Jan 10 15:06:54 PST 2016"},
		{"unbalanced group", "Linux version 6.1.0 (a@b) (gcc (GCC 12 #1 SMP x", ""},
		{"no version after the groups", "Linux version 6.1.0 (a@b) (gcc)", ""},
		{"version without #", "Linux version 6.1.0 (a@b) (gcc) SMP Mon", ""},
		{"only a release", "Linux version 6.1.0", ""},
		{"two lines", "Linux version 6.1.0 #1 SMP\n#2", ""},
		{"not Linux", "Darwin Kernel Version 23.0.0", ""},
		{"just #", "Linux version 6.1.0 (a@b) #", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, bannerVersion(tt.banner))
		})
	}
}

// FuzzParsers runs every hostinfo parser over the same input: none may
// panic, and what they return must respect their documented ranges.
func FuzzParsers(f *testing.F) {
	f.Add([]byte(xen2017CPU))
	f.Add([]byte(graviton2CPU))
	f.Add([]byte("MemTotal: 3857864 kB\n"))
	f.Add([]byte("btime 1795627794\n"))
	f.Add([]byte("DRIVER=ena\n"))
	for _, name := range []string{"proc/cpuinfo", "proc/meminfo", "proc/version", "proc/stat", "proc/uptime", "proc/modules", "proc/cmdline", "proc/self/cgroup"} {
		for _, b := range scenarioFiles(f, name) {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cpu, err := parseCPUInfo(data)
		if err == nil && cpu.Count == 0 {
			t.Fatalf("cpuinfo: no error but no processors")
		}
		if cpu.Count < 0 || cpu.CacheKB < 0 || cpu.Family < 0 || cpu.Model < 0 || cpu.Stepping < 0 {
			t.Fatalf("cpuinfo: negative field %+v", cpu)
		}
		if mem, err := parseMemTotal(data); err != nil && mem != 0 {
			t.Fatalf("meminfo: value %d with error %v", mem, err)
		}
		if b, rel, err := parseProcVersion(data); err == nil && (b == "" || checkText(rel) != nil && rel != "") {
			t.Fatalf("version: %q %q", b, rel)
		}
		if b, _, err := parseProcVersion(data); err == nil {
			if v := bannerVersion(b); v != "" && (v[0] != '#' || !strings.HasSuffix(b, v) || strings.Contains(v, "\n")) {
				t.Fatalf("version %q from banner %q", v, b)
			}
		}
		if id, err := parseBootID(data); err == nil && !isUUID(id) {
			t.Fatalf("boot id %q accepted", id)
		}
		if bt, err := parseBootTime(data); err == nil && bt.Unix() <= 0 {
			t.Fatalf("btime %v accepted", bt)
		}
		if up, err := parseUptime(data); err == nil && (up < 0 || up != up) {
			t.Fatalf("uptime %v accepted", up)
		}
		if s, err := parseCmdline(data); err == nil && s != "" && checkText(s) != nil {
			t.Fatalf("cmdline %q accepted", s)
		}
		_, _ = parseModuleNetDrivers(data)
		_, _ = parseUevent(data)
		_ = acpiOEMID(data)
		_ = firstCString(data)
		_ = cgroupContainerHint(data)
	})
}
