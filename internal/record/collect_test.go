package record

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/hostinfo"
	"github.com/faasprobe/faasprobe/internal/redact"
	"github.com/faasprobe/faasprobe/internal/sources"
	"github.com/faasprobe/faasprobe/internal/sysroot"
	"github.com/faasprobe/faasprobe/sandbox"
)

var fixedClock = func() time.Time { return time.Date(2026, 11, 25, 17, 38, 12, 345, time.UTC) }

// facts is what faasprobe --json prints for a root ("" = live), decoded.
func facts(t *testing.T, dir string) map[string]any {
	t.Helper()
	var hopts []hostinfo.Option
	var sopts []sandbox.Option
	if dir != "" {
		hopts = append(hopts, hostinfo.WithRoot(dir))
		sopts = append(sopts, sandbox.WithRoot(dir))
	}
	h, _ := hostinfo.Detect(hopts...)
	s, _ := sandbox.Detect(append(sopts, sandbox.WithHost(h))...)
	b, err := json.Marshal(map[string]any{"platform": h.Platform, "host": h.Machine, "problems": h.Problems, "sandbox": s})
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

// writeTree writes files (path → content; a trailing "/" makes a directory).
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, c := range files {
		full := filepath.Join(dir, filepath.FromSlash(strings.TrimSuffix(p, "/")))
		if strings.HasSuffix(p, "/") {
			require.NoError(t, os.MkdirAll(full, 0o755))
			continue
		}
		require.NoError(t, os.MkdirAll(filepath.Dir(full), 0o755))
		require.NoError(t, os.WriteFile(full, []byte(c), 0o644))
	}
	return dir
}

// rerecord records the tree at dir and writes it to a new directory.
func rerecord(t *testing.T, dir string, opts ...Option) (Tree, string) {
	t.Helper()
	root, _ := sysroot.Recorded(dir) // a malformed env is the scenario's point, not ours
	require.NotEmpty(t, root.Dir)
	tree, err := Collect(root, append([]Option{WithClock(fixedClock), WithVersion("test")}, opts...)...)
	if err != nil {
		t.Logf("collect %s: %v", filepath.Base(dir), err)
	}
	out := filepath.Join(t.TempDir(), "out")
	require.NoError(t, tree.WriteDir(out))
	return tree, out
}

func paths(t Tree) []string {
	var out []string
	for _, f := range t.Files {
		out = append(out, f.Path)
	}
	return out
}

// TestRerecordScenarios re-records every committed scenario: faasprobe must
// read the same facts from the copy as from the original. This is what
// proves the recorder records everything the readers read.
func TestRerecordScenarios(t *testing.T) {
	t.Parallel()
	dirs, err := filepath.Glob(filepath.Join("..", "..", "testdata", "scenarios", "*"))
	require.NoError(t, err)
	require.NotEmpty(t, dirs)
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			tree, out := rerecord(t, dir)
			want, got := facts(t, dir), facts(t, out)
			if filepath.Base(dir) == "bad-input" {
				// Unreadable sources (a directory where a file belongs, a bad
				// env line) are not copied: the copy has fewer problems.
				assert.NotEmpty(t, tree.Notes, "what was not copied is noted")
				for _, m := range []map[string]any{want, got} {
					delete(m, "problems")
					delete(m["sandbox"].(map[string]any), "problems")
				}
			}
			assert.Equal(t, want, got)

			_, err := os.Stat(filepath.Join(out, NoteFile))
			assert.NoError(t, err)
			for _, p := range paths(tree) {
				_, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(p)))
				if p != NoteFile && p != "env" {
					assert.NoError(t, err, "%s was not in the original", p)
				}
			}
		})
	}
}

// TestRerecordKeepsOnlyWhatIsRead: the extra files a scenario carries for
// people (PROVENANCE.md, want.json, etc/os-release) are not read, so not
// recorded; the DSDT is cut to its header.
func TestRerecordKeepsOnlyWhatIsRead(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "..", "testdata", "scenarios", "this-build-vm-firecracker")
	tree, _ := rerecord(t, dir)
	got := paths(tree)
	for _, p := range []string{"PROVENANCE.md", "want.json"} {
		assert.NotContains(t, got, p)
	}
	assert.Contains(t, got, "proc/cpuinfo")
	assert.Contains(t, got, ".dockerenv")
	assert.Contains(t, got, "sys/fs/cgroup/memory/process_api/bc346ccce156a222d3599ad17e8df6ca/memory.limit_in_bytes")
	f, ok := tree.Lookup("sys/firmware/acpi/tables/DSDT")
	require.True(t, ok)
	assert.Len(t, f.Data, 16)
	assert.Equal(t, "FIRECK", string(f.Data[10:16]))
	m, ok := tree.Lookup(".dockerenv")
	require.True(t, ok)
	assert.Empty(t, m.Data)
}

