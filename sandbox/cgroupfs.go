package sandbox

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/faasprobe/faasprobe/internal/cgroupfs"
	"github.com/faasprobe/faasprobe/internal/excerpt"
)

// This file resolves our cgroup directories through /proc/self/cgroup and
// /proc/self/mountinfo (internal/cgroupfs, which the recorder uses too, so
// that it copies exactly these files), then reads the limit files there:
//
//	v2: memory.max, cpu.max, pids.max
//	v1: memory/memory.limit_in_bytes, cpu/cpu.cfs_quota_us + cpu.cfs_period_us, pids/pids.max
//
// The effective limit is the tightest one on the path from our cgroup up to
// the hierarchy's mount point, so every level is read (depth is small: 1–4).

// v1Unlimited: cgroup v1 reports "no limit" as LONG_MAX rounded down to the
// page size (9223372036854771712 with 4 KiB pages). Any value at or above
// LONG_MAX rounded down to 64 KiB is read as unlimited.
const v1Unlimited = 0x7FFFFFFFFFFF0000

// reader reads a file below the root; a missing file wraps fs.ErrNotExist.
// The bytes may be overwritten by the next read (see bufferedReader): copy
// out what must outlive it.
type reader func(name string) ([]byte, error)

// tightest collects limits over the levels: the smallest positive value
// wins, -1 if only "unlimited" was seen, 0 if nothing was.
type tightest[T int64 | float64] struct {
	val  T
	file string
}

func (t *tightest[T]) add(v T, file string) {
	switch {
	case v > 0 && (t.val <= 0 || v < t.val):
		t.val, t.file = v, file
	case v < 0 && t.val == 0:
		t.val, t.file = -1, file
	}
}

// cgroupLimits reads memory, CPU and pids limits; every unreadable or
// garbled file becomes a problem and the rest is still used.
func cgroupLimits(read reader, lines []cgroupfs.Line, mounts []cgroupfs.Mount, lim *Limits, probs *problems) {
	if d, ok := cgroupfs.Resolve(lines, mounts, "memory"); ok {
		name := "memory.max"
		if d.V1 {
			name = "memory.limit_in_bytes"
		}
		lim.CgroupMemoryLimitBytes, lim.CgroupMemoryFile = tightestLimit(read, d, name, probs)
	}
	if d, ok := cgroupfs.Resolve(lines, mounts, "cpu"); ok {
		var t tightest[float64]
		for _, dir := range d.Levels() {
			if d.V1 {
				fq := rel(dir + "/cpu.cfs_quota_us")
				qb, ok := readOpt(read, fq, probs)
				if !ok {
					continue
				}
				// Copied: the period's read reuses the buffer. The period
				// matters only under a quota.
				q, p := string(qb), ""
				if strings.TrimSpace(q) != "-1" {
					fp := rel(dir + "/cpu.cfs_period_us")
					pb, ok := readOpt(read, fp, probs)
					if !ok {
						continue
					}
					p = string(pb)
				}
				v, err := parseCFS(q, p)
				if err != nil {
					src := fq
					if errors.Is(err, errBadPeriod) {
						src = rel(dir + "/cpu.cfs_period_us")
					}
					probs.add(src, err)
					continue
				}
				t.add(v, fq)
				continue
			}
			f := rel(dir + "/cpu.max")
			if b, ok := readOpt(read, f, probs); ok {
				v, err := parseCPUMax(string(b))
				if err != nil {
					probs.add(f, err)
					continue
				}
				t.add(v, f)
			}
		}
		lim.CgroupCPULimit, lim.CgroupCPUFile = t.val, t.file
	}
	if d, ok := cgroupfs.Resolve(lines, mounts, "pids"); ok {
		lim.CgroupPidsLimit, _ = tightestLimit(read, d, "pids.max", probs)
	}
}

// tightestLimit reads a one-number limit file (memory.max, pids.max, …)
// at every level from our cgroup up to the hierarchy's mount and returns
// the tightest value and the file it came from. A garbled file is a
// problem and is skipped.
func tightestLimit(read reader, d cgroupfs.Dir, name string, probs *problems) (int64, string) {
	var t tightest[int64]
	for _, dir := range d.Levels() {
		f := rel(dir + "/" + name)
		if b, ok := readOpt(read, f, probs); ok {
			v, err := parseLimitValue(string(b))
			if err != nil {
				probs.add(f, err)
				continue
			}
			t.add(v, f)
		}
	}
	return t.val, t.file
}

// rel turns an absolute path as the process sees it into a name below the
// root ("/sys/fs/cgroup/x" → "sys/fs/cgroup/x").
func rel(p string) string { return strings.TrimPrefix(p, "/") }

// parseLimitValue parses a cgroup limit file holding one number or "max"
// (v2) / "-1" (v1): -1 for unlimited (and for v1's LONG_MAX-ish "no
// limit"), else the value.
func parseLimitValue(s string) (int64, error) {
	s = strings.TrimSpace(s)
	switch s {
	case "max", "-1":
		return -1, nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || !isDigits(s) {
		return 0, fmt.Errorf("limit %q: want a non-negative integer or \"max\"", excerpt.Clip(s))
	}
	if v >= v1Unlimited {
		return -1, nil
	}
	return v, nil
}

var errBadCPU = errors.New("want QUOTA PERIOD with QUOTA a positive integer or \"max\" and PERIOD a positive integer")

// parseCPUMax parses a v2 cpu.max ("max 100000", "50000 100000"): the
// limit in CPUs, or -1 for unlimited.
func parseCPUMax(s string) (float64, error) {
	f := strings.Fields(s)
	if len(f) == 0 || len(f) > 2 {
		return 0, fmt.Errorf("cpu.max %q: %w", excerpt.Clip(s), errBadCPU)
	}
	period := "100000" // the kernel default when only a quota is written
	if len(f) == 2 {
		period = f[1]
	}
	per, err := strconv.ParseInt(period, 10, 64)
	if err != nil || per <= 0 || !isDigits(period) {
		return 0, fmt.Errorf("cpu.max %q: %w", excerpt.Clip(s), errBadCPU)
	}
	if f[0] == "max" {
		return -1, nil
	}
	q, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil || q <= 0 || !isDigits(f[0]) {
		return 0, fmt.Errorf("cpu.max %q: %w", excerpt.Clip(s), errBadCPU)
	}
	return float64(q) / float64(per), nil
}

var errBadPeriod = errors.New("want a positive integer")

// parseCFS parses v1 cpu.cfs_quota_us ("-1" = unlimited) and
// cpu.cfs_period_us: the limit in CPUs, or -1. The period is not looked at
// when the quota is -1.
func parseCFS(quota, period string) (float64, error) {
	quota = strings.TrimSpace(quota)
	if quota == "-1" {
		return -1, nil
	}
	q, err := strconv.ParseInt(quota, 10, 64)
	if err != nil || q <= 0 || !isDigits(quota) {
		return 0, fmt.Errorf("cpu.cfs_quota_us %q: want -1 or a positive integer", excerpt.Clip(quota))
	}
	period = strings.TrimSpace(period)
	p, err := strconv.ParseInt(period, 10, 64)
	if err != nil || p <= 0 || !isDigits(period) {
		return 0, fmt.Errorf("cpu.cfs_period_us %q: %w", excerpt.Clip(period), errBadPeriod)
	}
	return float64(q) / float64(p), nil
}
