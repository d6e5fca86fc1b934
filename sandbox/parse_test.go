package sandbox

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/hostinfo"
	"github.com/faasprobe/faasprobe/internal/cgroupfs"
)

// capture reads a file of testdata/captures (see its README).
func capture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "captures", name))
	require.NoError(t, err)
	return b
}

func TestParseStatusIDs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		in       string
		uid, gid int
		wantErr  string
	}{
		{"lambda xen sbx_user1051", "Name:\tnode\nUid:\t496\t496\t496\t496\nGid:\t495\t495\t495\t495\n", 496, 495, ""},
		{"real differs from effective", "Uid:\t993\t0\t0\t0\nGid:\t990\t0\t0\t0\n", 993, 990, ""},
		{"no Gid line (tree made from id output)", "Uid:\t0\t0\t0\t0\n", 0, -1, ""},
		{"no Uid line", "Gid:\t5\n", -1, 5, ""},
		{"empty file", "", -1, -1, "no Uid: or Gid: line"},
		{"garbage uid", "Uid:\tx1\t0\t0\t0\nGid:\t0\t0\t0\t0\n", -1, 0, `not a decimal`},
		{"negative uid", "Uid:\t-1\t0\nGid:\t0\n", -1, 0, `not a decimal`},
		{"no-id marker 4294967295", "Uid:\t4294967295\nGid:\t0\n", -1, 0, "out of range"},
		{"Uid line without ids", "Uid:\nGid:\t7\n", -1, 7, "no id"},
		{"first Uid line wins", "Uid:\t5\nUid:\t6\nGid:\t1\n", 5, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			uid, gid, err := parseStatusIDs([]byte(tt.in))
			assert.Equal(t, tt.uid, uid, "uid")
			assert.Equal(t, tt.gid, gid, "gid")
			if tt.wantErr == "" {
				assert.NoError(t, err)
			} else {
				assert.ErrorContains(t, err, tt.wantErr)
			}
		})
	}
	t.Run("this machine's capture", func(t *testing.T) {
		t.Parallel()
		uid, gid, err := parseStatusIDs(capture(t, "buildvm_proc_self_status.txt"))
		require.NoError(t, err)
		assert.Equal(t, 0, uid) // captured as root
		assert.Equal(t, 0, gid)
	})
}

func TestLookupName(t *testing.T) {
	t.Parallel()
	legacy := capture(t, "lambda2018_etc_passwd.txt")
	tests := []struct {
		name    string
		data    []byte
		id      int
		fields  int
		want    string
		found   bool
		wantErr string
	}{
		{"xen lambda slot 0", legacy, 496, passwdFields, "sbx_user1051", true, ""},
		{"xen lambda slot 10", legacy, 486, passwdFields, "sbx_user1061", true, ""},
		{"uid not listed (firecracker 993)", legacy, 993, passwdFields, "", false, ""},
		{"root on this machine", capture(t, "buildvm_etc_passwd.txt"), 0, passwdFields, "root", true, ""},
		{"group root on this machine", capture(t, "buildvm_etc_group.txt"), 0, groupFields, "root", true, ""},
		{"first entry wins", []byte("a:x:5:5::/:/bin/sh\nb:x:5:5::/:/bin/sh\n"), 5, passwdFields, "a", true, ""},
		{"NIS and comments skipped", []byte("# c\n+::::::\n-bad\n\nu:x:7:7::/:/bin/sh\n"), 7, passwdFields, "u", true, ""},
		{"CRLF lines", []byte("u:x:7:7::/:/bin/sh\r\n"), 7, passwdFields, "u", true, ""},
		{"short line", []byte("u:x:7\nv:x:8:8::/:/bin/sh\n"), 8, passwdFields, "v", true, "1 malformed line(s)"},
		{"non-numeric uid", []byte("u:x:seven:7::/:/bin/sh\n"), 7, passwdFields, "", false, "line(s) [1]"},
		{"empty name", []byte(":x:7:7::/:/bin/sh\n"), 7, passwdFields, "", false, "malformed"},
		{"binary garbage", []byte("\x00\xff\x01:::\n"), 0, passwdFields, "", false, "malformed"},
		{"group line", []byte("sbx:x:495:\n"), 495, groupFields, "sbx", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			name, found, err := lookupName(tt.data, tt.id, tt.fields)
			assert.Equal(t, tt.want, name)
			assert.Equal(t, tt.found, found)
			if tt.wantErr == "" {
				assert.NoError(t, err)
			} else {
				assert.ErrorContains(t, err, tt.wantErr)
			}
		})
	}
	t.Run("error does not quote the line (legacy passwd may hold hashes)", func(t *testing.T) {
		t.Parallel()
		_, _, err := lookupName([]byte("u:$6$secrethash$:notanumber:0::/:/bin/sh\n"), 0, passwdFields)
		require.Error(t, err)
		assert.NotContains(t, err.Error(), "secrethash")
	})
}

