package record_test

import (
	"fmt"
	"time"

	"github.com/faasprobe/faasprobe/internal/record"
	"github.com/faasprobe/faasprobe/internal/sysroot"
)

// Re-record a committed scenario: the files faasprobe reads, the allowed, redacted
// environment and the note. (`faasprobe record DIR` records this machine.)
func Example() {
	root, err := sysroot.Recorded("../../testdata/scenarios/lambda-xen-2017-c4")
	if err != nil {
		fmt.Println(err)
		return
	}
	tree, err := record.Collect(root,
		record.WithClock(func() time.Time { return time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) }),
		record.WithVersion("example"))
	if err != nil {
		fmt.Println(err)
	}
	for _, f := range tree.Files {
		fmt.Println(f.Path)
	}
	fmt.Println("redacted:", tree.Redacted)
	fmt.Println("dropped:", tree.Dropped, "variables faasprobe does not consult")
	// Then tree.WriteDir(dir) or tree.WriteTarGz(w).

	// Output:
	// RECORDED
	// env
	// etc/passwd
	// proc/cmdline
	// proc/cpuinfo
	// proc/meminfo
	// proc/self/status
	// proc/sys/kernel/osrelease
	// proc/sys/kernel/version
	// proc/version
	// sys/class/dmi/id/bios_version
	// sys/class/dmi/id/product_name
	// sys/class/dmi/id/sys_vendor
	// sys/class/net/eth0/device/uevent
	// sys/devices/system/clocksource/clocksource0/current_clocksource
	// sys/devices/system/cpu/online
	// sys/hypervisor/type
	// redacted: []
	// dropped: 12 variables faasprobe does not consult
}
