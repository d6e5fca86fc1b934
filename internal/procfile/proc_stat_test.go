package procfile

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// realStat is `cat /proc/self/stat` on the development microVM (Linux 6.x,
// Firecracker): 52 fields, starttime 83532.
const realStat = "28486 (cat) R 28484 28484 3435 0 -1 4194304 101 0 0 0 0 0 0 0 20 0 1 0 83532 3133440 415 18446744073709551615 94343478947840 94343478967721 140720621688640 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 94343478983728 94343478985344 94343719821312 140720621693616 140720621693636 140720621693636 140720621694955 0\n"

// oldKernelStat is a 44-field line as 2.6-era kernels wrote it (proc(5)).
const oldKernelStat = "1 (init) S 0 1 1 0 -1 4202752 1402 33585 23 133 9 88 1013 341 20 0 1 0 3 2125824 146 18446744073709551615 134512640 134544500 3218960224 3218958044 12068006 0 0 1475401980 671819267 18446744071579299622 0 0 0 0 0 0 0 0 0\n"

// statBootstrap is the emulator's bootstrap; statOddComm has a command
// name with spaces and parentheses (prctl can set anything) and is a
// zombie.
const (
	statBootstrap = "16426 (bootstrap) S 16410 16426 16410 0 -1 4194560 612 0 0 0 0 0 0 0 20 0 5 0 123456 1239040 1201 18446744073709551615 1 1 0 0 0 0 0 0 2143420159 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
	statOddComm   = "77 (a) b (c) Z 1 77 77 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 999 0 0 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
)

// statLine is a real line (pid 6732, state R, ppid and pgrp 6726) with comm
// and starttime replaced.
func statLine(comm string, startTicks string) string {
	return "6732 (" + comm + ") R 6726 6726 3435 0 -1 4194304 102 0 0 0 0 0 0 0 20 0 1 0 " + startTicks +
		" 3133440 386 18446744073709551615 94475829903360 94475829923241 140737447120176 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 94475829939248 94475829940864 94476239360000 140737447123632 140737447123652 140737447123652 140737447124971 0\n"
}

