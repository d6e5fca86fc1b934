//go:build linux

package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/internal/fleet"
)

// TestFleetMemoryBoundedByHugeFields runs the real binary on a log whose
// ids are 0.5–1 MB each (hundreds of startup lines, REPORT lines with an
// Init Duration, invocation lines): before strings were capped, 600 such
// lines took about 400 MB of RSS (400 lines: 240 MB). Every record is now incomplete and peak
// RSS stays under 64 MiB.
func TestFleetMemoryBoundedByHugeFields(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 270 MB log")
	}
	t.Parallel()
	dir := t.TempDir()
	bin := filepath.Join(dir, "faasprobe")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())

	logPath := filepath.Join(dir, "huge.log")
	f, err := os.Create(logPath)
	require.NoError(t, err)
	w := bufio.NewWriterSize(f, 1<<20)
	const perKind = 100
	lines := 0
	for i := range perKind {
		// Sizes from 0.5 MB to just under MaxLineBytes, each one distinct.
		n := 512<<10 + i*((fleet.MaxLineBytes-(512<<10)-200)/perKind)
		id := fmt.Sprintf("%07d%s", i, strings.Repeat("x", n-7))
		fmt.Fprintf(w, `{"time":"2026-01-15T10:00:00Z","message":"faasprobe.startup","host":{"boot_id":"b%d"},"sandbox":{"id":"%s"}}`+"\n", i, id)
		fmt.Fprintf(w, "REPORT RequestId: %s\tDuration: 1.00 ms\tInit Duration: 100.00 ms\n", id)
		fmt.Fprintf(w, `{"message":"faasprobe.invocation","sandbox_id":"s%d","requestId":"%s","invocation":{"first":true,"cold":true,"reason":"on-demand"}}`+"\n", i, id)
		fmt.Fprintf(w, `{"message":"faasprobe.startup","host":{"boot_id":"b"},"sandbox":{"id":"s%d","isolation":"%s"}}`+"\n", i, id[:n/2])
		lines += 4
	}
	require.NoError(t, w.Flush())
	require.NoError(t, f.Close())

	cmd := exec.Command(bin, "fleet", "--json", logPath)
	var out bytes.Buffer
	cmd.Stdout = &out
	require.NoError(t, cmd.Start())
	// The child's own peak is its VmHWM: the high-water mark of the memory
	// it got at exec. Rusage.Maxrss is not used for the check: Linux also
	// counts the memory of the process that exec'd (os/exec vforks, so
	// that is this test process: ~75 MB under -race).
	hwm := make(chan int64, 1)
	done := make(chan struct{})
	go func() {
		var peak int64
		for {
			peak = max(peak, vmHWM(cmd.Process.Pid))
			select {
			case <-done:
				hwm <- peak
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	err = cmd.Wait()
	close(done)
	peakKiB := <-hwm
	require.NoError(t, err)
	var res fleet.Result
	require.NoError(t, json.Unmarshal(out.Bytes(), &res))
	assert.Equal(t, int64(lines), res.Kinds["incomplete"])
	assert.Zero(t, res.Totals.Sandboxes)

	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	require.True(t, ok)
	const limitKiB = 64 << 10
	t.Logf("peak RSS of fleet on %d lines of 0.5–1 MB: %d KiB (VmHWM; Rusage.Maxrss %d KiB)", lines, peakKiB, ru.Maxrss)
	require.Positive(t, peakKiB, "VmHWM read")
	assert.Less(t, peakKiB, int64(limitKiB), "peak RSS in KiB")
}

// vmHWM reads the peak resident set of process pid in KiB from
// /proc/<pid>/status; 0 once it has exited.
func vmHWM(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return 0
}
