package coldstart

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// realStat is `cat /proc/self/stat` on the development microVM (Linux 6.x,
// Firecracker, 2026-11-25): 52 fields, starttime 83532.
const realStat = "28486 (cat) R 28484 28484 3435 0 -1 4194304 101 0 0 0 0 0 0 0 20 0 1 0 83532 3133440 415 18446744073709551615 94343478947840 94343478967721 140720621688640 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 94343478983728 94343478985344 94343719821312 140720621693616 140720621693636 140720621693636 140720621694955 0\n"

// oldKernelStat is a 44-field line as 2.6-era kernels wrote it (proc(5)).
const oldKernelStat = "1 (init) S 0 1 1 0 -1 4202752 1402 33585 23 133 9 88 1013 341 20 0 1 0 3 2125824 146 18446744073709551615 134512640 134544500 3218960224 3218958044 12068006 0 0 1475401980 671819267 18446744071579299622 0 0 0 0 0 0 0 0 0\n"

// realProcStat is the head of /proc/stat on the development microVM.
const realProcStat = "cpu  52055 0 12037 101933 198 0 68 128 0 0\ncpu0 25798 0 6026 51260 45 0 11 57 0 0\ncpu1 26256 0 6011 50673 152 0 57 71 0 0\nintr 1729248 0 0 0\nctxt 4620969\nbtime 1795627794\nprocesses 28490\nprocs_running 1\nprocs_blocked 0\nsoftirq 1 2 3\n"

func TestParseInitType(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"", ""},
		{"on-demand", InitTypeOnDemand},
		{"provisioned-concurrency", InitTypeProvisioned},
		{"snap-start", InitTypeSnapStart},
		{"lambda-managed-instances", InitTypeManagedInstances},
		{" Provisioned-Concurrency\n", InitTypeProvisioned},
		{"managed-instances", InitTypeUnknown}, // the Reason's spelling, not the variable's
		{"ondemand", InitTypeUnknown},
		{"\x00\xff", InitTypeUnknown},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, parseInitType(tt.in), "input %q", tt.in)
	}
}
