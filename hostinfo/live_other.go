//go:build !linux

package hostinfo

import (
	"runtime"
	"strings"
	"time"

	"github.com/shirou/gopsutil/v4/cpu"
	"github.com/shirou/gopsutil/v4/host"
	"github.com/shirou/gopsutil/v4/mem"

	"github.com/faasprobe/faasprobe/internal/procfile"
)

// maxMHz bounds a CPU speed gopsutil reports: no CPU runs at 100 GHz.
const maxMHz = 100_000

// detectNonLinux serves development machines (macOS, Windows): there is no
// /proc, so the facts come from gopsutil and the platform from the
// environment. Hypervisor and instance inference need Linux sources and
// say "unknown".
func (d *detector) detectNonLinux() Host {
	var h Host
	m := &h.Machine
	m.Arch = runtime.GOARCH
	d.platform(&h)

	if infos, err := cpu.Info(); err != nil {
		d.problem("gopsutil cpu.Info", err)
	} else if len(infos) > 0 {
		m.CPU.Vendor = infos[0].VendorID
		m.CPU.ModelName = strings.TrimSpace(infos[0].ModelName)
		if mhz := infos[0].Mhz; mhz >= 0 && mhz <= maxMHz { // NaN fails both
			m.CPU.MHz = mhz
		}
		m.CPU.CacheKB = int(infos[0].CacheSize)
	}
	if n, err := cpu.Counts(true); err == nil {
		m.CPU.Count = n
	} else {
		m.CPU.Count = runtime.NumCPU()
	}
	if vm, err := mem.VirtualMemory(); err != nil {
		d.problem("gopsutil mem.VirtualMemory", err)
	} else {
		m.MemoryTotalBytes = vm.Total
		m.MemoryFreeBytes, m.MemoryAvailableBytes = vm.Free, vm.Available
	}
	if hi, err := host.Info(); err != nil {
		d.problem("gopsutil host.Info", err)
	} else {
		m.Kernel.Release = hi.KernelVersion
		m.Kernel.Version = hi.PlatformVersion
		m.BootTime = time.Unix(int64(hi.BootTime), 0).UTC()
		m.UptimeSeconds = float64(hi.Uptime)
		m.BootID = hi.HostID
		if name, err := procfile.ParseHostname([]byte(hi.Hostname)); err == nil {
			m.Name = name
		}
		if hi.VirtualizationRole == "guest" && hi.VirtualizationSystem != "" {
			m.Hypervisor = Hypervisor{Kind: HypervisorUnknown,
				Evidence: []string{"gopsutil virtualization system " + quote(hi.VirtualizationSystem)}}
		}
	}
	if m.Hypervisor.Kind == "" {
		m.Hypervisor = Hypervisor{Kind: HypervisorUnknown, Evidence: []string{"not Linux: no /proc or /sys to read"}}
	}
	m.Container = Container{Evidence: []string{}}
	m.NetDrivers = []string{}
	m.CPU.Microarchitecture, m.CPU.MicroarchitectureEvidence = cpuGeneration(m.CPU, true)
	m.Instance = inferInstance(m.CPU, m.MemoryTotalBytes, m.DMI, m.Hypervisor.Kind, h.Platform)
	return h
}