func TestParseLogStream(t *testing.T) {
	t.Parallel()
	const guid = "adc8ffa31b144205a859666534d566cd" // BenjiTrapp env.txt, 2022
	tests := []struct {
		name    string
		in      string
		want    logStream
		wantErr string
	}{
		{"latest form (2022 capture)", "2022/02/24/[$LATEST]" + guid,
			logStream{Date: "2022/02/24", Version: "$LATEST", GUID: guid}, ""},
		{"prefixed version form", "2022/02/24/fn[12]" + guid,
			logStream{Date: "2022/02/24", Prefix: "fn", Version: "12", GUID: guid}, ""},
		{"numbered version", "2024/12/31/[3]" + guid,
			logStream{Date: "2024/12/31", Version: "3", GUID: guid}, ""},
		{"emulator", "$LATEST", logStream{Version: "$LATEST", Emulator: true}, ""},
		{"uppercase hex", "2022/02/24/[$LATEST]" + "ADC8FFA31B144205A859666534D566CD", logStream{}, "lowercase hex"},
		{"guid too short", "2022/02/24/[$LATEST]" + guid[:31], logStream{}, "does not end in 32 lowercase hex digits"},
		{"bad-input scenario value", "2024/13/45/[$LATEST]not-hex-zz", logStream{}, "no YYYY/MM/DD/ date"},
		{"guid too long", "2022/02/24/[$LATEST]0" + guid, logStream{}, "no ] before the id"},
		{"no brackets", "2022/02/24/$LATEST" + guid, logStream{}, "no ] before the id"},
		{"empty version", "2022/02/24/fn[]" + guid, logStream{}, "bad version"},
		{"month 13", "2022/13/24/[$LATEST]" + guid, logStream{}, "no YYYY/MM/DD/ date"},
		{"day 00", "2022/02/00/[$LATEST]" + guid, logStream{}, "no YYYY/MM/DD/ date"},
		{"no date", "xxxx/02/24/[$LATEST]" + guid, logStream{}, "no YYYY/MM/DD/ date"},
		{"slash in prefix", "2022/02/24/a/b[1]" + guid, logStream{}, "bad text before"},
		{"plain text", "hello", logStream{}, "no YYYY/MM/DD/ date"},
		{"latest in brackets only", "[$LATEST]", logStream{}, "no YYYY/MM/DD/ date"},
		{"date only", "2022/02/24/", logStream{}, "bad length"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseLogStream(tt.in)
			if tt.wantErr != "" {
				assert.ErrorContains(t, err, tt.wantErr)
				assert.ErrorIs(t, err, errNoGUID)
				assert.Empty(t, got.GUID)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestSandboxRootID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, path, want string
	}{
		{"skyrise fixture", "/sandbox-root-pQEzKi/sandbox-service-c53732/sandbox-f22810", "pQEzKi"},
		{"not a sandbox", "/docker/abc", ""},
		{"empty token", "/sandbox-root-/x", ""},
		{"non-alnum token", "/sandbox-root-a.b", ""},
		{"sandbox-service only", "/sandbox-service-9ac6cf/sandbox-672d8a", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, sandboxRootID([]cgroupfs.Line{{Hierarchy: 2, Path: tt.path}}))
		})
	}
	captures := []struct{ file, want string }{
		{"lambda2022_proc_1_cgroup.txt", "uPxa7U"}, // on 2:cpu,cpuacct:/sandbox-root-uPxa7U/…
		{"buildvm_proc_self_cgroup.txt", ""},
	}
	for _, c := range captures {
		t.Run(c.file, func(t *testing.T) {
			t.Parallel()
			lines, err := cgroupfs.ParseCgroup(capture(t, c.file))
			require.NoError(t, err)
			assert.Equal(t, c.want, sandboxRootID(lines))
		})
	}
}

