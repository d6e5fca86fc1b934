package coldstart

import (
	"io/fs"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/faasprobe/faasprobe/internal/sysroot"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCombineOrigin(t *testing.T) {
	t.Parallel()
	wall := time.Unix(1795627794+1000, 0) // 1000 s after realProcStat's btime
	absent := &fs.PathError{Op: "open", Path: "/proc/x", Err: fs.ErrNotExist}
	denied := &fs.PathError{Op: "open", Path: "/proc/x", Err: fs.ErrPermission}
	tests := []struct {
		name         string
		in           originInput
		wantSource   string
		wantProcAge  time.Duration
		wantBootAge  time.Duration // 0: unknown
		wantProblems []string      // substrings, one per problem
	}{
		{
			name:       "uptime",
			in:         originInput{stat: []byte(realStat), uptime: []byte("900.00 5\n")},
			wantSource: StartFromUptime, wantProcAge: 900*time.Second - 835320*time.Millisecond, wantBootAge: 900 * time.Second,
		},
		{
			name:       "btime when uptime is absent",
			in:         originInput{stat: []byte(realStat), uptimeErr: absent, procStat: []byte(realProcStat), wallNow: wall},
			wantSource: StartFromBtime, wantProcAge: 1000*time.Second - 835320*time.Millisecond, wantBootAge: 1000 * time.Second,
		},
		{
			name:       "btime when uptime is garbage",
			in:         originInput{stat: []byte(realStat), uptime: []byte("soon"), procStat: []byte(realProcStat), wallNow: wall},
			wantSource: StartFromBtime, wantProcAge: 1000*time.Second - 835320*time.Millisecond, wantBootAge: 1000 * time.Second,
			wantProblems: []string{"parse /proc/uptime"},
		},
		{
			name:       "no /proc at all (macOS, Windows)",
			in:         originInput{statErr: absent, uptimeErr: absent, procStatErr: absent},
			wantSource: StartFromTracker,
		},
		{
			name:       "stat absent, uptime present: sandbox age only",
			in:         originInput{statErr: absent, uptime: []byte("12.00 1")},
			wantSource: StartFromTracker, wantBootAge: 12 * time.Second,
		},
		{
			name:       "stat unreadable",
			in:         originInput{statErr: denied, uptime: []byte("12.00 1")},
			wantSource: StartFromTracker, wantBootAge: 12 * time.Second,
			wantProblems: []string{"read /proc/self/stat"},
		},
		{
			name:       "stat garbage",
			in:         originInput{stat: []byte("garbage"), uptime: []byte("12.00 1")},
			wantSource: StartFromTracker, wantBootAge: 12 * time.Second,
			wantProblems: []string{"parse /proc/self/stat"},
		},
		{
			name:         "missing /proc/stat after absent uptime",
			in:           originInput{stat: []byte(realStat), uptimeErr: absent, procStatErr: absent},
			wantSource:   StartFromTracker,
			wantProblems: nil, // absence is not a problem
		},
		{
			name:         "unreadable uptime and /proc/stat",
			in:           originInput{stat: []byte(realStat), uptimeErr: denied, procStatErr: denied},
			wantSource:   StartFromTracker,
			wantProblems: []string{"read /proc/uptime", "read /proc/stat"},
		},
		{
			name:         "/proc/stat without btime",
			in:           originInput{stat: []byte(realStat), uptimeErr: absent, procStat: []byte("cpu 1 2\n"), wallNow: wall},
			wantSource:   StartFromTracker,
			wantProblems: []string{"parse /proc/stat: no btime line"},
		},
		{
			name:         "btime in the clock's future",
			in:           originInput{stat: []byte(realStat), uptimeErr: absent, procStat: []byte(realProcStat), wallNow: time.Unix(1795627794-60, 0)},
			wantSource:   StartFromTracker,
			wantProblems: []string{"after the clock's now"},
		},
		{
			name:       "starttime later than uptime",
			in:         originInput{stat: []byte(realStat), uptime: []byte("100.00 1")},
			wantSource: StartFromTracker, wantBootAge: 100 * time.Second,
			wantProblems: []string{"later than the time since boot"},
		},
		{
			name:       "process started at boot",
			in:         originInput{stat: []byte(statLine("init", "0")), uptime: []byte("3.00 1")},
			wantSource: StartFromUptime, wantProcAge: 3 * time.Second, wantBootAge: 3 * time.Second,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := combineOrigin(tt.in)
			assert.Equal(t, tt.wantSource, o.source)
			assert.Equal(t, tt.wantProcAge, o.procAge)
			assert.Equal(t, tt.wantBootAge != 0, o.bootKnown)
			assert.Equal(t, tt.wantBootAge, o.bootAge)
			require.Len(t, o.problems, len(tt.wantProblems), "problems: %q", o.problems)
			for i, want := range tt.wantProblems {
				assert.Contains(t, o.problems[i], want)
				assert.True(t, strings.HasPrefix(o.problems[i], "coldstart: "), o.problems[i])
			}
		})
	}
}

// TestReadOriginLive checks invariants on the machine running the test.
func TestReadOriginLive(t *testing.T) {
	t.Parallel()
	o := readOrigin(sysroot.Live(), time.Now)
	assert.Empty(t, o.problems)
	if runtime.GOOS != "linux" {
		assert.Equal(t, StartFromTracker, o.source)
		return
	}
	require.Equal(t, StartFromUptime, o.source)
	require.True(t, o.bootKnown)
	assert.GreaterOrEqual(t, o.procAge, time.Duration(0))
	assert.LessOrEqual(t, o.procAge, o.bootAge, "the process started after boot")
	// This test process started at most a few minutes ago (10 ms ticks).
	assert.Less(t, o.procAge, time.Hour)
}

// TestReadOriginOnlyReadsProcStatWhenNeeded: /proc/stat can be large on big
// machines; it is read only as the fallback.
func TestReadOriginOnlyReadsProcStatWhenNeeded(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{
		"proc/self/stat": realStat,
		"proc/uptime":    "900.00 1\n",
		"proc/stat":      "this would fail to parse\n",
	})
	o := readOrigin(sysroot.FromEnv(dir, nil), time.Now)
	assert.Empty(t, o.problems)
	assert.Equal(t, StartFromUptime, o.source)

	dir = writeTree(t, map[string]string{"proc/self/stat": realStat, "proc/stat": realProcStat})
	o = readOrigin(sysroot.FromEnv(dir, nil), func() time.Time { return time.Unix(1795627794+1000, 0) })
	assert.Empty(t, o.problems)
	assert.Equal(t, StartFromBtime, o.source)
	assert.Equal(t, 1000*time.Second-835320*time.Millisecond, o.procAge)
}

func TestReadOriginNotARegularFile(t *testing.T) {
	t.Parallel()
	// A directory where the file should be: an error worth listing, not
	// "absent", and not a hang.
	dir := writeTree(t, map[string]string{"proc/uptime": "5.00 1\n", "proc/self/stat/x": ""})
	o := readOrigin(sysroot.FromEnv(dir, nil), time.Now)
	assert.Equal(t, StartFromTracker, o.source)
	require.Len(t, o.problems, 1)
	assert.Contains(t, o.problems[0], "read /proc/self/stat")
	assert.True(t, o.bootKnown)
}
