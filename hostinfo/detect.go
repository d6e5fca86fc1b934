package hostinfo

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"slices"

	"github.com/faasprobe/faasprobe/internal/procfile"
	"github.com/faasprobe/faasprobe/internal/sysroot"
)

// Detect reads the machine afresh and returns what it found. The Host is
// always usable; the error is non-nil only when some source failed (it joins
// one error per failed source, and Host.Problems lists the same). A source
// that is simply absent on this platform is not a failure. Detect never
// panics, never runs a process and never writes anything.
func Detect(opts ...Option) (Host, error) {
	c := newConfig(opts)
	var d detector
	d.c = c
	if c.err != nil {
		d.problem(treeSource(c.dir), c.err)
	}
	var h Host
	if !c.root.Recorded && runtime.GOOS != "linux" {
		h = d.detectNonLinux()
	} else {
		h = d.detectTree()
	}
	h.Problems = d.problems
	h.normalize()
	return h, errors.Join(d.errs...)
}

// treeSource is the Problem source of an error opening the tree at dir:
// "." when the tree itself cannot be used, else "env" (its env file).
// Called only on that error.
func treeSource(dir string) string {
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return "."
	}
	return "env"
}

// detector collects problems while reading.
type detector struct {
	c        config
	problems []Problem
	errs     []error
	// buf is the one read buffer of a Detect call: each read reuses it, so
	// the bytes read last are valid only until the next read (every parser
	// copies out what it keeps).
	buf []byte
}

func (d *detector) problem(source string, err error) {
	msg := fmt.Errorf("hostinfo: %s: %w", source, err)
	d.problems = append(d.problems, Problem{Source: source, Error: msg.Error()})
	d.errs = append(d.errs, msg)
}

// read reads a file below the root. Absent files return nil, false with no
// problem; other failures are problems unless quiet (root-only files).
//
// The bytes are in the detector's buffer: valid until the next read.
func (d *detector) read(name string, quiet bool) ([]byte, bool) {
	b, err := d.c.root.ReadFileBuf(name, d.buf)
	if cap(b) > cap(d.buf) {
		d.buf = b[:0] // grown: keep the larger buffer
	}
	if err != nil {
		if !sysroot.IsAbsent(err) && !(quiet && errors.Is(err, fs.ErrPermission)) {
			d.problem(name, unwrapPath(err))
		}
		return nil, false
	}
	return b, true
}

// parse records a parse error for name as a problem.
func (d *detector) parse(name string, err error) {
	if err != nil {
		d.problem(name, fmt.Errorf("parse: %w", err))
	}
}

// unwrapPath drops the real path (which repeats the source) from a
// *fs.PathError, keeping its cause.
func unwrapPath(err error) error {
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}