// TestCgroupProblems pins how malformed /proc/self/cgroup and mountinfo
// lines reach the caller (internal/cgroupfs parses them): one problem per
// file quoting the bad lines, and the good lines still used.
func TestCgroupProblems(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"proc/self/cgroup":            "junk\n0::/ok\n-1::/\n",
		"proc/self/mountinfo":         "1 2 3\n30 1 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
		"sys/fs/cgroup/ok/memory.max": "1000\n",
	})
	s, err := Detect(WithRoot(dir), WithEnv(mapEnv(nil)), WithHost(hostinfo.Host{}))
	require.Error(t, err)
	assert.Equal(t, []Problem{
		{Source: "proc/self/cgroup", Error: `sandbox: proc/self/cgroup: line 1 "junk": want ID:CONTROLLERS:/PATH; line 3 "-1::/": want ID:CONTROLLERS:/PATH`},
		{Source: "proc/self/mountinfo", Error: `sandbox: proc/self/mountinfo: line 1 "1 2 3": want ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTS [OPTIONAL…] - FSTYPE SOURCE SUPEROPTS`},
	}, s.Problems)
	assert.Equal(t, "v2", s.Limits.CgroupVersion)
	assert.Equal(t, int64(1000), s.Limits.CgroupMemoryLimitBytes)
	assert.Equal(t, "sys/fs/cgroup/ok/memory.max", s.Limits.CgroupMemoryFile)
}

func TestParseLimitValue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    int64
		wantErr bool
	}{
		{"max\n", -1, false},
		{"-1", -1, false},
		{"134217728\n", 134217728, false},
		{"9223372036854771712\n", -1, false}, // v1 "no limit", 4 KiB pages
		{"9223372036854710272", -1, false},   // v1 "no limit", 64 KiB pages
		{"9223372036854644736", 9223372036854644736, false},
		{"0", 0, false},
		{"", 0, true},
		{"12x", 0, true},
		{"-2", 0, true},
		{"99999999999999999999", 0, true},
		{"+5", 0, true},
	}
	for _, tt := range tests {
		got, err := parseLimitValue(tt.in)
		assert.Equal(t, tt.want, got, "%q", tt.in)
		assert.Equal(t, tt.wantErr, err != nil, "%q: %v", tt.in, err)
	}
}