// TestCgroupLayouts builds trees with the cgroup layouts seen in the wild and
// checks that the copy gives sandbox the same limits, and which files it
// holds (written from the layouts, not from the code's output).
func TestCgroupLayouts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		files map[string]string
		want  []string // the cgroup files recorded
		note  string   // a substring of a note, if one is expected
		lossy bool     // the copy cannot give the same limits
	}{
		{
			name: "v2 nested, limits at two levels",
			files: map[string]string{
				"proc/self/cgroup":             "0::/a/b\n",
				"proc/self/mountinfo":          "30 1 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
				"sys/fs/cgroup/a/b/memory.max": "134217728\n", "sys/fs/cgroup/a/memory.max": "268435456\n",
				"sys/fs/cgroup/a/b/cpu.max": "50000 100000\n", "sys/fs/cgroup/a/b/pids.max": "max\n",
				"sys/fs/cgroup/a/b/memory.current": "1\n", "sys/fs/cgroup/other/memory.max": "1\n",
			},
			want: []string{"sys/fs/cgroup/a/b/cpu.max", "sys/fs/cgroup/a/b/memory.max", "sys/fs/cgroup/a/b/pids.max", "sys/fs/cgroup/a/memory.max"},
		},
		{
			name: "v1 in a container: mount root is our cgroup",
			files: map[string]string{
				"proc/self/cgroup": "4:memory:/docker/abc\n3:cpu,cpuacct:/docker/abc\n2:pids:/docker/abc\n",
				"proc/self/mountinfo": "40 31 0:35 /docker/abc /sys/fs/cgroup/memory ro - cgroup cgroup rw,memory\n" +
					"41 31 0:36 /docker/abc /sys/fs/cgroup/cpu,cpuacct ro - cgroup cgroup rw,cpu,cpuacct\n" +
					"42 31 0:37 /docker/abc /sys/fs/cgroup/pids ro - cgroup cgroup rw,pids\n",
				"sys/fs/cgroup/memory/memory.limit_in_bytes":   "536870912\n",
				"sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us":   "150000\n",
				"sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us":  "100000\n",
				"sys/fs/cgroup/pids/pids.max":                  "512\n",
				"sys/fs/cgroup/memory/memory.usage_in_bytes":   "1\n",
				"sys/fs/cgroup/cpu,cpuacct/cpuacct.usage":      "1\n",
				"sys/fs/cgroup/cpu,cpuacct/cpu.shares":         "1024\n",
				"sys/fs/cgroup/memory/memory.soft_limit_in_by": "1\n",
			},
			want: []string{"sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us", "sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us",
				"sys/fs/cgroup/memory/memory.limit_in_bytes", "sys/fs/cgroup/pids/pids.max"},
		},
		{
			name: "hybrid: v1 wins for memory, v2 file untouched",
			files: map[string]string{
				"proc/self/cgroup": "4:memory:/x\n0::/x\n",
				"proc/self/mountinfo": "35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n" +
					"41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n",
				"sys/fs/cgroup/memory/x/memory.limit_in_bytes": "9223372036854771712\n",
				"sys/fs/cgroup/unified/x/memory.max":           "1000\n",
				"sys/fs/cgroup/unified/x/cpu.max":              "max 100000\n",
			},
			want: []string{"sys/fs/cgroup/memory/x/memory.limit_in_bytes", "sys/fs/cgroup/unified/x/cpu.max"},
		},
		{
			name: "cgroup namespace: /.. does not resolve",
			files: map[string]string{
				"proc/self/cgroup":              "0::/../sibling\n",
				"proc/self/mountinfo":           "30 1 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
				"sys/fs/cgroup/memory.max":      "1\n",
				"sys/fs/cgroup/sibling/cpu.max": "1\n",
			},
		},
		{
			name: "a cgroup named with ':' is skipped and noted",
			files: map[string]string{
				"proc/self/cgroup":               "0::/pod:1\n",
				"proc/self/mountinfo":            "30 1 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n",
				"sys/fs/cgroup/memory.max":       "max\n",
				"sys/fs/cgroup/pod:1/memory.max": "1000\n",
			},
			want:  []string{"sys/fs/cgroup/memory.max"},
			note:  `"sys/fs/cgroup/pod:1/memory.max"`,
			lossy: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.note != "" && runtime.GOOS == "windows" {
				t.Skip("':' cannot be in a file name here")
			}
			dir := writeTree(t, tt.files)
			tree, out := rerecord(t, dir)
			var got []string
			for _, p := range paths(tree) {
				if strings.HasPrefix(p, "sys/fs/cgroup/") {
					got = append(got, p)
				}
			}
			assert.Equal(t, tt.want, got)
			if tt.note != "" {
				assert.True(t, slices.ContainsFunc(tree.Notes, func(n string) bool { return strings.Contains(n, tt.note) }), "notes: %q", tree.Notes)
			}
			want, have := facts(t, dir)["sandbox"].(map[string]any), facts(t, out)["sandbox"].(map[string]any)
			if tt.lossy {
				assert.NotEqual(t, want["limits"], have["limits"], "the skipped file held the limit")
				return
			}
			assert.Equal(t, want["limits"], have["limits"])
		})
	}
}

