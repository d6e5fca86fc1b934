package procfile

import (
	"bytes"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// realProcStat is the head of /proc/stat on the development microVM
// (Firecracker, Linux 6.x, two vCPUs).
const realProcStat = "cpu  52055 0 12037 101933 198 0 68 128 0 0\ncpu0 25798 0 6026 51260 45 0 11 57 0 0\ncpu1 26256 0 6011 50673 152 0 57 71 0 0\nintr 1729248 0 0 0\nctxt 4620969\nbtime 1795627794\nprocesses 28490\nprocs_running 1\nprocs_blocked 0\nsoftirq 1 2 3\n"

func TestParseStat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    Stat
		wantErr string
	}{
		{name: "real", in: realProcStat, want: Stat{
			BootTime: time.Unix(1795627794, 0).UTC(),
			Total:    CPUTime{ID: -1, User: 52055, System: 12037, Idle: 101933, IOWait: 198, SoftIRQ: 68, Steal: 128},
			CPUs: []CPUTime{
				{ID: 0, User: 25798, System: 6026, Idle: 51260, IOWait: 45, SoftIRQ: 11, Steal: 57},
				{ID: 1, User: 26256, System: 6011, Idle: 50673, IOWait: 152, SoftIRQ: 57, Steal: 71},
			}}},
		{name: "gVisor: all zero except btime", in: "cpu 0 0 0 0 0 0 0 0 0 0\ncpu0 0 0 0 0 0 0 0 0 0 0\nbtime 1700000000\n", want: Stat{
			BootTime: time.Unix(1700000000, 0).UTC(), Total: CPUTime{ID: -1}, CPUs: []CPUTime{{ID: 0}}}},
		{name: "Linux 2.4: four counts, offline cpu1 skipped", in: "cpu 1 2 3 4\ncpu0 1 1 1 1\ncpu2 0 1 2 3\nbtime 5\n", want: Stat{
			BootTime: time.Unix(5, 0).UTC(), Total: CPUTime{ID: -1, User: 1, Nice: 2, System: 3, Idle: 4},
			CPUs: []CPUTime{{ID: 0, User: 1, Nice: 1, System: 1, Idle: 1}, {ID: 2, Nice: 1, System: 2, Idle: 3}}}},
		{name: "a future eleventh count is ignored", in: "cpu 1 2 3 4 5 6 7 8 9 10 11\nbtime 5\n", want: Stat{
			BootTime: time.Unix(5, 0).UTC(), CPUs: []CPUTime{},
			Total: CPUTime{ID: -1, User: 1, Nice: 2, System: 3, Idle: 4, IOWait: 5, IRQ: 6, SoftIRQ: 7, Steal: 8}}},
		{name: "no btime", in: "cpu 1 2 3 4\n", wantErr: "no btime line"},
		{name: "no aggregate line", in: "cpu0 1 2 3 4\nbtime 5\n", wantErr: "no aggregate cpu line"},
		{name: "empty", in: "", wantErr: "no btime line"},
		{name: "three counts", in: "cpu 1 2 3\nbtime 5\n", wantErr: "3 tick counts, want at least 4"},
		{name: "negative count", in: "cpu 1 -2 3 4\nbtime 5\n", wantErr: `field 2 "-2": not a tick count`},
		{name: "float count", in: "cpu 1 2.5 3 4\nbtime 5\n", wantErr: "not a tick count"},
		{name: "count overflows", in: "cpu 18446744073709551616 0 0 0\nbtime 5\n", wantErr: "not a tick count"},
		{name: "not cpuN", in: "cpux 1 2 3 4\nbtime 5\n", wantErr: "name is not cpu or cpuN"},
		{name: "negative cpu id", in: "cpu-1 1 2 3 4\nbtime 5\n", wantErr: "name is not cpu or cpuN"},
		{name: "leading zero in cpu id", in: "cpu 1 2 3 4\ncpu01 1 2 3 4\nbtime 5\n", wantErr: "name is not cpu or cpuN"},
		{name: "cpu ids out of order", in: "cpu 1 2 3 4\ncpu1 1 1 1 1\ncpu0 1 1 1 1\nbtime 5\n", wantErr: "cpu0 after cpu1"},
		{name: "two aggregate lines", in: "cpu 1 2 3 4\ncpu 1 2 3 4\nbtime 5\n", wantErr: "more than one aggregate"},
		{name: "two btime lines", in: "cpu 1 2 3 4\nbtime 5\nbtime 6\n", wantErr: "more than one btime"},
		{name: "bad btime", in: "cpu 1 2 3 4\nbtime soon\n", wantErr: "not a Unix time"},
		{name: "garbage in lines not read", in: "cpu 1 2 3 4\nintr lots\nbtime 5\n", want: Stat{
			BootTime: time.Unix(5, 0).UTC(), Total: CPUTime{ID: -1, User: 1, Nice: 2, System: 3, Idle: 4}, CPUs: []CPUTime{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseStat([]byte(tt.in))
			if tt.wantErr != "" {
				assert.ErrorContains(t, err, tt.wantErr)
				assert.Zero(t, got)
				return
			}
			require.NoError(t, err)
			if tt.want.CPUs == nil {
				tt.want.CPUs = []CPUTime{}
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseStatScenarios(t *testing.T) {
	t.Parallel()
	for _, b := range scenarioFiles(t, "proc/stat") {
		st, err := ParseStat(b)
		if err != nil {
			continue // the bad-input trees
		}
		assert.False(t, st.BootTime.IsZero())
		assert.NotEmpty(t, st.CPUs)
		var sum uint64
		for _, c := range st.CPUs {
			sum += c.User
		}
		assert.InDelta(t, float64(st.Total.User), float64(sum), float64(len(st.CPUs))+1, "the aggregate is the sum of the CPUs")
	}
}

func TestParseBootTime(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    int64
		wantErr string
	}{
		{name: "real", in: realProcStat, want: 1795627794},
		{name: "btime first, no newline", in: "btime 42", want: 42},
		{name: "tab separated", in: "btime\t42\n", want: 42},
		{name: "latest year encoding/json writes", in: "btime 253402300799\n", want: 253402300799},
		{name: "year 10000", in: "btime 253402300800\n", wantErr: "not a Unix time"},
		{name: "missing", in: "cpu 1 2 3\nctxt 4\n", wantErr: "no btime line"},
		{name: "empty", in: "", wantErr: "no btime line"},
		{name: "btimex is not btime", in: "btimex 5\n", wantErr: "no btime line"},
		{name: "not a number", in: "btime soon\n", wantErr: "not a Unix time"},
		{name: "float overflow", in: "btime 1e400\n", wantErr: "not a Unix time"},
		{name: "zero", in: "btime 0\n", wantErr: "not a Unix time"},
		{name: "negative", in: "btime -5\n", wantErr: "not a Unix time"},
		{name: "plus sign", in: "btime +5\n", wantErr: "not a Unix time"},
		{name: "empty value", in: "btime \n", wantErr: "not a Unix time"},
		{name: "control characters are escaped", in: "btime \x1b[2J\n", wantErr: `\x1b[2J`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseBootTime([]byte(tt.in))
			if tt.wantErr != "" {
				assert.ErrorContains(t, err, tt.wantErr)
				assert.True(t, got.IsZero())
				return
			}
			require.NoError(t, err)
			assert.Equal(t, time.Unix(tt.want, 0).UTC(), got)
		})
	}
}

func FuzzParseStat(f *testing.F) {
	f.Add([]byte(realProcStat))
	f.Add([]byte("cpu 1 2 3 4\ncpu0 1 1 1 1\ncpu2 0 1 2 3\nbtime 5\n"))
	f.Add([]byte("cpu 18446744073709551615 0 0 0 0 0 0 18446744073709551615\nbtime 253402300799"))
	f.Add([]byte("cpu-1 1 2 3 4\nbtime 5\n"))
	f.Add([]byte("cpu 1 2 3 4\ncpu01 1 2 3 4\nbtime 5\n"))
	for _, b := range scenarioFiles(f, "proc/stat") {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		st, err := ParseStat(data)
		bt, btErr := ParseBootTime(data)
		if err != nil {
			assert.Zero(t, st, "no partial result with an error")
			return
		}
		require.NoError(t, btErr, "what ParseStat accepts, ParseBootTime accepts")
		assert.Equal(t, bt, st.BootTime)
		assert.Equal(t, -1, st.Total.ID)
		for i, c := range st.CPUs {
			assert.GreaterOrEqual(t, c.ID, 0)
			if i > 0 {
				assert.Greater(t, c.ID, st.CPUs[i-1].ID)
			}
			assert.True(t, bytes.Contains(data, []byte("cpu"+strconv.Itoa(c.ID))), "cpu%d comes from the input", c.ID)
		}
	})
}

func FuzzParseBootTime(f *testing.F) {
	f.Add([]byte(realProcStat))
	f.Add([]byte("btime 1\n"))
	f.Add([]byte("btime\t-1\n"))
	f.Add([]byte("cpu 0\nbtime 9223372036854775807"))
	f.Fuzz(func(t *testing.T, data []byte) {
		bt, err := ParseBootTime(data)
		if err != nil {
			assert.True(t, bt.IsZero())
			return
		}
		sec := bt.Unix()
		assert.Positive(t, sec)
		assert.LessOrEqual(t, sec, int64(maxBtime))
		assert.True(t, bytes.Contains(data, []byte(strconv.FormatInt(sec, 10))), "the value comes from the input")
	})
}
