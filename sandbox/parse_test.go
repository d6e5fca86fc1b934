package sandbox

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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

func TestParseCgroup(t *testing.T) {
	t.Parallel()
	t.Run("lambda 2022 capture", func(t *testing.T) {
		t.Parallel()
		lines, err := parseCgroup(capture(t, "lambda2022_proc_1_cgroup.txt"))
		require.NoError(t, err)
		require.Len(t, lines, 11)
		assert.Equal(t, cgroupLine{Hierarchy: 2, Controllers: []string{"cpu", "cpuacct"},
			Path: "/sandbox-root-uPxa7U/sandbox-service-252528"}, lines[9])
		assert.Equal(t, []string{"name=systemd"}, lines[10].Controllers)
		assert.Equal(t, "uPxa7U", sandboxRootID(lines))
	})
	t.Run("this machine: v1 plus unified", func(t *testing.T) {
		t.Parallel()
		lines, err := parseCgroup(capture(t, "buildvm_proc_self_cgroup.txt"))
		require.NoError(t, err)
		require.Len(t, lines, 10)
		assert.Equal(t, cgroupLine{Hierarchy: 0, Path: "/"}, lines[9])
		assert.Empty(t, sandboxRootID(lines))
	})
	tests := []struct {
		name    string
		in      string
		want    []cgroupLine
		wantErr string
	}{
		{"v2 only", "0::/user.slice/session-1.scope\n", []cgroupLine{{Path: "/user.slice/session-1.scope"}}, ""},
		{"colon in path", "0::/a:b\n", []cgroupLine{{Path: "/a:b"}}, ""},
		{"garbage line kept out, good line kept", "junk\n0::/ok\n", []cgroupLine{{Path: "/ok"}}, `line 1 "junk"`},
		{"relative path", "0::rel\n", nil, "want ID:CONTROLLERS:/PATH"},
		{"negative id", "-1::/\n", nil, "want ID"},
		{"missing path", "3:pids:\n", nil, "want ID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseCgroup([]byte(tt.in))
			assert.Equal(t, tt.want, got)
			if tt.wantErr == "" {
				assert.NoError(t, err)
			} else {
				assert.ErrorContains(t, err, tt.wantErr)
			}
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
			assert.Equal(t, tt.want, sandboxRootID([]cgroupLine{{Hierarchy: 2, Path: tt.path}}))
		})
	}
}

func TestParseMountInfo(t *testing.T) {
	t.Parallel()
	t.Run("this machine", func(t *testing.T) {
		t.Parallel()
		mounts, err := parseMountInfo(capture(t, "buildvm_proc_self_mountinfo.txt"))
		require.NoError(t, err)
		require.Len(t, mounts, 10) // 9 cgroup v1 hierarchies + cgroup2 "unified"
		assert.Equal(t, cgroupMount{Root: "/", MountPoint: "/sys/fs/cgroup/memory", FSType: "cgroup",
			SuperOpts: []string{"rw", "memory"}}, mounts[3])
		assert.Equal(t, "cgroup2", mounts[9].FSType)
		assert.Equal(t, "hybrid", cgroupVersion(mounts))
	})
	tests := []struct {
		name    string
		in      string
		want    []cgroupMount
		wantErr string
	}{
		{"v2 with optional fields",
			"30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n",
			[]cgroupMount{{Root: "/", MountPoint: "/sys/fs/cgroup", FSType: "cgroup2", SuperOpts: []string{"rw", "nsdelegate", "memory_recursiveprot"}}}, ""},
		{"docker v1 root",
			"1 0 0:1 /docker/abc /sys/fs/cgroup/memory ro master:9 - cgroup cgroup rw,memory\n",
			[]cgroupMount{{Root: "/docker/abc", MountPoint: "/sys/fs/cgroup/memory", FSType: "cgroup", SuperOpts: []string{"rw", "memory"}}}, ""},
		{"escaped space", `1 0 0:1 / /sys/fs/cg\040x rw - cgroup2 none rw` + "\n",
			[]cgroupMount{{Root: "/", MountPoint: "/sys/fs/cg x", FSType: "cgroup2", SuperOpts: []string{"rw"}}}, ""},
		{"non-cgroup mounts dropped", "22 27 0:21 / /proc rw,relatime - proc proc rw\n", nil, ""},
		{"no separator", "22 27 0:21 / /proc rw,relatime proc proc rw x\n", nil, `line 1`},
		{"too short", "1 2 3\n", nil, "want ID PARENT"},
		{"separator with nothing after", "1 0 0:1 / /x rw a b c -\n", nil, "line 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseMountInfo([]byte(tt.in))
			assert.Equal(t, tt.want, got)
			if tt.wantErr == "" {
				assert.NoError(t, err)
			} else {
				assert.ErrorContains(t, err, tt.wantErr)
			}
		})
	}
}

