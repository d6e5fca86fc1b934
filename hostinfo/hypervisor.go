package hostinfo

import (
	"strings"
)

// signals is everything the hypervisor and container classifiers look at.
// Collecting first and classifying in a pure function keeps the rules in one
// table-tested place.
type signals struct {
	cpu            CPU
	dmi            DMI
	hasDMI         bool   // /sys/class/dmi/id exists
	sysHypervisor  string // /sys/hypervisor/type
	hypervisorUUID string // /sys/hypervisor/uuid
	clocksource    string // current_clocksource
	cmdline        string // /proc/cmdline
	banner         string // /proc/version
	release        string // kernel release
	sentryMeminfo  bool   // /proc/sentry-meminfo exists
	acpiOEM        string // OEM id of the DSDT header ("FIRECK")
	dtCompatible   string // device tree compatible (arm64)
	arch           string
	lambda         bool // platform is AWS Lambda (env)
	netDrivers     []string
}

// firecrackerBrand reports whether a model name is one Firecracker writes in
// place of the host's brand string (firecracker src/vmm/src/cpu_config/
// x86_64/cpuid/{intel,amd}/normalize.rs): "Intel(R) Xeon(R) Processor" with
// an optional " @ <GHz>" suffix, or exactly "AMD EPYC".
func firecrackerBrand(model string) bool {
	if model == "AMD EPYC" || model == "Intel(R) Xeon(R) Processor" {
		return true
	}
	rest, ok := strings.CutPrefix(model, "Intel(R) Xeon(R) Processor @ ")
	return ok && strings.HasSuffix(rest, "GHz")
}

// gvisorBanner reports whether /proc/version has gVisor's synthetic form:
// "Linux version 4.4.0 #1 SMP Sun Jan 10 15:06:54 PST 2016" (no
// "(builder@host) (gcc …)" part), or a release naming gvisor.
func gvisorBanner(banner, release string) bool {
	if strings.Contains(release, "gvisor") {
		return true
	}
	return strings.HasPrefix(banner, "Linux version ") && !strings.Contains(banner, "(") &&
		strings.Contains(banner, "#1 SMP Sun Jan 10 15:06:54 PST 2016")
}