func (d *detector) detectTree() Host {
	var h Host
	m := &h.Machine
	root := d.c.root
	m.Arch = runtime.GOARCH

	d.platform(&h)

	if b, ok := d.read("proc/cpuinfo", false); ok {
		ci, err := procfile.ParseCPUInfo(b)
		d.parse("proc/cpuinfo", err)
		m.CPU = cpuOf(ci)
	}
	if m.CPU.ARMImplementer != "" {
		if root.Recorded {
			m.Arch = "arm64" // the tree's, not this binary's
		}
		m.CPU.CoreName, m.CPU.Graviton = decodeARM(m.CPU.ARMImplementer, m.CPU.ARMPart)
		if m.CPU.Vendor == "" && m.CPU.ARMImplementer == "0x41" {
			m.CPU.Vendor = "ARM"
		}
		if m.CPU.ModelName == "" {
			m.CPU.ModelName = m.CPU.CoreName
		}
	} else if root.Recorded && m.CPU.Vendor != "" {
		m.Arch = "amd64"
	}
	m.CPU.Microarchitecture, m.CPU.MicroarchitectureEvidence = cpuGeneration(m.CPU, true)

	if b, ok := d.read("proc/meminfo", false); ok {
		mi, err := procfile.ParseMeminfo(b)
		d.parse("proc/meminfo", err)
		m.MemoryTotalBytes = mi.MemTotal
		m.MemoryFreeBytes, m.MemoryAvailableBytes = mi.MemFree, mi.MemAvailable
	}
	d.kernel(&m.Kernel)
	if b, ok := d.read("proc/sys/kernel/random/boot_id", false); ok {
		v, err := procfile.ParseBootID(b)
		d.parse("proc/sys/kernel/random/boot_id", err)
		m.BootID = v
	}
	if b, ok := d.read("proc/stat", false); ok {
		v, err := procfile.ParseBootTime(b)
		d.parse("proc/stat", err)
		m.BootTime = v
	}
	if b, ok := d.read("proc/uptime", false); ok {
		v, err := procfile.ParseUptime(b)
		d.parse("proc/uptime", err)
		m.UptimeSeconds, m.IdleSeconds = seconds(v.Uptime), seconds(v.Idle)
	}
	d.identity(m)

	s := signals{cpu: m.CPU, arch: m.Arch, release: m.Kernel.Release, banner: m.Kernel.Banner,
		lambda: h.Platform.Service == "lambda" || h.Platform.RunsOn == "aws_lambda"}
	if b, ok := d.read("proc/cmdline", false); ok {
		v, err := parseCmdline(b)
		d.parse("proc/cmdline", err)
		s.cmdline = v
	}
	s.sentryMeminfo = root.Exists("proc/sentry-meminfo")
	s.hasDMI = root.Exists("sys/class/dmi/id")
	if s.hasDMI {
		m.DMI = d.readDMI()
		s.dmi = m.DMI
	}
	s.sysHypervisor = d.readLine("sys/hypervisor/type", false)
	if s.sysHypervisor == "xen" { // the uuid only tells EC2 Xen guests apart
		s.hypervisorUUID = d.readLine("sys/hypervisor/uuid", true)
	}
	s.clocksource = d.readLine("sys/devices/system/clocksource/clocksource0/current_clocksource", false)
	if b, err := root.ReadHead("sys/firmware/acpi/tables/DSDT", 16); err == nil {
		s.acpiOEM = acpiOEMID(b)
	}
	if m.Arch != "amd64" && m.Arch != "386" { // x86 machines describe themselves by ACPI, not a device tree
		if b, err := root.ReadHead("sys/firmware/devicetree/base/compatible", 256); err == nil {
			s.dtCompatible = firstCString(b)
		}
	}

	m.Network = d.network()
	drivers := d.netDrivers()
	m.NetDrivers = drivers
	s.netDrivers = drivers
	m.Hypervisor = classifyHypervisor(s)

	cg, _ := d.read("proc/self/cgroup", false)
	m.Container = classifyContainer(containerSignals{
		dockerenv:     root.Exists(".dockerenv"),
		containerenv:  root.Exists("run/.containerenv"),
		containerVar:  root.Getenv("container"),
		kubernetes:    root.Getenv("KUBERNETES_SERVICE_HOST") != "",
		cgroup:        cg,
		gvisor:        m.Hypervisor.Kind == HypervisorGVisor,
		azureFunction: h.Platform.Provider == "azure" && h.Platform.Service == "functions",
	})
	m.Container.cgroup = string(cg)

	refinePlatform(&h.Platform, *m)
	m.Instance = inferInstance(m.CPU, m.MemoryTotalBytes, m.DMI, m.Hypervisor.Kind, h.Platform)
	return h
}

// cpuOf is the part of CPU that /proc/cpuinfo says; the rest is decoded
// from it.
func cpuOf(ci procfile.CPUInfo) CPU {
	return CPU{Vendor: ci.Vendor, ModelName: ci.ModelName, Count: ci.Count, MHz: ci.MHz,
		CacheKB: ci.CacheKB, Family: ci.Family, Model: ci.Model, Stepping: ci.Stepping,
		ARMImplementer: ci.ARMImplementer, ARMPart: ci.ARMPart, HypervisorFlag: ci.HypervisorFlag}
}

// platform fills h.Platform from the environment.
func (d *detector) platform(h *Host) {
	p, probs := detectPlatform(d.c.root.Getenv)
	h.Platform = p
	for _, pr := range probs {
		d.problems = append(d.problems, pr)
		d.errs = append(d.errs, errors.New(pr.Error))
	}
}

// readLine reads a one-line file; absent → "".
func (d *detector) readLine(name string, quiet bool) string {
	b, ok := d.read(name, quiet)
	if !ok {
		return ""
	}
	v, err := procfile.ParseLine(b)
	d.parse(name, err)
	return v
}

