//go:build linux

package procfile

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/prometheus/procfs"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The differential tests: prometheus/procfs parses most of these files too
// and is the oracle. Each feeds the same bytes to procfs (written into a
// fake /proc under t.TempDir()) and to the parser here, and requires the
// same facts, or both to reject. Where they may differ, the difference is
// named below with its reason, and the test checks that reason holds:
// a case the list does not explain fails.
//
// The differences are of three kinds. (1) Stricter here: the kernel's exact
// format (decimal digits only, where procfs takes "0x10", "+1", "1_000",
// "1e3" or "NaN"; no values past what a Duration or the schema holds; no
// duplicate or out-of-order lines). (2) Less read here: lines and fields
// this package does not use are skipped, where procfs parses and may
// reject them. (3) procfs's own limits: it panics on some malformed
// /proc/<pid>/stat and cpuinfo lines (recovered here and counted as a
// rejection), stops without an error at a meminfo line over 64 KiB, and
// wraps a kB value past 2^54 when it converts it to bytes.

// fakeProc writes files (relative paths) below a new directory and returns
// a procfs.FS rooted there.
func fakeProc(t *testing.T, files map[string][]byte) procfs.FS {
	t.Helper()
	dir := t.TempDir()
	for name, b := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, b, 0o644))
	}
	fs, err := procfs.NewFS(dir)
	require.NoError(t, err)
	return fs
}

// oracle runs f, turning a panic into an error.
func oracle[T any](f func() (T, error)) (v T, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("procfs panicked: %v", r)
		}
	}()
	return f()
}

// kernelDecimal reports whether s is what the kernel's %llu writes: digits,
// no leading zero.
func kernelDecimal(s string) bool {
	if s == "" || len(s) > 20 || len(s) > 1 && s[0] == '0' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// --- /proc/stat

func FuzzStatMatchesProcfs(f *testing.F) {
	f.Add([]byte(realProcStat))
	f.Add([]byte("cpu 1 2 3 4\ncpu0 1 1 1 1\ncpu2 0 1 2 3\nbtime 5\n"))
	f.Add([]byte("cpu 1 2 3 4\nintr x\nbtime 5\n"))
	f.Add([]byte("cpu 1e3 2 3 4\nbtime 5\n"))
	f.Add([]byte("cpu-1 1 2 3 4\ncpu 1 2 3 4\nbtime 5\n"))
	for _, b := range scenarioFiles(f, "proc/stat") {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ours, err := ParseStat(data)
		theirs, perr := oracle(func() (procfs.Stat, error) {
			return fakeProc(t, map[string][]byte{"stat": data}).Stat()
		})
		switch {
		case err == nil && perr == nil:
			requireSameStat(t, ours, theirs)
		case err == nil:
			// Less read here: procfs rejected a line this package skips
			// (intr, ctxt, processes, procs_*, softirq). On the lines read
			// here alone it must agree.
			theirs, perr = oracle(func() (procfs.Stat, error) {
				return fakeProc(t, map[string][]byte{"stat": statLinesRead(data)}).Stat()
			})
			require.NoError(t, perr, "procfs rejects what is accepted here: %v", perr)
			requireSameStat(t, ours, theirs)
		case perr == nil:
			requireStricterStat(t, data, err)
		}
	})
}

// statLinesRead keeps the lines ParseStat reads: btime and cpu*.
func statLinesRead(data []byte) []byte {
	var out []byte
	for line := range bytes.Lines(data) {
		if bytes.HasPrefix(line, []byte("btime")) || bytes.HasPrefix(line, []byte("cpu")) {
			out = append(out, line...)
		}
	}
	return out
}

