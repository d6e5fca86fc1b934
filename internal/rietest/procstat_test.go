package rietest

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A /proc/<pid>/stat line of the emulator's bootstrap, and one whose
// command name holds spaces and parentheses (prctl can set anything).
const (
	statBootstrap = "16426 (bootstrap) S 16410 16426 16410 0 -1 4194560 612 0 0 0 0 0 0 0 20 0 5 0 123456 1239040 1201 18446744073709551615 1 1 0 0 0 0 0 0 2143420159 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
	statOddComm   = "77 (a) b (c) Z 1 77 77 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 999 0 0 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
)

func TestParseProcStat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		in        string
		want      procStat
		wantAlive bool
	}{
		{name: "bootstrap", in: statBootstrap, want: procStat{PID: 16426, State: 'S', PPID: 16410, PGRP: 16426, StartTime: 123456}, wantAlive: true},
		{name: "comm with spaces and parens, zombie", in: statOddComm, want: procStat{PID: 77, State: 'Z', PPID: 1, PGRP: 77, StartTime: 999}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseProcStat([]byte(tt.in))
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.wantAlive, got.alive())
		})
	}
}

func TestParseProcStatErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, wantErr string
	}{
		{"empty", "", "no (comm)"},
		{"no pid", "(x) S 1 1 1", "no (comm)"},
		{"bad pid", "x1 (x) S 1 1", "pid"},
		{"truncated", "12 (x) S 1 12 12 0", "fields after comm"},
		{"pid zero", "0 (x) S 1 12 12 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0", "not a process id"},
		{"state not a letter (fuzz)", "7()\x00 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 ", "state"},
		{"state too long", "12 (x) SS 1 12 12 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0", "state"},
		{"bad ppid", "12 (x) S p 12 12 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0", "ppid"},
		{"bad starttime", "12 (x) S 1 12 12 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 -5 0", "starttime"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := parseProcStat([]byte(tt.in))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
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
	st, err := parseProcStat(b)
	require.NoError(t, err)
	assert.Equal(t, os.Getpid(), st.PID)
	assert.Equal(t, os.Getppid(), st.PPID)
	assert.True(t, st.alive())
	assert.Positive(t, st.StartTime)
}

func TestParseEnviron(t *testing.T) {
	t.Parallel()
	got := parseEnviron([]byte("A=1\x00B=x=y\x00NOEQUALS\x00=nokey\x00A=2\x00\x00EMPTY=\x00"))
	assert.Equal(t, map[string]string{"A": "2", "B": "x=y", "EMPTY": ""}, got)
	assert.Empty(t, parseEnviron(nil))
}

func FuzzParseProcStat(f *testing.F) {
	f.Add([]byte(statBootstrap))
	f.Add([]byte(statOddComm))
	f.Add([]byte("1 () R"))
	f.Fuzz(func(t *testing.T, b []byte) {
		st, err := parseProcStat(b)
		if err != nil {
			assert.Equal(t, procStat{}, st)
			return
		}
		assert.Contains(t, string(b), "(")
		assert.Contains(t, string(b), ")")
		assert.Positive(t, st.PID)
		assert.True(t, isLetter(st.State), "state %q is not a letter", st.State)
	})
}

func FuzzParseEnviron(f *testing.F) {
	f.Add([]byte("A=1\x00B=2\x00"))
	f.Add([]byte("=\x00\x00="))
	f.Fuzz(func(t *testing.T, b []byte) {
		for k, v := range parseEnviron(b) {
			assert.NotEmpty(t, k)
			assert.NotContains(t, k, "=")
			assert.NotContains(t, k, "\x00")
			assert.NotContains(t, v, "\x00")
		}
	})
}
