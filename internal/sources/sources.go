package sources

import (
	"path"
	"slices"
	"strings"
)

// Kind says how a reader reads a source, and so how the recorder records it.
type Kind uint8

// The kinds of source.
const (
	// File: the whole file (readers cap it at sysroot.MaxFileSize).
	File Kind = iota + 1
	// Head: the first HeadBytes bytes only (large binary tables).
	Head
	// Marker: existence only; recorded as an empty file.
	Marker
	// Dir: existence of a directory only; recorded as an empty directory
	// when nothing below it is recorded.
	Dir
	// Glob: Path has "*" segments; every match is read whole.
	Glob
	// Cgroup: a limit file named Path in our cgroup's directory for
	// Controller and in every directory above it up to the hierarchy's
	// mount point, resolved through proc/self/cgroup and
	// proc/self/mountinfo (a v1 hierarchy carrying the controller first,
	// else the v2 unified one).
	Cgroup
	// Env: the environment, which a recorded tree holds as the file "env"
	// (one KEY=VALUE per line, credentials redacted).
	Env
	// LiveOnly: read on the live machine only; a recorded tree cannot
	// carry it (a symbolic link, a file system's size). Listed so that the
	// list is complete; never recorded.
	LiveOnly
)

// String names the kind as the docs do.
func (k Kind) String() string {
	switch k {
	case File:
		return "file"
	case Head:
		return "head"
	case Marker:
		return "marker"
	case Dir:
		return "dir"
	case Glob:
		return "glob"
	case Cgroup:
		return "cgroup"
	case Env:
		return "env"
	case LiveOnly:
		return "live-only"
	}
	return "unknown"
}

// Source is one path a reader reads below the root.
type Source struct {
	// Path is below the root, slash-separated, without a leading "/"
	// ("proc/cpuinfo"). For Cgroup it is the file name ("memory.max").
	Path string
	Kind Kind
	// HeadBytes is how many bytes a Head source's reader reads.
	HeadBytes int
	// Controller is the cgroup controller of a Cgroup source ("memory",
	// "cpu", "pids").
	Controller string
	// CgroupV1 is true for a cgroup v1 file, false for a v2 (unified) one.
	CgroupV1 bool
	// Note says what the reader takes from the source.
	Note string
}

// Package is one reading package and the sources it reads.
type Package struct {
	// Dir is the package's directory below the module root ("hostinfo").
	Dir     string
	Sources []Source
}