func requireSameStat(t *testing.T, ours Stat, theirs procfs.Stat) {
	t.Helper()
	require.Equal(t, uint64(ours.BootTime.Unix()), theirs.BootTime, "btime")
	// procfs reads each count as a float and divides by USER_HZ: the same
	// two correctly rounded operations on the same number.
	same := func(what string, c CPUTime, p procfs.CPUStat) {
		for _, v := range []struct {
			name string
			tick uint64
			sec  float64
		}{{"user", c.User, p.User}, {"nice", c.Nice, p.Nice}, {"system", c.System, p.System},
			{"idle", c.Idle, p.Idle}, {"iowait", c.IOWait, p.Iowait}, {"irq", c.IRQ, p.IRQ},
			{"softirq", c.SoftIRQ, p.SoftIRQ}, {"steal", c.Steal, p.Steal}} {
			require.Equal(t, float64(v.tick)/UserHZ, v.sec, "%s %s", what, v.name)
		}
	}
	same("cpu", ours.Total, theirs.CPUTotal)
	require.Len(t, theirs.CPU, len(ours.CPUs))
	for _, c := range ours.CPUs {
		p, ok := theirs.CPU[int64(c.ID)]
		require.True(t, ok, "cpu%d", c.ID)
		same("cpu"+strconv.Itoa(c.ID), c, p)
	}
}

// requireStricterStat: procfs accepted data and ParseStat did not; the
// error must be one of this package's stricter rules, and the rule must
// hold for data.
func requireStricterStat(t *testing.T, data []byte, err error) {
	t.Helper()
	msg := err.Error()
	switch {
	case msg == "no btime line":
		// procfs reports boot time 0 for a file without one.
		assert.NotContains(t, string(statLinesRead(data)), "btime ")
	case msg == "no aggregate cpu line",
		strings.HasPrefix(msg, "more than one"), // procfs: the last wins
		strings.Contains(msg, " after cpu"),     // the kernel writes cpuN in ascending order
		strings.Contains(msg, "name is not cpu or cpuN"),
		strings.Contains(msg, "not a tick count"),           // procfs's %f takes "1e3", "-1", "NaN"
		strings.Contains(msg, "tick counts, want at least"): // Linux 2.4 wrote 4; procfs takes 1
	case strings.Contains(msg, "not a Unix time"):
		// procfs takes any uint64, including 0 and years past 9999.
	default:
		t.Fatalf("procfs accepts what is rejected here for a reason not listed: %v\ninput %q", err, data)
	}
}

// --- /proc/meminfo

func FuzzMeminfoMatchesProcfs(f *testing.F) {
	f.Add([]byte("MemTotal:        3857864 kB\nMemFree:          1 kB\nMemAvailable:   7 kB\nHugePages_Total:       0\n"))
	f.Add([]byte("MemTotal: 0x10 kB\n"))
	f.Add([]byte("MemTotal: 010 kB\n"))
	f.Add([]byte("MemTotal: 18014398509481984 kB\n"))
	f.Add([]byte("\nMemTotal: 1 kB\n"))
	f.Add([]byte("MemFree: 1 kB\n"))
	for _, b := range scenarioFiles(f, "proc/meminfo") {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ours, err := ParseMeminfo(data)
		theirs, perr := oracle(func() (procfs.Meminfo, error) {
			return fakeProc(t, map[string][]byte{"meminfo": data}).Meminfo()
		})
		switch {
		case err == nil && perr == nil:
			val := func(p *uint64) uint64 {
				if p == nil {
					return 0
				}
				return *p
			}
			for _, v := range []struct {
				name   string
				ours   uint64
				theirs *uint64
			}{{"MemTotal", ours.MemTotal, theirs.MemTotalBytes}, {"MemFree", ours.MemFree, theirs.MemFreeBytes},
				{"MemAvailable", ours.MemAvailable, theirs.MemAvailableBytes}, {"Buffers", ours.Buffers, theirs.BuffersBytes},
				{"Cached", ours.Cached, theirs.CachedBytes}, {"SwapTotal", ours.SwapTotal, theirs.SwapTotalBytes},
				{"SwapFree", ours.SwapFree, theirs.SwapFreeBytes}} {
				require.Equal(t, v.ours, val(v.theirs), v.name)
			}
		case err == nil:
			t.Fatalf("procfs rejects what is accepted here: %v\ninput %q", perr, data)
		case perr == nil:
			msg := err.Error()
			switch {
			case msg == "no MemTotal line":
				// procfs leaves MemTotal nil.
				require.Nil(t, theirs.MemTotal)
			case strings.Contains(msg, `want "Key: N kB"`):
				// A key without its colon: procfs takes any first
				// field as the key (and so ignores the line).
			case strings.Contains(msg, "not a number of bytes"):
				// procfs's ParseUint base 0 takes "0x10", "0o7",
				// "1_000" and reads "010" as octal; or the value
				// overflows when converted to bytes, which procfs
				// wraps.
			case longLine(data, 64*1024):
				// procfs's scanner stops, without an error, at a line
				// over 64 KiB: it never saw the rejected line.
			default:
				t.Fatalf("procfs accepts what is rejected here for a reason not listed: %v\ninput %q", err, data)
			}
		}
	})
}

