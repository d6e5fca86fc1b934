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

// hypervisorRule is one row of the hypervisor table: Match returns the
// evidence lines when the rule decides, or nil.
type hypervisorRule struct {
	Name  string
	Kind  HypervisorKind
	Match func(s signals) []string
}

// hypervisorRules is tried in order and the first rule that matches
// decides; only its evidence is reported. The order is systemd's
// (src/basic/virt.c) for the same reasons: the sandbox kernel (gVisor)
// first, as it hides the VM; then DMI, /sys/hypervisor, Firecracker's
// fingerprints, and the cpuinfo flag with the clocksource last.
var hypervisorRules = [...]hypervisorRule{
	{"gvisor", HypervisorGVisor, func(s signals) []string {
		var ev []string
		if s.sentryMeminfo {
			ev = append(ev, "/proc/sentry-meminfo exists (gVisor only)")
		}
		if gvisorBanner(s.banner, s.release) {
			ev = append(ev, "/proc/version has gVisor's synthetic form: "+quote(s.banner))
		}
		if strings.Contains(s.cmdline, "gvisor") {
			ev = append(ev, "/proc/cmdline names gvisor")
		}
		if ev != nil && s.dmi.ProductName != "" {
			ev = append(ev, "DMI product_name "+quote(s.dmi.ProductName)+" is the host's, passed through by gVisor")
		}
		return ev
	}},
	{"ec2-metal", HypervisorNone, func(s signals) []string {
		if !amazonDMI(s.dmi) || !strings.Contains(s.dmi.ProductName, ".metal") {
			return nil
		}
		return []string{amazonVendorLine(s.dmi), "DMI product_name " + quote(s.dmi.ProductName) + ": bare metal, no hypervisor"}
	}},
	{"nitro", HypervisorNitro, func(s signals) []string {
		if !amazonDMI(s.dmi) {
			return nil
		}
		ev := []string{amazonVendorLine(s.dmi)}
		if s.dmi.ProductName != "" {
			ev = append(ev, "DMI product_name "+quote(s.dmi.ProductName)+" (Nitro names the instance type)")
		}
		return ev
	}},
	{"xen-dmi", HypervisorXen, func(s signals) []string {
		d := s.dmi
		if !(d.SysVendor == "Xen" || strings.Contains(d.ProductName, "HVM domU") || strings.HasSuffix(d.BIOSVersion, ".amazon") && d.SysVendor == "") {
			return nil
		}
		ev := []string{"DMI " + quote(strings.TrimSpace(d.SysVendor+" "+d.ProductName)) + " BIOS " + quote(d.BIOSVersion)}
		if s.sysHypervisor == "xen" {
			ev = append(ev, "/sys/hypervisor/type is xen")
		}
		return ev
	}},
	{"hyperv-dmi", HypervisorHyperV, func(s signals) []string {
		if s.dmi.SysVendor != "Microsoft Corporation" || s.dmi.ProductName != "Virtual Machine" {
			return nil
		}
		ev := []string{"DMI Microsoft Corporation / Virtual Machine"}
		if s.dmi.ChassisAssetTag == azureAssetTag {
			ev = append(ev, "DMI chassis asset tag is Azure's")
		}
		return ev
	}},
	{"vmware-dmi", HypervisorVMware, func(s signals) []string {
		if !strings.HasPrefix(s.dmi.SysVendor, "VMware") && !strings.HasPrefix(s.dmi.ProductName, "VMware") {
			return nil
		}
		return []string{"DMI " + quote(s.dmi.SysVendor+" "+s.dmi.ProductName)}
	}},
	{"google-dmi", HypervisorKVM, func(s signals) []string {
		if s.dmi.SysVendor != "Google" && s.dmi.ProductName != "Google Compute Engine" {
			return nil
		}
		return []string{"DMI " + quote(strings.TrimSpace(s.dmi.SysVendor+" "+s.dmi.ProductName)) + " (Compute Engine runs KVM)"}
	}},
	{"qemu-dmi-kvm", HypervisorKVM, func(s signals) []string {
		if !qemuDMI(s.dmi) || !(s.dmi.ProductName == "KVM" || strings.Contains(s.dmi.ProductVersion, "KVM") || s.clocksource == "kvm-clock") {
			return nil
		}
		return []string{"DMI " + quote(strings.TrimSpace(s.dmi.SysVendor+" "+s.dmi.ProductName))}
	}},
	{"qemu-dmi", HypervisorQEMU, func(s signals) []string {
		if !qemuDMI(s.dmi) {
			return nil
		}
		return []string{"DMI " + quote(strings.TrimSpace(s.dmi.SysVendor+" "+s.dmi.ProductName))}
	}},
	{"xen-sysfs", HypervisorXen, func(s signals) []string {
		if s.sysHypervisor != "xen" {
			return nil
		}
		ev := []string{"/sys/hypervisor/type is xen"}
		if strings.HasPrefix(strings.ToLower(s.hypervisorUUID), "ec2") {
			ev = append(ev, "/sys/hypervisor/uuid starts with ec2 (EC2 Xen guest)")
		}
		return ev
	}},
	{"firecracker", HypervisorFirecracker, firecrackerEvidence},
	{"flag-kvm-clock", HypervisorKVM, func(s signals) []string {
		if !s.cpu.HypervisorFlag || s.clocksource != "kvm-clock" {
			return nil
		}
		return []string{"cpuinfo flag hypervisor", "clocksource kvm-clock"}
	}},
	{"flag-hyperv-clock", HypervisorHyperV, func(s signals) []string {
		if !s.cpu.HypervisorFlag || s.clocksource != "hyperv_clocksource_tsc_page" {
			return nil
		}
		return []string{"cpuinfo flag hypervisor", "clocksource " + s.clocksource}
	}},
	{"flag-xen-clock", HypervisorXen, func(s signals) []string {
		if !s.cpu.HypervisorFlag || s.clocksource != "xen" {
			return nil
		}
		return []string{"cpuinfo flag hypervisor", "clocksource xen"}
	}},
	{"flag-only", HypervisorUnknown, func(s signals) []string {
		if !s.cpu.HypervisorFlag {
			return nil
		}
		ev := []string{"cpuinfo flag hypervisor"}
		if s.clocksource != "" {
			ev = append(ev, "clocksource "+s.clocksource+" names no hypervisor")
		}
		return ev
	}},
	{"x86-no-flag", HypervisorNone, func(s signals) []string {
		if s.cpu.Vendor == "" || s.arch == "arm64" || s.cpu.ModelName == "unknown" {
			return nil
		}
		return []string{"x86 cpuinfo without the hypervisor flag, no DMI sign of a VM"}
	}},
}