// Packages returns every reading package with its sources, in the order the
// package reads them. The slices are new on every call.
func Packages() []Package {
	return []Package{
		{Dir: "internal/sysroot", Sources: []Source{
			{Path: "env", Kind: Env, Note: "the environment of a recorded tree (sysroot.Recorded); the live one is the process's"},
		}},
		{Dir: "hostinfo", Sources: []Source{
			{Path: "proc/cpuinfo", Kind: File, Note: "CPU vendor, model name, count, MHz, cache, family/model/stepping, arm64 implementer/part"},
			{Path: "proc/meminfo", Kind: File, Note: "MemTotal, MemFree, MemAvailable"},
			{Path: "proc/version", Kind: File, Note: "kernel banner, release and version"},
			{Path: "proc/sys/kernel/osrelease", Kind: File, Note: "kernel release, when proc/version does not give it"},
			{Path: "proc/sys/kernel/version", Kind: File, Note: "kernel version, when proc/version does not give it"},
			{Path: "proc/sys/kernel/random/boot_id", Kind: File, Note: "boot id"},
			{Path: "proc/stat", Kind: File, Note: "btime"},
			{Path: "proc/uptime", Kind: File, Note: "uptime and idle time"},
			{Path: "proc/sys/kernel/hostname", Kind: File, Note: "host name (OTel host.name)"},
			{Path: "etc/machine-id", Kind: File, Note: "machine id (OTel host.id)"},
			{Path: "var/lib/dbus/machine-id", Kind: File, Note: "machine id, when etc/machine-id holds none"},
			{Path: "proc/self/sessionid", Kind: File, Note: "audit session id"},
			{Path: "proc/cmdline", Kind: File, Note: "Firecracker's and gVisor's kernel arguments"},
			{Path: "proc/sentry-meminfo", Kind: Marker, Note: "exists only under gVisor"},
			{Path: "sys/class/dmi/id", Kind: Dir, Note: "SMBIOS present at all"},
			{Path: "sys/class/dmi/id/sys_vendor", Kind: File, Note: "DMI"},
			{Path: "sys/class/dmi/id/product_name", Kind: File, Note: "DMI; the EC2 type on Nitro"},
			{Path: "sys/class/dmi/id/product_version", Kind: File, Note: "DMI"},
			{Path: "sys/class/dmi/id/bios_vendor", Kind: File, Note: "DMI"},
			{Path: "sys/class/dmi/id/bios_version", Kind: File, Note: "DMI"},
			{Path: "sys/class/dmi/id/board_vendor", Kind: File, Note: "DMI"},
			{Path: "sys/class/dmi/id/board_asset_tag", Kind: File, Note: "DMI; the instance id on Nitro"},
			{Path: "sys/class/dmi/id/chassis_asset_tag", Kind: File, Note: "DMI"},
			{Path: "sys/hypervisor/type", Kind: File, Note: "xen"},
			{Path: "sys/hypervisor/uuid", Kind: File, Note: "ec2… on EC2 Xen guests (read when the type is xen)"},
			{Path: "sys/devices/system/clocksource/clocksource0/current_clocksource", Kind: File, Note: "clocksource (corroboration only)"},
			{Path: "sys/firmware/acpi/tables/DSDT", Kind: Head, HeadBytes: 16, Note: "ACPI header: OEM id at offset 10 (FIRECK)"},
			{Path: "sys/firmware/devicetree/base/compatible", Kind: Head, HeadBytes: 256, Note: "arm64 machine compatible string (not read on x86)"},
			{Path: "sys/class/net/*/device/uevent", Kind: Glob, Note: "NIC driver (DRIVER=) in a recorded tree; interfaces without device/ are virtual"},
			{Path: "sys/class/net/*/device/driver", Kind: LiveOnly, Note: "symbolic link to the driver: the live machine's source (one readlink per interface)"},
			{Path: "proc/modules", Kind: File, Note: "NIC driver modules"},
			{Path: "proc/self/cgroup", Kind: File, Note: "container and FaaS-sandbox cgroup paths"},
			{Path: "proc/net/fib_trie", Kind: File, Note: "IPv4 addresses (LOCAL /32 routes) and their subnets (link routes)"},
			{Path: "proc/net/if_inet6", Kind: File, Note: "IPv6 addresses and the interfaces holding them"},
			{Path: "proc/net/dev", Kind: File, Note: "interface names"},
			{Path: ".dockerenv", Kind: Marker, Note: "Docker container marker"},
			{Path: "run/.containerenv", Kind: Marker, Note: "Podman container marker"},
		}},
		{Dir: "sandbox", Sources: []Source{
			{Path: "proc/self/status", Kind: File, Note: "Uid:, Gid: (recorded trees; live: getuid, getgid)"},
			{Path: "etc/passwd", Kind: File, Note: "user name of the uid"},
			{Path: "etc/group", Kind: File, Note: "group name of the gid"},
			{Path: "proc/self/cgroup", Kind: File, Note: "our cgroups; Lambda's sandbox-root id (unless the host facts carry the file)"},
			{Path: "sys/fs/cgroup", Kind: LiveOnly, Note: "statfs of the conventional cgroup mounts and our directories below them: the live machine's source, when the layout is the conventional one"},
			{Path: "proc/self/mountinfo", Kind: File, Note: "where the cgroup hierarchies are mounted (recorded trees, and live layouts that are not the conventional one)"},
			{Path: "memory.limit_in_bytes", Kind: Cgroup, Controller: "memory", CgroupV1: true, Note: "v1 memory limit"},
			{Path: "memory.max", Kind: Cgroup, Controller: "memory", Note: "v2 memory limit"},
			{Path: "cpu.cfs_quota_us", Kind: Cgroup, Controller: "cpu", CgroupV1: true, Note: "v1 CPU quota"},
			{Path: "cpu.cfs_period_us", Kind: Cgroup, Controller: "cpu", CgroupV1: true, Note: "v1 CPU period (read under a quota)"},
			{Path: "cpu.max", Kind: Cgroup, Controller: "cpu", Note: "v2 CPU quota and period"},
			{Path: "pids.max", Kind: Cgroup, Controller: "pids", CgroupV1: true, Note: "v1 pids limit"},
			{Path: "pids.max", Kind: Cgroup, Controller: "pids", Note: "v2 pids limit"},
			{Path: "sys/devices/system/cpu/online", Kind: File, Note: "visible CPUs"},
			{Path: "tmp", Kind: LiveOnly, Note: "statfs of /tmp: size and free space of the live file system"},
			{Path: "proc/self/limits", Kind: File, Note: "Max open files, Max processes (recorded trees; live: getrlimit)"},
			{Path: "proc/sys/kernel/random/boot_id", Kind: File, Note: "boot id, unless the host facts carry it"},
		}},
		{Dir: "coldstart", Sources: []Source{
			{Path: "proc/self/stat", Kind: File, Note: "starttime of the process"},
			{Path: "proc/uptime", Kind: File, Note: "time since boot"},
			{Path: "proc/stat", Kind: File, Note: "btime, when proc/uptime is unusable"},
		}},
		{Dir: "internal/vmstat", Sources: []Source{
			{Path: "proc/stat", Kind: File, Note: "btime and the aggregate cpu line, at every invocation (faasprobe.WithVMStats)"},
			{Path: "proc/meminfo", Kind: File, Note: "MemAvailable, at every invocation (faasprobe.WithVMStats)"},
		}},
	}
}