func longLine(data []byte, n int) bool {
	for line := range bytes.Lines(data) {
		if len(line) > n {
			return true
		}
	}
	return false
}

// --- /proc/<pid>/stat

func FuzzProcStatMatchesProcfs(f *testing.F) {
	f.Add([]byte(realStat))
	f.Add([]byte(oldKernelStat))
	f.Add([]byte(statBootstrap))
	f.Add([]byte(statOddComm))
	f.Add([]byte(statLine("a\nb", "5")))
	f.Add([]byte("1 (x)"))
	f.Add([]byte(strings.Replace(realStat, " 28484 ", " -1 ", 1)))
	f.Add([]byte(strings.Replace(realStat, " 28484 ", " 0x10 ", 1)))
	f.Fuzz(func(t *testing.T, data []byte) {
		ours, err := ParseProcStat(data)
		theirs, perr := oracle(func() (procfs.ProcStat, error) {
			p, err := fakeProc(t, map[string][]byte{"1/stat": data}).Proc(1)
			if err != nil {
				return procfs.ProcStat{}, err
			}
			return p.Stat()
		})
		switch {
		case err == nil && perr == nil:
			// procfs takes the pid from the directory, not the file.
			require.Equal(t, ours.Comm, theirs.Comm)
			require.Equal(t, string(ours.State), theirs.State)
			require.Equal(t, ours.PPID, theirs.PPID)
			require.Equal(t, ours.PGRP, theirs.PGRP)
			require.Equal(t, ours.StartTime, theirs.Starttime)
		case err == nil:
			// Less read here: procfs reads every field up to 44
			// (guest time) and so rejects a line that ends earlier (a
			// 2.6.0 kernel wrote 41) or whose other fields are not
			// numbers it reads ("08" is not octal); this package reads
			// fields 3, 4, 5 and 22. With every other field the
			// kernel's, procfs must agree.
			fixed := procStatFieldsRead(data)
			theirs, perr = oracle(func() (procfs.ProcStat, error) {
				p, err := fakeProc(t, map[string][]byte{"1/stat": []byte(fixed)}).Proc(1)
				require.NoError(t, err)
				return p.Stat()
			})
			require.NoError(t, perr, "procfs rejects what is accepted here: %q", fixed)
			require.Equal(t, ours.StartTime, theirs.Starttime)
			require.Equal(t, ours.PPID, theirs.PPID)
		case perr == nil:
			requireStricterProcStat(t, data, theirs, err)
		}
	})
}

// procStatFieldsRead rewrites a line ParseProcStat accepted: the fields
// it reads (pid, comm, state, ppid, pgrp, starttime) kept, every other
// field up to 44 a 0.
func procStatFieldsRead(data []byte) string {
	end := bytes.LastIndexByte(data, ')')
	f := strings.Fields(string(data[end+1:]))
	out := make([]string, 44-2)
	for i := range out {
		out[i] = "0"
	}
	out[0], out[1], out[2], out[19] = f[0], f[1], f[2], f[19]
	return string(data[:end+1]) + " " + strings.Join(out, " ") + "\n"
}