func TestParseCPULimits(t *testing.T) {
	t.Parallel()
	max := []struct {
		in      string
		want    float64
		wantErr bool
	}{
		{"max 100000\n", -1, false},
		{"50000 100000\n", 0.5, false},
		{"200000 100000", 2, false},
		{"150000", 1.5, false}, // period defaults to 100000
		{"max 0", 0, true},
		{"0 100000", 0, true},
		{"a b", 0, true},
		{"", 0, true},
		{"1 2 3", 0, true},
		{"+5 100000", 0, true},
		{"5 +100000", 0, true},
	}
	for _, tt := range max {
		got, err := parseCPUMax(tt.in)
		assert.Equal(t, tt.want, got, "cpu.max %q", tt.in)
		assert.Equal(t, tt.wantErr, err != nil, "cpu.max %q: %v", tt.in, err)
	}
	cfs := []struct {
		quota, period string
		want          float64
		wantErr       string
	}{
		{"-1\n", "", -1, ""},
		{"50000\n", "100000\n", 0.5, ""},
		{"300000", "100000", 3, ""},
		{"0", "100000", 0, "cpu.cfs_quota_us"},
		{"50000", "0", 0, "cpu.cfs_period_us"},
		{"50000", "x", 0, "cpu.cfs_period_us"},
		{"+50000", "100000", 0, "cpu.cfs_quota_us"},
	}
	for _, tt := range cfs {
		got, err := parseCFS(tt.quota, tt.period)
		assert.Equal(t, tt.want, got, "cfs %q/%q", tt.quota, tt.period)
		if tt.wantErr == "" {
			assert.NoError(t, err)
		} else {
			assert.ErrorContains(t, err, tt.wantErr)
		}
	}
}

func TestParseCPUList(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    int
		wantErr bool
	}{
		{"0-1\n", 2, false},
		{"0", 1, false},
		{"0,2-5,7", 6, false},
		{"0-63", 64, false},
		{"", 0, true},
		{"1-0", 0, true},
		{"0-3,2", 0, true}, // overlap
		{"2,1", 0, true},   // not ascending
		{"0-", 0, true},
		{"-1", 0, true},
		{"+1", 0, true},
		{"0,,1", 0, true},
		{"0-99999999", 0, true},
	}
	for _, tt := range tests {
		got, err := parseCPUList(tt.in)
		assert.Equal(t, tt.want, got, "%q", tt.in)
		assert.Equal(t, tt.wantErr, err != nil, "%q: %v", tt.in, err)
	}
	n, err := parseCPUList(string(capture(t, "buildvm_cpu_online.txt")))
	require.NoError(t, err)
	assert.Equal(t, 2, n) // the build VM has 2 vCPUs
}

func TestParseMemoryMB(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    int
		wantErr bool
	}{
		{"128", 128, false},
		{"10240", 10240, false},
		{"3008", 3008, false}, // the emulator's default
		{"12x", 0, true},
		{"0", 0, true},
		{"-128", 0, true},
		{" 128", 0, true},
		{"1.5", 0, true},
		{"99999999", 0, true},
		{"", 0, true},
	}
	for _, tt := range tests {
		got, err := parseMemoryMB(tt.in)
		assert.Equal(t, tt.want, got, "%q", tt.in)
		assert.Equal(t, tt.wantErr, err != nil, "%q: %v", tt.in, err)
	}
}

func TestVCPUEntitlement(t *testing.T) {
	t.Parallel()
	tests := []struct {
		mb   int
		want float64
	}{
		{128, 0.072}, // 128/1769 = 0.07236
		{1769, 1},
		{3008, 1.7}, // 1.70039
		{10240, 5.789},
		{20000, 6}, // capped
		{0, 0},
	}
	for _, tt := range tests {
		assert.InDelta(t, tt.want, vcpuEntitlement(tt.mb), 1e-9, "%d MB", tt.mb)
	}
}

func TestValidAZID(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"use1-az1", "euc1-az2", "apne1-az4", "use1-lax1-az1"} {
		assert.True(t, validAZID(ok), ok)
	}
	for _, bad := range []string{"", "us-east-1a", "USE1-AZ1", "use1 az1", "use1-az1\n", "<script>-az"} {
		assert.False(t, validAZID(bad), bad)
	}
}

func TestSbxSlot(t *testing.T) {
	t.Parallel()
	tests := []struct {
		user string
		want int
	}{
		{"sbx_user1051", 0},
		{"sbx_user1061", 10},
		{"sbx_user1176", 125},
		{"sbx_user1050", -1},
		{"sbx_user", -1},
		{"sbx_userx", -1},
		{"root", -1},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, sbxSlot(tt.user), tt.user)
	}
}