// TestCollectAllowList: the recorded env holds only the variables the
// readers consult; everything else is dropped, name and value, and only
// counted. It pins the deny-list leaks: URL passwords with an unencoded
// '/', '#' or '?', bearer tokens, a password inside JSON, known token
// prefixes under harmless names, Slack webhooks, short values under KEY
// names, *_SEED and *_PIN all reached the recorded env verbatim. An allowed
// variable whose value is a credential is still redacted.
func TestCollectAllowList(t *testing.T) {
	t.Parallel()
	canaries := map[string]string{
		"AWS_ACCESS_KEY_ID":     "AKIACANARY0123456789ABCDEF",
		"AWS_SECRET_ACCESS_KEY": "canary/Secret+Key0123456789abcdefghijKLMN",
		"AWS_SESSION_TOKEN":     "IQoJcanarySessionToken0123456789abcdefABCDEF",
		"AzureWebJobsStorage":   "DefaultEndpointsProtocol=https;AccountName=canary;AccountKey=Q2FuYXJ5QWNjb3VudEtleQ0123==",
		"MY_API_KEY":            "canaryApiKey0123456789ABCDEFxyz",
		"DATABASE_URL":          "postgres://app:canaryPassw0rd@db.internal/app",
		"DB_URL_SLASH":          "postgres://app:canary/Pass@db.internal/app",
		"DB_URL_HASH":           "postgres://app:canary#Pass@db.internal/app",
		"DB_URL_QUERY":          "postgres://app:canary?Pass@db.internal/app",
		"HTTP_HEADERS":          "Authorization: Bearer canaryBearer0123456789",
		"APP_CONFIG":            `{"db":{"password":"canaryJsonPass"}}`,
		"GH":                    "ghp_canary0123456789abcdefghijABCDEFGHIJ",
		"STRIPE":                "sk_live_canary0123456789abcdef",
		"OPENAI":                "sk-proj-canary0123456789abcdef",
		"GOOGLE_MAPS":           "AIzaSyCanary0123456789abcdefghijklmnop",
		"ALERTS":                "https://hooks.slack.com/services/T000/B000/canarySlackPath",
		"SHORT_KEY":             "cnry1",
		"WALLET_SEED":           "canary seed words abandon",
		"CARD_PIN":              "7391",
		"PATH":                  "/usr/local/bin:/usr/bin:/bin",
	}
	keep := map[string]string{
		"AWS_REGION":               "eu-central-1",
		"AWS_LAMBDA_FUNCTION_NAME": "recorder",
		"AWS_EXECUTION_ENV":        "",
	}
	var env []string
	for k, v := range canaries {
		env = append(env, k+"="+v)
	}
	for k, v := range keep {
		env = append(env, k+"="+v)
	}
	env = append(env, "AWS_LAMBDA_METADATA_TOKEN=6f1c9a2e-canary-metadata-token-0b4a1d2e",
		"AWS_LAMBDA_LOG_STREAM_NAME=line one\nline two", "=C:=C:\\", "NOEQUALS")
	dir := writeTree(t, map[string]string{"proc/cpuinfo": "processor\t: 0\n"})
	tree, out := rerecord(t, dir, WithEnviron(env))

	for _, f := range tree.Files {
		for name, secret := range canaries {
			assert.NotContains(t, string(f.Data), secret, "%s leaked into %s", name, f.Path)
			assert.NotContains(t, string(f.Data), name+"=", "%s is not consulted: its name is dropped too", name)
		}
		assert.NotContains(t, string(f.Data), "canary")
		assert.NotContains(t, string(f.Data), "7391")
	}
	envFile, ok := tree.Lookup("env")
	require.True(t, ok)
	parsed, err := sysroot.ParseEnv(envFile.Data)
	require.NoError(t, err)
	want := map[string]string{"AWS_LAMBDA_METADATA_TOKEN": redact.Placeholder}
	for k, v := range keep {
		want[k] = v
	}
	assert.Equal(t, want, parsed)
	lines := strings.Split(strings.TrimSpace(string(envFile.Data)), "\n")
	assert.True(t, slices.IsSorted(lines), "env is sorted")

	assert.Equal(t, []string{"AWS_LAMBDA_METADATA_TOKEN"}, tree.Redacted)
	n, ok := tree.Lookup(NoteFile)
	require.True(t, ok)
	assert.Contains(t, string(n.Data), "redacted: 1 variables: AWS_LAMBDA_METADATA_TOKEN\n")
	assert.Contains(t, string(n.Data), fmt.Sprintf("dropped: %d variables", len(canaries)+2))
	assert.Contains(t, string(n.Data), `env: variable "AWS_LAMBDA_LOG_STREAM_NAME" left out`)

	// What --root reads back is the allowed, redacted environment.
	r, err := sysroot.Recorded(out)
	require.NoError(t, err)
	assert.Equal(t, "eu-central-1", r.Getenv("AWS_REGION"))
	assert.Equal(t, redact.Placeholder, r.Getenv("AWS_LAMBDA_METADATA_TOKEN"))
	_, ok = r.LookupEnv("PATH")
	assert.False(t, ok)
}

