package hostinfo

import (
	"os"
	"runtime"
	"testing"

	"github.com/shirou/gopsutil/v4/cpu"
	"github.com/shirou/gopsutil/v4/host"
	"github.com/shirou/gopsutil/v4/mem"
)

// benchFiles are the files Detect reads on a Linux machine (the machine id
// at its first location: the second is read only when the first has none); the raw
// baseline reads the ones that exist here with os.ReadFile and parses
// nothing.
var benchFiles = []string{
	"/proc/cpuinfo", "/proc/meminfo", "/proc/version", "/proc/sys/kernel/osrelease",
	"/proc/sys/kernel/version", "/proc/sys/kernel/random/boot_id", "/proc/stat", "/proc/uptime",
	"/proc/sys/kernel/hostname", "/etc/machine-id", "/proc/self/sessionid",
	"/proc/cmdline", "/proc/modules", "/proc/self/cgroup",
	"/sys/hypervisor/type", "/sys/devices/system/clocksource/clocksource0/current_clocksource",
	"/sys/class/dmi/id/sys_vendor", "/sys/class/dmi/id/product_name",
	"/sys/class/dmi/id/bios_vendor", "/sys/class/dmi/id/bios_version",
	"/sys/class/dmi/id/board_vendor", "/sys/class/dmi/id/board_asset_tag",
	"/sys/class/dmi/id/chassis_asset_tag", "/sys/class/dmi/id/product_version",
	"/sys/firmware/acpi/tables/DSDT",
}

// BenchmarkDetect is the full hostinfo.Detect on the live machine.
func BenchmarkDetect(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Detect(); err != nil && runtime.GOOS == "linux" {
			b.Log(err)
		}
	}
}

// BenchmarkRawReadFiles is baseline (b): os.ReadFile of the same files.
func BenchmarkRawReadFiles(b *testing.B) {
	b.ReportAllocs()
	var files []string
	for _, f := range benchFiles {
		if _, err := os.Stat(f); err == nil {
			files = append(files, f)
		}
	}
	for b.Loop() {
		for _, f := range files {
			_, _ = os.ReadFile(f)
		}
		ents, _ := os.ReadDir("/sys/class/net")
		for _, e := range ents {
			_, _ = os.ReadFile("/sys/class/net/" + e.Name() + "/device/uevent")
		}
	}
}

// BenchmarkGopsutil is baseline (a): the gopsutil v4 composite
// host.Info() + cpu.Info() + mem.VirtualMemory().
func BenchmarkGopsutil(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_, _ = host.Info()
		_, _ = cpu.Info()
		_, _ = mem.VirtualMemory()
	}
}