// All returns the union of every package's sources, each once, sorted by
// path (then kind, controller, version).
func All() []Source {
	var out []Source
	for _, p := range Packages() {
		for _, s := range p.Sources {
			if !slices.ContainsFunc(out, s.same) {
				out = append(out, s)
			}
		}
	}
	slices.SortFunc(out, func(a, b Source) int {
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		if a.Kind != b.Kind {
			return int(a.Kind) - int(b.Kind)
		}
		if c := strings.Compare(a.Controller, b.Controller); c != 0 {
			return c
		}
		switch {
		case a.CgroupV1 == b.CgroupV1:
			return 0
		case a.CgroupV1:
			return -1
		}
		return 1
	})
	return out
}

// same reports whether two sources name the same thing (notes aside).
func (s Source) same(o Source) bool {
	return s.Path == o.Path && s.Kind == o.Kind && s.HeadBytes == o.HeadBytes &&
		s.Controller == o.Controller && s.CgroupV1 == o.CgroupV1
}

// Covers reports whether the source stands for the path p (below the root,
// slash-separated): the same path, a match of a Glob or LiveOnly pattern,
// or, for Cgroup, a file of that name.
func (s Source) Covers(p string) bool {
	switch s.Kind {
	case Cgroup:
		return path.Base(p) == s.Path
	case Glob, LiveOnly:
		ok, err := path.Match(s.Path, p)
		return err == nil && ok
	}
	return s.Path == p
}

// EnvNames returns, sorted, every environment variable hostinfo, sandbox
// and coldstart consult (most through internal/platformenv): the
// allow-list the recorder writes from. Any
// other variable is dropped from a recording, name and value.
func EnvNames() []string {
	return []string{
		"AWS_EXECUTION_ENV",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
		"AWS_LAMBDA_FUNCTION_NAME",
		"AWS_LAMBDA_FUNCTION_VERSION",
		"AWS_LAMBDA_INITIALIZATION_TYPE",
		"AWS_LAMBDA_LOG_STREAM_NAME",
		"AWS_LAMBDA_METADATA_API",
		"AWS_LAMBDA_METADATA_TOKEN",
		"AWS_REGION",
		"CE_APP",
		"CE_JOB",
		"CE_REVISION",
		"CLOUD_RUN_EXECUTION",
		"CLOUD_RUN_JOB",
		"CLOUD_RUN_WORKER_POOL",
		"CLOUD_RUN_WORKER_POOL_REVISION",
		"CONTAINER_APP_NAME",
		"CONTAINER_APP_REVISION",
		"CONTAINER_NAME",
		"ECS_CONTAINER_METADATA_URI",
		"ECS_CONTAINER_METADATA_URI_V4",
		"FC_FUNCTION_MEMORY_SIZE",
		"FC_FUNCTION_NAME",
		"FC_FUNCTION_VERSION",
		"FC_QUALIFIER",
		"FC_REGION",
		"FLY_APP_NAME",
		"FLY_MACHINE_ID",
		"FLY_MACHINE_VERSION",
		"FLY_REGION",
		"FLY_VM_MEMORY_MB",
		"FUNCTIONS_EXTENSION_VERSION",
		"FUNCTIONS_WORKER_RUNTIME",
		"FUNCTION_MEMORY_MB",
		"FUNCTION_NAME",
		"FUNCTION_REGION",
		"FUNCTION_TARGET",
		"GAE_RUNTIME",
		"GAE_SERVICE",
		"GAE_VERSION",
		"GOOGLE_RUNTIME",
		"KUBERNETES_SERVICE_HOST",
		"K_REVISION",
		"K_SERVICE",
		"NETLIFY",
		"POWERTOOLS_METRICS_FUNCTION_NAME",
		"POWERTOOLS_METRICS_NAMESPACE",
		"POWERTOOLS_SERVICE_NAME",
		"REGION_NAME",
		"SITE_ID",
		"SITE_NAME",
		"VERCEL",
		"VERCEL_REGION",
		"WEBSITE_INSTANCE_ID",
		"WEBSITE_MEMORY_LIMIT_MB",
		"WEBSITE_SITE_NAME",
		"X_GOOGLE_FUNCTION_VERSION",
		"container",
		"fprocess",
	}
}