// classifyHypervisor decides the hypervisor kind from the collected
// signals. Order matters (as in systemd's src/basic/virt.c): the sandbox
// kernel (gVisor) first, then DMI, /sys/hypervisor, Firecracker's
// fingerprints, and the cpuinfo flag with the clocksource last.
func classifyHypervisor(s signals) Hypervisor {
	var ev []string
	add := func(e string) { ev = append(ev, e) }

	// gVisor: a user-space kernel; the VM under it (if any) is hidden.
	if s.sentryMeminfo {
		add("/proc/sentry-meminfo exists (gVisor only)")
	}
	if gvisorBanner(s.banner, s.release) {
		add("/proc/version has gVisor's synthetic form: " + quote(s.banner))
	}
	if strings.Contains(s.cmdline, "gvisor") {
		add("/proc/cmdline names gvisor")
	}
	if len(ev) > 0 {
		if s.dmi.ProductName != "" {
			add("DMI product_name " + quote(s.dmi.ProductName) + " is the host's, passed through by gVisor")
		}
		return Hypervisor{Kind: HypervisorGVisor, Evidence: ev}
	}

	// DMI (world-readable strings).
	vendor, product, bios := s.dmi.SysVendor, s.dmi.ProductName, s.dmi.BIOSVendor
	switch {
	case vendor == "Amazon EC2" || bios == "Amazon EC2" || s.dmi.BoardVendor == "Amazon EC2":
		add("DMI vendor " + quote(firstNonEmpty(vendor, bios, s.dmi.BoardVendor)))
		if strings.Contains(product, ".metal") {
			add("DMI product_name " + quote(product) + ": bare metal, no hypervisor")
			return Hypervisor{Kind: HypervisorNone, Evidence: ev}
		}
		if product != "" {
			add("DMI product_name " + quote(product) + " (Nitro names the instance type)")
		}
		return Hypervisor{Kind: HypervisorNitro, Evidence: ev}
	case vendor == "Xen" || strings.Contains(product, "HVM domU") || strings.HasSuffix(s.dmi.BIOSVersion, ".amazon") && vendor == "":
		add("DMI " + quote(strings.TrimSpace(vendor+" "+product)) + " BIOS " + quote(s.dmi.BIOSVersion))
		if s.sysHypervisor == "xen" {
			add("/sys/hypervisor/type is xen")
		}
		return Hypervisor{Kind: HypervisorXen, Evidence: ev}
	case vendor == "Microsoft Corporation" && product == "Virtual Machine":
		add("DMI Microsoft Corporation / Virtual Machine")
		if s.dmi.ChassisAssetTag == azureAssetTag {
			add("DMI chassis asset tag is Azure's")
		}
		return Hypervisor{Kind: HypervisorHyperV, Evidence: ev}
	case strings.HasPrefix(vendor, "VMware") || strings.HasPrefix(product, "VMware"):
		add("DMI " + quote(vendor+" "+product))
		return Hypervisor{Kind: HypervisorVMware, Evidence: ev}
	case vendor == "Google" || product == "Google Compute Engine":
		add("DMI " + quote(strings.TrimSpace(vendor+" "+product)) + " (Compute Engine runs KVM)")
		return Hypervisor{Kind: HypervisorKVM, Evidence: ev}
	case vendor == "QEMU" || strings.HasPrefix(product, "Standard PC") || strings.HasPrefix(product, "KVM"):
		add("DMI " + quote(strings.TrimSpace(vendor+" "+product)))
		if product == "KVM" || strings.Contains(s.dmi.ProductVersion, "KVM") || s.clocksource == "kvm-clock" {
			return Hypervisor{Kind: HypervisorKVM, Evidence: ev}
		}
		return Hypervisor{Kind: HypervisorQEMU, Evidence: ev}
	}

	if s.sysHypervisor == "xen" {
		add("/sys/hypervisor/type is xen")
		if strings.HasPrefix(strings.ToLower(s.hypervisorUUID), "ec2") {
			add("/sys/hypervisor/uuid starts with ec2 (EC2 Xen guest)")
		}
		return Hypervisor{Kind: HypervisorXen, Evidence: ev}
	}

	// Firecracker: no SMBIOS at all, so look at what it leaves behind.
	strong := 0
	if s.acpiOEM == "FIRECK" {
		add("ACPI DSDT OEM id FIRECK")
		strong++
	}
	if firecrackerBrand(s.cpu.ModelName) {
		add("cpuinfo model name " + quote(s.cpu.ModelName) + " is Firecracker's normalised brand string")
		strong++
	}
	weak := 0
	if fc := firecrackerCmdline(s.cmdline); fc != "" {
		add("/proc/cmdline has Firecracker's defaults: " + fc)
		weak++
	}
	if !s.hasDMI {
		add("no /sys/class/dmi (no SMBIOS)")
		weak++
	}
	if s.dtCompatible == "linux,dummy-virt" {
		add("device tree compatible linux,dummy-virt")
		weak++
	}
	if s.lambda && !s.hasDMI {
		add("AWS Lambda environment without DMI (Lambda runs Firecracker since ~2019)")
		weak++
	}
	if strong > 0 || weak >= 3 || weak >= 2 && (s.cpu.HypervisorFlag || s.arch == "arm64") {
		if s.cpu.HypervisorFlag {
			add("cpuinfo flag hypervisor")
		}
		if s.clocksource != "" {
			add("clocksource " + s.clocksource)
		}
		return Hypervisor{Kind: HypervisorFirecracker, Evidence: ev}
	}
	ev = ev[:0]

	if s.cpu.HypervisorFlag {
		add("cpuinfo flag hypervisor")
		switch s.clocksource {
		case "kvm-clock":
			add("clocksource kvm-clock")
			return Hypervisor{Kind: HypervisorKVM, Evidence: ev}
		case "hyperv_clocksource_tsc_page":
			add("clocksource " + s.clocksource)
			return Hypervisor{Kind: HypervisorHyperV, Evidence: ev}
		case "xen":
			add("clocksource xen")
			return Hypervisor{Kind: HypervisorXen, Evidence: ev}
		}
		if s.clocksource != "" {
			add("clocksource " + s.clocksource + " names no hypervisor")
		}
		return Hypervisor{Kind: HypervisorUnknown, Evidence: ev}
	}
	if s.cpu.Vendor != "" && s.arch != "arm64" && s.cpu.ModelName != "unknown" {
		add("x86 cpuinfo without the hypervisor flag, no DMI sign of a VM")
		return Hypervisor{Kind: HypervisorNone, Evidence: ev}
	}
	add("no decisive signal (arm64 has no cpuinfo hypervisor flag; DMI absent or silent)")
	return Hypervisor{Kind: HypervisorUnknown, Evidence: ev}
}

// firecrackerCmdline returns the Firecracker default cmdline tokens found,
// or "" if fewer than two are there (one alone is common elsewhere).
func firecrackerCmdline(cmdline string) string {
	var hits []string
	for _, tok := range strings.Fields(cmdline) {
		switch {
		case tok == "reboot=k", tok == "panic=1", tok == "pci=off", tok == "nomodule",
			tok == "swiotlb=noforce", strings.HasPrefix(tok, "virtio_mmio.device="),
			strings.Contains(tok, "firecracker"):
			hits = append(hits, tok)
		}
	}
	if len(hits) < 2 {
		return ""
	}
	return strings.Join(hits, " ")
}

const azureAssetTag = "7783-7084-3265-9085-8269-3286-77"

func quote(s string) string {
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return `"` + strings.ToValidUTF8(s, "\uFFFD") + `"`
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