// amazonDMI: any of the DMI vendor strings is "Amazon EC2" (Nitro).
func amazonDMI(d DMI) bool {
	return d.SysVendor == "Amazon EC2" || d.BIOSVendor == "Amazon EC2" || d.BoardVendor == "Amazon EC2"
}

func amazonVendorLine(d DMI) string {
	return "DMI vendor " + quote(firstNonEmpty(d.SysVendor, d.BIOSVendor, d.BoardVendor))
}

// qemuDMI: DMI strings QEMU writes (with or without KVM acceleration).
func qemuDMI(d DMI) bool {
	return d.SysVendor == "QEMU" || strings.HasPrefix(d.ProductName, "Standard PC") || strings.HasPrefix(d.ProductName, "KVM")
}

// firecrackerEvidence: Firecracker has no SMBIOS at all, so look at what it
// leaves behind. One strong sign (its ACPI OEM id, its normalised CPU
// brand) decides; weak ones need company.
func firecrackerEvidence(s signals) []string {
	var ev []string
	strong := 0
	if s.acpiOEM == "FIRECK" {
		ev = append(ev, "ACPI DSDT OEM id FIRECK")
		strong++
	}
	if firecrackerBrand(s.cpu.ModelName) {
		ev = append(ev, "cpuinfo model name "+quote(s.cpu.ModelName)+" is Firecracker's normalised brand string")
		strong++
	}
	weak := 0
	if fc := firecrackerCmdline(s.cmdline); fc != "" {
		ev = append(ev, "/proc/cmdline has Firecracker's defaults: "+fc)
		weak++
	}
	if !s.hasDMI {
		ev = append(ev, "no /sys/class/dmi (no SMBIOS)")
		weak++
	}
	if s.dtCompatible == "linux,dummy-virt" {
		ev = append(ev, "device tree compatible linux,dummy-virt")
		weak++
	}
	if s.lambda && !s.hasDMI {
		ev = append(ev, "AWS Lambda environment without DMI (Lambda runs Firecracker since ~2019)")
		weak++
	}
	if !(strong > 0 || weak >= 3 || weak >= 2 && (s.cpu.HypervisorFlag || s.arch == "arm64")) {
		return nil
	}
	if s.cpu.HypervisorFlag {
		ev = append(ev, "cpuinfo flag hypervisor")
	}
	if s.clocksource != "" {
		ev = append(ev, "clocksource "+s.clocksource)
	}
	return ev
}

// classifyHypervisor decides the hypervisor kind from the collected
// signals by the first matching rule of hypervisorRules.
func classifyHypervisor(s signals) Hypervisor {
	for i := range hypervisorRules {
		if ev := hypervisorRules[i].Match(s); ev != nil {
			return Hypervisor{Kind: hypervisorRules[i].Kind, Evidence: ev}
		}
	}
	return Hypervisor{Kind: HypervisorUnknown,
		Evidence: []string{"no decisive signal (arm64 has no cpuinfo hypervisor flag; DMI absent or silent)"}}
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