// TestCollectKeepsOnlyOwnIdentity: etc/passwd and etc/group can hold other
// people's names, full names and legacy password hashes; the copy holds the
// recorded process's entry alone, and sandbox reads the same names from it.
func TestCollectKeepsOnlyOwnIdentity(t *testing.T) {
	t.Parallel()
	status := "Name:\tbootstrap\nUid:\t993\t993\t993\t993\nGid:\t990\t990\t990\t990\n"
	passwd := "root:x:0:0:root:/root:/bin/bash\n" +
		"alice:$6$canarysalt$canaryHash0123456789:1000:1000:Alice Canary,,,:/home/alice:/bin/bash\n" +
		"sbx_user1051:canaryLegacyPw:993:990:Canary Full Name:/home/sbx_user1051:/sbin/nologin\n" +
		"sbx_user1051:x:993:990::/second:/sbin/nologin\n" // the first entry wins, as getpwuid(3)
	group := "root:x:0:\nwheel:x:10:alice,canaryMember\nsbx_group:canaryGroupPw:990:canaryMember2\n"

	tests := []struct {
		name       string
		files      map[string]string
		wantPasswd string
		wantGroup  string
		wantNotes  []string
	}{
		{
			name:       "own entries kept, other fields blanked",
			files:      map[string]string{"proc/self/status": status, "etc/passwd": passwd, "etc/group": group},
			wantPasswd: "sbx_user1051:x:993:990:::\n",
			wantGroup:  "sbx_group:x:990:\n",
			wantNotes:  []string{"etc/passwd: 1 of 4 entries kept", "etc/group: 1 of 3 entries kept"},
		},
		{
			name:       "no entry for the uid",
			files:      map[string]string{"proc/self/status": "Uid:\t4242\t4242\t4242\t4242\nGid:\t4242\t4242\t4242\t4242\n", "etc/passwd": passwd, "etc/group": group},
			wantPasswd: "",
			wantGroup:  "",
			wantNotes:  []string{"etc/passwd: 0 of 4 entries kept", "etc/group: 0 of 3 entries kept"},
		},
		{
			name:       "no status: the ids are unknown",
			files:      map[string]string{"etc/passwd": passwd, "etc/group": group},
			wantPasswd: "",
			wantGroup:  "",
			wantNotes:  []string{"etc/passwd: 0 of 4 entries kept"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := writeTree(t, tt.files)
			tree, out := rerecord(t, dir)
			for _, f := range tree.Files {
				assert.NotContains(t, string(f.Data), "anary", "%s carries a value of the original databases", f.Path)
				assert.NotContains(t, string(f.Data), "alice", f.Path)
			}
			p, ok := tree.Lookup("etc/passwd")
			require.True(t, ok, "the file stays, reduced")
			assert.Equal(t, tt.wantPasswd, string(p.Data))
			g, ok := tree.Lookup("etc/group")
			require.True(t, ok)
			assert.Equal(t, tt.wantGroup, string(g.Data))
			for _, n := range tt.wantNotes {
				assert.True(t, slices.ContainsFunc(tree.Notes, func(s string) bool { return strings.HasPrefix(s, n) }), "note %q in %q", n, tree.Notes)
			}

			want, err := sandbox.Detect(sandbox.WithRoot(dir))
			require.NoError(t, err)
			got, err := sandbox.Detect(sandbox.WithRoot(out))
			require.NoError(t, err)
			assert.Equal(t, [4]any{want.User, want.UID, want.Group, want.GID}, [4]any{got.User, got.UID, got.Group, got.GID})
		})
	}
}