func TestUnescapeOctal(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{`a\040b`, "a b"},
		{`a\011b\012c\134d`, "a\tb\nc\\d"},
		{`a\04`, `a\04`},     // truncated escape left alone
		{`a\400b`, `a\400b`}, // above \377
		{`a\x`, `a\x`},
		{"plain", "plain"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, unescapeOctal(tt.in), tt.in)
	}
}

func TestResolveCgroup(t *testing.T) {
	t.Parallel()
	v1mem := cgroupMount{Root: "/", MountPoint: "/sys/fs/cgroup/memory", FSType: "cgroup", SuperOpts: []string{"rw", "memory"}}
	v2 := cgroupMount{Root: "/", MountPoint: "/sys/fs/cgroup", FSType: "cgroup2", SuperOpts: []string{"rw"}}
	tests := []struct {
		name   string
		lines  []cgroupLine
		mounts []cgroupMount
		ctrl   string
		want   cgroupDir
		ok     bool
	}{
		{"v1 memory", []cgroupLine{{Hierarchy: 7, Controllers: []string{"memory"}, Path: "/sandbox-service-9ac6cf/sandbox-672d8a"}},
			[]cgroupMount{v1mem}, "memory",
			cgroupDir{Leaf: "/sys/fs/cgroup/memory/sandbox-service-9ac6cf/sandbox-672d8a", Mount: "/sys/fs/cgroup/memory", V1: true}, true},
		{"v2", []cgroupLine{{Path: "/system.slice/x.service"}}, []cgroupMount{v2}, "memory",
			cgroupDir{Leaf: "/sys/fs/cgroup/system.slice/x.service", Mount: "/sys/fs/cgroup"}, true},
		{"hybrid prefers v1 controller", []cgroupLine{{Hierarchy: 4, Controllers: []string{"memory"}, Path: "/a"}, {Path: "/"}},
			[]cgroupMount{v2, v1mem}, "memory",
			cgroupDir{Leaf: "/sys/fs/cgroup/memory/a", Mount: "/sys/fs/cgroup/memory", V1: true}, true},
		{"hybrid falls back to v2 for cpu", []cgroupLine{{Hierarchy: 4, Controllers: []string{"memory"}, Path: "/a"}, {Path: "/u"}},
			[]cgroupMount{v2, v1mem}, "cpu",
			cgroupDir{Leaf: "/sys/fs/cgroup/u", Mount: "/sys/fs/cgroup"}, true},
		{"container: mount root is our cgroup", []cgroupLine{{Hierarchy: 3, Controllers: []string{"memory"}, Path: "/docker/abc"}},
			[]cgroupMount{{Root: "/docker/abc", MountPoint: "/sys/fs/cgroup/memory", FSType: "cgroup", SuperOpts: []string{"memory"}}}, "memory",
			cgroupDir{Leaf: "/sys/fs/cgroup/memory", Mount: "/sys/fs/cgroup/memory", V1: true}, true},
		{"cgroup namespace escape does not resolve", []cgroupLine{{Path: "/../../etc"}}, []cgroupMount{v2}, "memory", cgroupDir{}, false},
		{"outside the mounted root", []cgroupLine{{Hierarchy: 3, Controllers: []string{"memory"}, Path: "/other"}},
			[]cgroupMount{{Root: "/docker/abc", MountPoint: "/sys/fs/cgroup/memory", FSType: "cgroup", SuperOpts: []string{"memory"}}}, "memory",
			cgroupDir{}, false},
		{"not mounted", []cgroupLine{{Path: "/"}}, nil, "memory", cgroupDir{}, false},
		// Regression (found by FuzzResolveCgroup): an unclean mount point
		// made the walk up the hierarchy leave the mount.
		{"unclean mount point is cleaned", []cgroupLine{{Hierarchy: 1, Controllers: []string{"memory"}, Path: "/docker/abc"}},
			[]cgroupMount{{Root: "/", MountPoint: "/sys/fs/cgroup/memory/.", FSType: "cgroup", SuperOpts: []string{"memory"}}}, "memory",
			cgroupDir{Leaf: "/sys/fs/cgroup/memory/docker/abc", Mount: "/sys/fs/cgroup/memory", V1: true}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := resolveCgroup(tt.lines, tt.mounts, tt.ctrl)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.want, got)
		})
	}
	t.Run("levels walk up to the mount", func(t *testing.T) {
		t.Parallel()
		d := cgroupDir{Leaf: "/sys/fs/cgroup/a/b", Mount: "/sys/fs/cgroup"}
		assert.Equal(t, []string{"/sys/fs/cgroup/a/b", "/sys/fs/cgroup/a", "/sys/fs/cgroup"}, d.levels())
		d = cgroupDir{Leaf: "/sys/fs/cgroup", Mount: "/sys/fs/cgroup"}
		assert.Equal(t, []string{"/sys/fs/cgroup"}, d.levels())
	})
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