func TestParseProcStat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    ProcStat
		wantErr string
	}{
		{name: "real line", in: realStat, want: ProcStat{PID: 28486, Comm: "cat", State: 'R', PPID: 28484, PGRP: 28484, StartTime: 83532}},
		{name: "old kernel, 44 fields", in: oldKernelStat, want: ProcStat{PID: 1, Comm: "init", State: 'S', PGRP: 1, StartTime: 3}},
		{name: "bootstrap", in: statBootstrap, want: ProcStat{PID: 16426, Comm: "bootstrap", State: 'S', PPID: 16410, PGRP: 16426, StartTime: 123456}},
		{name: "comm with spaces and parens, zombie", in: statOddComm, want: ProcStat{PID: 77, Comm: "a) b (c", State: 'Z', PPID: 1, PGRP: 77, StartTime: 999}},
		{name: "comm with spaces", in: statLine("my handler", "120"), want: ProcStat{PID: 6732, Comm: "my handler", State: 'R', PPID: 6726, PGRP: 6726, StartTime: 120}},
		{name: "comm with parens and fake fields", in: statLine(") S 1 2 3 (x", "77"), want: ProcStat{PID: 6732, Comm: ") S 1 2 3 (x", State: 'R', PPID: 6726, PGRP: 6726, StartTime: 77}},
		{name: "comm with newline", in: statLine("a\nb", "5"), want: ProcStat{PID: 6732, Comm: "a\nb", State: 'R', PPID: 6726, PGRP: 6726, StartTime: 5}},
		{name: "empty comm", in: statLine("", "5"), want: ProcStat{PID: 6732, Comm: "", State: 'R', PPID: 6726, PGRP: 6726, StartTime: 5}},
		{name: "no trailing newline", in: strings.TrimSuffix(realStat, "\n"), want: ProcStat{PID: 28486, Comm: "cat", State: 'R', PPID: 28484, PGRP: 28484, StartTime: 83532}},
		{name: "largest starttime a Duration holds", in: statLine("x", strconv.FormatInt(maxStartTicks, 10)), want: ProcStat{PID: 6732, Comm: "x", State: 'R', PPID: 6726, PGRP: 6726, StartTime: uint64(maxStartTicks)}},
		{name: "empty", in: "", wantErr: "no (comm) field"},
		{name: "no parens", in: "28486 cat R 1 2 3", wantErr: "no (comm) field"},
		{name: "close before open", in: "1 )x( R", wantErr: "no (comm) field"},
		{name: "no pid", in: "(cat) R" + strings.Repeat(" 1", 30), wantErr: "pid field"},
		{name: "bad pid", in: "x1 (x) R" + strings.Repeat(" 1", 30), wantErr: "pid field"},
		{name: "negative pid", in: "-3 (cat) R" + strings.Repeat(" 1", 30), wantErr: "pid field"},
		{name: "pid zero", in: "0 (x) S 1 12 12 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0", wantErr: "pid field"},
		{name: "truncated", in: realStat[:60], wantErr: "fields after comm"},
		{name: "truncated after comm", in: "12 (x) S 1 12 12 0", wantErr: "fields after comm"},
		{name: "comm longer than a kernel writes", in: statLine(strings.Repeat("c", 65), "5"), wantErr: "longer than 64 bytes"},
		// A NUL is not white space: the fuzzer found a line whose "state"
		// was a NUL that a laxer parser skipped.
		{name: "NUL after comm", in: "7 ()\x00 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 ", wantErr: "no space after comm"},
		{name: "NUL as state", in: strings.Replace(realStat, ") R ", ") \x00 ", 1), wantErr: "state field"},
		{name: "state not one char", in: strings.Replace(realStat, ") R ", ") RUN ", 1), wantErr: "state field"},
		{name: "state a digit", in: strings.Replace(realStat, ") R ", ") 1 ", 1), wantErr: "state field"},
		{name: "bad ppid", in: "12 (x) S p 12 12 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0", wantErr: "ppid"},
		{name: "bad pgrp", in: "12 (x) S 1 -12 12 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0", wantErr: "pgrp"},
		{name: "starttime not a number", in: statLine("x", "12ab"), wantErr: "starttime field"},
		{name: "starttime negative", in: statLine("x", "-12"), wantErr: "starttime field"},
		// fmt.Fscan (procfs) reads "0100" as octal 64: the kernel never
		// writes a leading zero, so it is rejected, not read as 100.
		{name: "starttime with a leading zero", in: statLine("x", "0100"), wantErr: "starttime field"},
		{name: "starttime over uint64", in: statLine("x", "99999999999999999999999"), wantErr: "starttime field"},
		{name: "starttime over a Duration", in: statLine("x", strconv.FormatInt(maxStartTicks+1, 10)), wantErr: "not a tick count in range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseProcStat([]byte(tt.in))
			if tt.wantErr != "" {
				assert.ErrorContains(t, err, tt.wantErr)
				assert.Zero(t, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
	st, err := ParseProcStat([]byte(statOddComm))
	require.NoError(t, err)
	assert.False(t, st.Alive(), "a zombie")
	st, err = ParseProcStat([]byte(realStat))
	require.NoError(t, err)
	assert.True(t, st.Alive())
	assert.Equal(t, 835*time.Second+320*time.Millisecond, st.Start())
}

// TestParseProcStatSelf checks the parser against the live kernel: our own
// stat names our pid and parent.
func TestParseProcStatSelf(t *testing.T) {
	t.Parallel()
	if runtime.GOOS != "linux" {
		t.Skip("needs /proc")
	}
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(os.Getpid()), "stat"))
	require.NoError(t, err)
	st, err := ParseProcStat(b)
	require.NoError(t, err)
	assert.Equal(t, os.Getpid(), st.PID)
	assert.Equal(t, os.Getppid(), st.PPID)
	assert.True(t, st.Alive())
	assert.Positive(t, st.StartTime)
}

func FuzzParseProcStat(f *testing.F) {
	f.Add([]byte(realStat))
	f.Add([]byte(oldKernelStat))
	f.Add([]byte(statBootstrap))
	f.Add([]byte(statOddComm))
	f.Add([]byte(statLine(")", "1")))
	f.Add([]byte("1 () R"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		st, err := ParseProcStat(data)
		if err != nil {
			assert.Zero(t, st, "no partial result with an error")
			return
		}
		assert.Positive(t, st.PID)
		assert.True(t, isLetter(st.State), "state %q", st.State)
		assert.LessOrEqual(t, st.StartTime, uint64(maxStartTicks), "starttime must fit a Duration")
		assert.GreaterOrEqual(t, st.Start(), time.Duration(0))
		// comm is exactly what lies between the first '(' and the last ')'.
		open := bytes.IndexByte(data, '(')
		end := bytes.LastIndexByte(data, ')')
		require.True(t, open >= 0 && end > open)
		assert.Equal(t, string(data[open+1:end]), st.Comm)
	})
}

// FuzzParseProcStatComm puts arbitrary comm and starttime values into a
// real line: whatever comm holds, the starttime must come back unchanged.
func FuzzParseProcStatComm(f *testing.F) {
	f.Add("cat", uint64(83532))
	f.Add("a) R 1 2 (b", uint64(0))
	f.Add("sp ace", uint64(maxStartTicks))
	f.Add("x\ny", uint64(1))
	f.Fuzz(func(t *testing.T, comm string, ticks uint64) {
		st, err := ParseProcStat([]byte(statLine(comm, strconv.FormatUint(ticks, 10))))
		if ticks > uint64(maxStartTicks) || len(comm) > maxComm {
			require.Error(t, err)
			return
		}
		require.NoError(t, err)
		assert.Equal(t, ticks, st.StartTime)
		assert.Equal(t, 6732, st.PID)
		assert.Equal(t, comm, st.Comm)
	})
}