func requireStricterProcStat(t *testing.T, data []byte, theirs procfs.ProcStat, err error) {
	t.Helper()
	msg := err.Error()
	switch {
	case strings.Contains(msg, "pid field"):
		// procfs never reads field 1 (it takes the pid from the path).
	case strings.Contains(msg, "longer than 64 bytes"):
		assert.Greater(t, len(theirs.Comm), maxComm)
	case strings.Contains(msg, "no space after comm"):
		// procfs skips the byte after ')' whatever it is.
	case strings.Contains(msg, "state field"):
		assert.False(t, len(theirs.State) == 1 && isLetter(theirs.State[0]), "state %q", theirs.State)
	case strings.Contains(msg, "ppid field"), strings.Contains(msg, "pgrp field"):
		// procfs's Fscan takes "-1", "+1", "0x10", "1_0".
		ok := theirs.PPID >= 0 && theirs.PGRP >= 0 && theirs.PPID <= 1<<22 && theirs.PGRP <= 1<<22
		fields := strings.Fields(string(data[bytes.LastIndexByte(data, ')')+1:]))
		assert.False(t, ok && kernelDecimal(fields[1]) && kernelDecimal(fields[2]), "ppid %q pgrp %q", fields[1], fields[2])
	case strings.Contains(msg, "starttime field"):
		// Beyond what a Duration holds, or not the kernel's digits.
		fields := strings.Fields(string(data[bytes.LastIndexByte(data, ')')+1:]))
		assert.False(t, theirs.Starttime <= uint64(maxStartTicks) && kernelDecimal(fields[19]), "starttime %q", fields[19])
	default:
		t.Fatalf("procfs accepts what is rejected here for a reason not listed: %v\ninput %q", err, data)
	}
}

// --- /proc/<pid>/limits

func FuzzLimitsMatchesProcfs(f *testing.F) {
	f.Add(buildVMLimits(f))
	f.Add([]byte("Limit                     Soft Limit           Hard Limit           Units\nMax processes             unlimited            unlimited            processes\nMax open files            1024                 1024                 files\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ours, err := ParseLimits(data)
		theirs, perr := oracle(func() (procfs.ProcLimits, error) {
			p, err := fakeProc(t, map[string][]byte{"1/limits": data}).Proc(1)
			if err != nil {
				return procfs.ProcLimits{}, err
			}
			return p.Limits()
		})
		// The limits file is read leniently here (a garbled line leaves
		// its limit unknown and is named in the error); procfs rejects
		// the file for any line outside its pattern and skips the first
		// line unread, whatever it holds. The facts are compared where
		// procfs accepted the file and the line was read here.
		if perr != nil {
			return
		}
		soft := func(v int64) uint64 {
			if v == -1 {
				return math.MaxUint64 // RLIM_INFINITY, as procfs writes "unlimited"
			}
			return uint64(v)
		}
		if ours.OpenFiles != 0 && !firstLineHas(data, "Max open files") {
			require.Equal(t, soft(ours.OpenFiles), theirs.OpenFiles, "Max open files; error %v", err)
		}
		if ours.Processes != 0 && !firstLineHas(data, "Max processes") {
			require.Equal(t, soft(ours.Processes), theirs.Processes, "Max processes; error %v", err)
		}
	})
}

// firstLineHas: procfs skips the first line (the header), so a limit on it
// is read here only.
func firstLineHas(data []byte, prefix string) bool {
	first, _, _ := bytes.Cut(data, []byte{'\n'})
	return bytes.HasPrefix(first, []byte(prefix))
}

// --- /proc/cpuinfo

