//go:build linux

package sandbox

import (
	"math"
	"runtime"
	"syscall"
)

// liveRlimits returns this process's soft "Max open files" and "Max
// processes" with getrlimit(2), as /proc/self/limits shows them: -1 for
// RLIM_INFINITY ("unlimited"). ok is false where the RLIMIT_NPROC number is
// not known here, a call fails, or a value does not fit an int64: the
// caller then reads /proc/self/limits.
func liveRlimits() (openFiles, processes int64, ok bool) {
	nproc := rlimitNPROC()
	if nproc < 0 {
		return 0, 0, false
	}
	var nf, np syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &nf) != nil || syscall.Getrlimit(nproc, &np) != nil {
		return 0, 0, false
	}
	openFiles, ok1 := rlimitValue(nf.Cur)
	processes, ok2 := rlimitValue(np.Cur)
	return openFiles, processes, ok1 && ok2
}

// rlimitValue maps a soft limit as /proc/self/limits (procfile.ParseLimits)
// does: RLIM_INFINITY is -1.
func rlimitValue(v uint64) (int64, bool) {
	switch {
	case v == math.MaxUint64: // RLIM_INFINITY
		return -1, true
	case v > math.MaxInt64:
		return 0, false
	}
	return int64(v), true
}

// rlimitNPROC is RLIMIT_NPROC (package syscall does not name it): 6 in
// include/uapi/asm-generic/resource.h, 8 on MIPS (arch/mips/include/uapi/
// asm/resource.h); -1 for an architecture not listed. runtime.GOARCH is a
// constant: the switch folds away.
func rlimitNPROC() int {
	switch runtime.GOARCH {
	case "386", "amd64", "arm", "arm64", "loong64", "ppc64", "ppc64le", "riscv64", "s390x":
		return 6
	case "mips", "mipsle", "mips64", "mips64le":
		return 8
	}
	return -1
}