func TestNote(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "..", "testdata", "scenarios", "lambda-firecracker-2022-x86")
	tree, _ := rerecord(t, dir)
	n, ok := tree.Lookup(NoteFile)
	require.True(t, ok)
	text := string(n.Data)
	for _, line := range []string{
		"recorded_at: 2026-11-25T17:38:12Z\n",
		"faasprobe_version: test\n",
		"source: recorded tree lambda-firecracker-2022-x86\n",
		"platform: provider=aws service=lambda runs_on=unknown region=us-west-1\n",
		"redacted: 0 variables\n", // the scenario's credentials are not consulted: dropped
		"dropped: 23 variables",
		"proc/self/{status,cgroup,mountinfo,limits,stat} describe the recorder's own process",
	} {
		assert.Contains(t, text, line)
	}
	assert.Equal(t, fixedClock().Truncate(time.Second), tree.RecordedAt)
	assert.Equal(t, tree.RecordedAt, parseNoteTime(n.Data))
	assert.True(t, parseNoteTime([]byte("recorded_at: yesterday\n")).IsZero())
	assert.True(t, parseNoteTime([]byte("recorded_at: 9999-12-31T23:59:59-23:59\n")).IsZero(), "year 10000 in UTC")
	assert.Equal(t, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), parseNoteTime([]byte("recorded_at: 2026-01-02T03:04:05.9Z\n")), "whole seconds")
	assert.NotEmpty(t, buildVersion())
}

// TestCollectLive records this machine: invariants only, and faasprobe
// reads the same facts from the copy except the live-only and
// time-varying ones.
func TestCollectLive(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("a live tree exists on Linux only")
	}
	t.Parallel()
	tree, err := Collect(sysroot.Live(), WithEnviron([]string{"AWS_REGION=eu-west-1", "AWS_LAMBDA_METADATA_TOKEN=IQoJlive0123456789abcdefABCDEF", "AWS_SESSION_TOKEN=IQoJlive0123456789abcdefABCDEF"}))
	if err != nil {
		t.Logf("partial: %v", err) // e.g. root-only files when not root
	}
	got := paths(tree)
	for _, p := range []string{"proc/cpuinfo", "proc/meminfo", "proc/self/status", "env", NoteFile} {
		assert.Contains(t, got, p)
	}
	for _, p := range got {
		assert.NoError(t, ValidPath(p))
		covered := p == NoteFile || slices.ContainsFunc(sources.All(), func(s sources.Source) bool { return s.Covers(p) })
		assert.True(t, covered, "%s is not a source", p)
	}
	assert.WithinDuration(t, time.Now(), tree.RecordedAt, time.Minute)
	envFile, _ := tree.Lookup("env")
	assert.Equal(t, "AWS_LAMBDA_METADATA_TOKEN=<REDACTED>\nAWS_REGION=eu-west-1\n", string(envFile.Data))

	out := filepath.Join(t.TempDir(), "live")
	require.NoError(t, tree.WriteDir(out))
	live, copied := facts(t, ""), facts(t, out)
	for _, m := range []map[string]any{live, copied} {
		host := m["host"].(map[string]any)
		delete(host, "uptime_seconds")              // time passes between the two reads
		delete(host, "idle_seconds")                // and the CPUs idle
		delete(host, "memory_free_bytes")           // and memory is allocated and freed
		delete(host, "memory_available_bytes")      // (MemAvailable with it)
		delete(host["cpu"].(map[string]any), "mhz") // the current clock, re-sampled on every read of cpuinfo
		delete(m, "platform")                       // the copy's environment is the two variables above
		lim := m["sandbox"].(map[string]any)["limits"].(map[string]any)
		delete(lim, "num_cpu") // runtime.NumCPU: live only
		delete(lim, "tmp")     // statfs(/tmp): live only
		for _, k := range []string{"memory_limit_mb", "memory_limit_source", "vcpu_entitlement"} {
			delete(lim, k) // from the environment, which differs here (see above)
		}
	}
	assert.Equal(t, live, copied)
}