// readDMIField reads one DMI string. Firmware often leaves fields blank
// (or fills them with spaces): that is "unknown", not a problem. Binary
// content still is.
func (d *detector) readDMIField(name string) string {
	b, ok := d.read(name, true)
	if !ok || len(bytes.TrimSpace(b)) == 0 {
		return ""
	}
	v, err := procfile.ParseLine(b)
	d.parse(name, err)
	return v
}

// readDMI reads the world-readable DMI strings.
func (d *detector) readDMI() DMI {
	const dir = "sys/class/dmi/id/"
	return DMI{
		SysVendor:       d.readDMIField(dir + "sys_vendor"),
		ProductName:     d.readDMIField(dir + "product_name"),
		ProductVersion:  d.readDMIField(dir + "product_version"),
		BIOSVendor:      d.readDMIField(dir + "bios_vendor"),
		BIOSVersion:     d.readDMIField(dir + "bios_version"),
		BoardVendor:     d.readDMIField(dir + "board_vendor"),
		BoardAssetTag:   d.readDMIField(dir + "board_asset_tag"),
		ChassisAssetTag: d.readDMIField(dir + "chassis_asset_tag"),
	}
}

// kernel fills the release and version from /proc/version, which holds
// both ("Linux version RELEASE (BUILDER) (COMPILER) VERSION", from the same
// utsname as uname -r and -v). Only when the banner is missing or not of
// that shape are /proc/sys/kernel/osrelease and version read: in a cold
// start each sysctl file costs more than the banner.
func (d *detector) kernel(k *Kernel) {
	if b, ok := d.read("proc/version", false); ok {
		v, err := procfile.ParseVersion(b)
		d.parse("proc/version", err)
		k.Banner, k.Release = v.Banner, v.Release
		if err == nil && v.Release != "" && v.Version != "" {
			k.Version = v.Version
			return
		}
	}
	if b, ok := d.read("proc/sys/kernel/osrelease", false); ok {
		v, err := procfile.ParseLine(b)
		d.parse("proc/sys/kernel/osrelease", err)
		if v != "" {
			k.Release = v
		}
	}
	if b, ok := d.read("proc/sys/kernel/version", false); ok {
		v, err := procfile.ParseLine(b)
		d.parse("proc/sys/kernel/version", err)
		k.Version = v
	}
}

// netDrivers lists NIC drivers from sysfs and /proc/modules, sorted, unique.
func (d *detector) netDrivers() []string {
	var out []string
	if ifaces, err := d.c.root.ReadDir("sys/class/net"); err == nil {
		for _, ifc := range ifaces {
			if drv := d.netDriver(ifc); drv != "" {
				out = append(out, drv)
			}
		}
	} else if !sysroot.IsAbsent(err) {
		d.problem("sys/class/net", unwrapPath(err))
	}
	if b, ok := d.read("proc/modules", false); ok {
		mods, err := parseModuleNetDrivers(b)
		d.parse("proc/modules", err)
		out = append(out, mods...)
	}
	slices.Sort(out)
	return nonNil(slices.Compact(out))
}

// netDriver returns the driver of one network interface, or "" (a virtual
// interface such as lo has no device). On the live machine one readlink(2)
// of device/driver answers, also for the virtual interfaces (ENOENT),
// where reading device/uevent costs an open per interface and a read and
// a close per device. A recorded tree holds no symbolic links: there, and
// if the link cannot be read for another reason, device/uevent's DRIVER=
// line answers.
func (d *detector) netDriver(ifc string) string {
	if ifc == "lo" {
		return "" // the loopback interface: never a device (and the name is unique in a namespace)
	}
	base := "sys/class/net/" + ifc + "/device/"
	if !d.c.root.Recorded {
		t, err := d.c.root.Readlink(base + "driver")
		switch {
		case err == nil:
			return baseName(t)
		case sysroot.IsAbsent(err):
			return ""
		}
	}
	b, ok := d.read(base+"uevent", false)
	if !ok {
		return ""
	}
	v, err := parseUevent(b)
	d.parse(base+"uevent", err)
	return v
}

func baseName(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '/' {
			return p[i+1:]
		}
	}
	return p
}
