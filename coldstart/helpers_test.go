package coldstart

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// t0 is the fake clock's start in every table test.
var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// fakeClock is a settable clock, safe for concurrent use.
type fakeClock struct{ off atomic.Int64 }

func (c *fakeClock) Now() time.Time          { return t0.Add(time.Duration(c.off.Load())) }
func (c *fakeClock) Set(d time.Duration)     { c.off.Store(int64(d)) }
func (c *fakeClock) Advance(d time.Duration) { c.off.Add(int64(d)) }
func envOf(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

// writeTree writes files (path below the root → content) into a new
// directory and returns it.
func writeTree(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	}
	return dir
}

// statLine is a /proc/<pid>/stat line for comm with the given starttime,
// shaped after a real line of this machine's kernel (6.x, 52 fields).
func statLine(comm string, startTicks string) string {
	return "6732 (" + comm + ") R 6726 6726 3435 0 -1 4194304 102 0 0 0 0 0 0 0 20 0 1 0 " + startTicks +
		" 3133440 386 18446744073709551615 94475829903360 94475829923241 140737447120176 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 94475829939248 94475829940864 94476239360000 140737447123632 140737447123652 140737447123652 140737447124971 0\n"
}

// procTree is a /proc where the process started procAge ago and the kernel
// booted bootAge ago (both multiples of 10 ms).
func procTree(bootAge, procAge time.Duration) map[string]string {
	ticks := (bootAge - procAge) / (10 * time.Millisecond)
	return map[string]string{
		"proc/self/stat": statLine("bootstrap", strconv.FormatInt(int64(ticks), 10)),
		"proc/uptime":    fmt.Sprintf("%d.%02d 1.00\n", bootAge/time.Second, bootAge%time.Second/(10*time.Millisecond)),
	}
}