func TestCollectBadRoot(t *testing.T) {
	t.Parallel()
	missing := filepath.Join(t.TempDir(), "missing")
	_, err := Collect(sysroot.FromEnv(missing, nil))
	assert.ErrorContains(t, err, "record: root")
	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	_, err = Collect(sysroot.FromEnv(file, nil))
	assert.ErrorContains(t, err, "not a directory")
}

// TestCollectUnreadable: a source that exists but cannot be read is noted
// and joined into the error; the rest is recorded.
func TestCollectUnreadable(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"proc/meminfo":               "MemTotal: 1 kB\n",
		"proc/cpuinfo/":              "", // a directory where a file belongs
		"proc/self/limits":           strings.Repeat("x", sysroot.MaxFileSize+1),
		"sys/class/net/eth0/device/": "", // no uevent: nothing to record
		"sys/class/net/lo":           "", // a file, not a directory
		"sys/class/dmi/id/":          "",
	})
	tree, err := Collect(sysroot.FromEnv(dir, nil), WithEnviron(nil))
	require.Error(t, err)
	assert.ErrorContains(t, err, "proc/cpuinfo")
	assert.ErrorIs(t, err, sysroot.ErrTooLarge)
	got := paths(tree)
	assert.Contains(t, got, "proc/meminfo")
	assert.NotContains(t, got, "proc/cpuinfo")
	assert.NotContains(t, got, "proc/self/limits")
	assert.Contains(t, got, "sys/class/dmi/id", "an empty DMI directory is recorded for its existence")
	f, _ := tree.Lookup("sys/class/dmi/id")
	assert.True(t, f.Dir)
	// A file where sys/class/net/lo should be a directory: the readers
	// report it too.
	assert.Len(t, tree.Notes, 3, "notes: %q", tree.Notes)
	assert.Contains(t, tree.Notes[2], "sys/class/net/lo/device/uevent")
}

// TestNoteEscapesTreeValues: what a recorded tree controls and the note
// repeats (a region, the name of a file that could not be read) reaches
// the note with its control characters spelled out, so showing the note
// in a terminal runs no escape sequence.
func TestNoteEscapesTreeValues(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("file names with control characters")
	}
	const hostile = "\x1b]0;pwned\x07\x1b[2J\u009b"
	dir := writeTree(t, map[string]string{
		"env": "AWS_LAMBDA_FUNCTION_NAME=f\nAWS_REGION=us-east-1" + hostile + "\n",
		// A directory where the uevent file belongs: it cannot be read,
		// and the note names it.
		"sys/class/net/eth" + hostile + "/device/uevent/": "",
	})
	tree, err := Collect(sysroot.FromEnv(dir, nil), WithClock(fixedClock), WithVersion("test"))
	require.Error(t, err)
	n, ok := tree.Lookup(NoteFile)
	require.True(t, ok)
	text := string(n.Data)
	assert.Contains(t, text, `region=us-east-1\x1b]0;pwned\x07\x1b[2J\u009b`)
	assert.Contains(t, text, `sys/class/net/eth\x1b]0;pwned\x07\x1b[2J\u009b/device/uevent`)
	assert.NotContains(t, text, "\x1b")
	assert.NotContains(t, text, "\x07")
	assert.NotContains(t, text, "\u009b")
}

// FuzzParseNoteTime: the recorded_at line of a note from a tarball gives
// zero or a time as Tree.RecordedAt holds it (UTC, whole seconds), which
// the note writes back as the same time.
func FuzzParseNoteTime(f *testing.F) {
	f.Add([]byte("recorded_at: 2026-11-25T17:38:12Z\n"))
	f.Add([]byte("x\nrecorded_at: 9999-12-31T23:59:59-23:59\nrecorded_at: 0000-01-01T00:00:00+23:59\n"))
	f.Add([]byte("recorded_at: 2026-11-25T17:38:12.999999999+02:00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got := parseNoteTime(data)
		if got.IsZero() {
			return
		}
		require.Equal(t, time.UTC, got.Location())
		require.Zero(t, got.Nanosecond())
		back := parseNoteTime([]byte("recorded_at: " + got.Format(time.RFC3339) + "\n"))
		require.True(t, got.Equal(back), "%v read back as %v", got, back)
	})
}