func FuzzCPUInfoMatchesProcfs(f *testing.F) {
	for _, b := range scenarioFiles(f, "proc/cpuinfo") {
		f.Add(b)
	}
	f.Add([]byte("processor\t: 0\nvendor_id\t: GenuineIntel\ncpu MHz\t\t: NaN\n"))
	f.Add([]byte("processor\t: 0\nmodel\t\t: 06\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if runtime.GOARCH != "amd64" && runtime.GOARCH != "386" {
			t.Skip("procfs parses cpuinfo by the build's architecture; the x86 layout is compared")
		}
		ours, err := ParseCPUInfo(data)
		theirs, perr := oracle(func() ([]procfs.CPUInfo, error) {
			return fakeProc(t, map[string][]byte{"cpuinfo": data}).CPUInfo()
		})
		// cpuinfo is read leniently here (a field that does not parse is
		// unknown, the others kept); procfs rejects the file for one bad
		// number in any processor, and panics on a line with ':' but no
		// ": ". Where procfs accepted, the count and every first-processor
		// field that parsed here must agree.
		if perr != nil || len(theirs) == 0 || !firstLineIsProcessor(data) || colonWithoutSpace(data) {
			return
		}
		require.Equal(t, len(theirs), ours.Count, "processor entries")
		p := theirs[0]
		bad := func(key string) bool {
			return err != nil && strings.Contains(err.Error(), strconv.Quote(key)) || repeatedInFirst(data, key)
		}
		// procfs also takes a "vendor" line as the vendor; the kernel's
		// x86 cpuinfo writes only "vendor_id", the one read here.
		if !bad("vendor_id") && !inFirst(data, "vendor") {
			require.Equal(t, strings.TrimSpace(p.VendorID), ours.Vendor)
		}
		if !bad("model name") && !repeatedInFirst(data, "Processor") {
			require.Equal(t, strings.TrimSpace(p.ModelName), ours.ModelName)
		}
		if !bad("cpu MHz") {
			require.Equal(t, p.CPUMHz, ours.MHz) // NaN, Inf and over 100 GHz are errors here
		}
		for _, v := range []struct {
			key    string
			theirs string
			ours   int
		}{{"cpu family", p.CPUFamily, ours.Family}, {"model", p.Model, ours.Model}, {"stepping", p.Stepping, ours.Stepping}} {
			if bad(v.key) || strings.TrimSpace(v.theirs) == "unknown" {
				continue
			}
			if n, aerr := strconv.Atoi(strings.TrimSpace(v.theirs)); aerr == nil {
				require.Equal(t, n, v.ours, v.key)
			}
		}
		if !bad("flags") && !repeatedInFirst(data, "Features") && singleSpaced(data) {
			// Flags are separated by one space in the kernel's list, and
			// read so here; procfs splits on any white space.
			has := false
			for _, fl := range p.Flags {
				has = has || fl == "hypervisor"
			}
			require.Equal(t, has, ours.HypervisorFlag, "hypervisor flag")
		}
	})
}

// firstLineIsProcessor: procfs takes the first non-empty line for a
// processor entry when it merely starts with "processor" ("processor00:
// 0"); this package counts lines whose key is "processor".
func firstLineIsProcessor(data []byte) bool {
	for line := range bytes.Lines(data) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		k, _, _ := bytes.Cut(line, []byte{':'})
		return string(bytes.TrimSpace(k)) == "processor"
	}
	return false
}

// colonWithoutSpace: procfs splits a line at the first ": " and panics on,
// or ignores, a line with ':' but no ": " ("processor:"), where this
// package splits at the first ':' — the two differ on any line whose first
// ':' is not followed by a space ("vendor_id :: x"). The kernel writes
// "key\t: value".
func colonWithoutSpace(data []byte) bool {
	for line := range bytes.Lines(data) {
		if i := bytes.IndexByte(line, ':'); i >= 0 && i != bytes.Index(line, []byte(": ")) {
			return true
		}
	}
	return false
}

// repeatedInFirst reports whether key appears more than once before the
// second "processor" line (procfs keeps the last, this package the first
// for a model name).
func repeatedInFirst(data []byte, key string) bool {
	n, blocks := keyInFirst(data, key)
	return n > 1 || blocks == 0 && n > 0
}

// inFirst reports whether key is a field of the first processor's block
// (or of a file without one).
func inFirst(data []byte, key string) bool {
	n, _ := keyInFirst(data, key)
	return n > 0
}

// keyInFirst counts the lines of key before the second "processor" line,
// and the "processor" lines.
func keyInFirst(data []byte, key string) (n, blocks int) {
	for line := range bytes.Lines(data) {
		k, _, ok := bytes.Cut(line, []byte{':'})
		if !ok {
			continue
		}
		switch string(bytes.TrimSpace(k)) {
		case "processor":
			blocks++
		case key:
			if blocks <= 1 {
				n++
			}
		}
	}
	return n, blocks
}

// singleSpaced reports whether every flags line separates its flags with
// single ASCII spaces, as the kernel writes them.
func singleSpaced(data []byte) bool {
	for line := range bytes.Lines(data) {
		k, v, ok := bytes.Cut(bytes.TrimSuffix(line, []byte{'\n'}), []byte{':'})
		if !ok || string(bytes.TrimSpace(k)) != "flags" {
			continue
		}
		v = bytes.TrimSpace(v)
		if bytes.Contains(v, []byte("  ")) || len(bytes.Fields(v)) != len(bytes.Split(v, []byte{' '})) {
			return false
		}
	}
	return true
}