func TestParseProcLimits(t *testing.T) {
	t.Parallel()
	t.Run("this machine", func(t *testing.T) {
		t.Parallel()
		files, procs, err := parseProcLimits(capture(t, "buildvm_proc_self_limits.txt"))
		require.NoError(t, err)
		assert.Equal(t, int64(20000), files)
		assert.Equal(t, int64(96365), procs)
	})
	tests := []struct {
		name         string
		in           string
		files, procs int64
		wantErr      string
	}{
		{"lambda defaults", "Max processes             1024                 1024                 processes\nMax open files            1024                 1024                 files\n", 1024, 1024, ""},
		{"unlimited", "Max processes             unlimited            unlimited            processes\nMax open files            65535                1048576              files\n", 65535, -1, ""},
		{"missing processes", "Max open files 10 10 files\n", 10, 0, `no "Max processes" line`},
		{"garbage value", "Max open files lots 10 files\nMax processes 5 5\n", 0, 5, `limit "lots"`},
		{"one field", "Max open files 10\nMax processes 5 5\n", 0, 5, "want SOFT HARD"},
		{"empty", "", 0, 0, `no "Max open files" line`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			files, procs, err := parseProcLimits([]byte(tt.in))
			assert.Equal(t, tt.files, files)
			assert.Equal(t, tt.procs, procs)
			if tt.wantErr == "" {
				assert.NoError(t, err)
			} else {
				assert.ErrorContains(t, err, tt.wantErr)
			}
		})
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

func TestParseBootID(t *testing.T) {
	t.Parallel()
	id, err := parseBootID([]byte("f4930f3c-2b3d-4b60-85da-0010617c15a1\n"))
	require.NoError(t, err)
	assert.Equal(t, "f4930f3c-2b3d-4b60-85da-0010617c15a1", id)
	for _, bad := range []string{"", "\n", "f4930f3c2b3d4b6085da0010617c15a1", "f4930f3c-2b3d-4b60-85da-0010617c15a1x", "g4930f3c-2b3d-4b60-85da-0010617c15a1"} {
		_, err := parseBootID([]byte(bad))
		assert.Error(t, err, "%q", bad)
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
