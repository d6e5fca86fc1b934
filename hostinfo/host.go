package hostinfo

import "time"

// Host is everything Detect learned about the machine under the function.
// Its JSON form is the documented schema of `faasprobe --json` (less the
// "sandbox" object, which package sandbox adds). Lists are never null.
type Host struct {
	Platform Platform  `json:"platform"`
	Machine  Machine   `json:"host"`
	Problems []Problem `json:"problems"`
}

// Problem is one source that could not be read or parsed. Detect still
// returns every fact that other sources gave.
type Problem struct {
	// Source is the path below the root without a leading slash
	// ("proc/meminfo"; "." for the root itself), or the environment
	// variable's name ("AWS_LAMBDA_FUNCTION_MEMORY_SIZE").
	Source string `json:"source"`
	Error  string `json:"error"`
}

// Platform is the serverless (or cloud) service, from the environment.
type Platform struct {
	// Provider: "aws", "gcp", "azure", "vercel", "netlify", "fly", "alibaba",
	// "knative", "openfaas", "ibm", or "" if unknown. From env
	// (docs/platforms.md); "aws" also from DMI alone (EC2).
	Provider string `json:"provider"`
	// Service: "lambda", "lambda_managed_instances", "ec2", "ecs", "cloud_run",
	// "cloud_run_job", "cloud_run_worker_pool", "cloud_functions",
	// "app_engine", "functions" (Azure), "container_apps", "machines" (Fly),
	// "function_compute", "code_engine", … or "".
	Service string `json:"service"`
	// RunsOn names the platform underneath when the provider runs on another
	// one ("aws_lambda" for Vercel and Netlify functions), else "".
	RunsOn string `json:"runs_on,omitempty"`
	// Region: AWS_REGION, VERCEL_REGION, FLY_REGION, REGION_NAME, FC_REGION…
	Region string `json:"region"`
	// FunctionName: AWS_LAMBDA_FUNCTION_NAME, K_SERVICE, FUNCTION_TARGET,
	// WEBSITE_SITE_NAME, FC_FUNCTION_NAME, FLY_APP_NAME…
	FunctionName string `json:"function_name"`
	// FunctionVersion: AWS_LAMBDA_FUNCTION_VERSION, K_REVISION…
	FunctionVersion string `json:"function_version"`
	// MemoryLimitMB: AWS_LAMBDA_FUNCTION_MEMORY_SIZE, FLY_VM_MEMORY_MB,
	// WEBSITE_MEMORY_LIMIT_MB, FC_FUNCTION_MEMORY_SIZE…; 0 if unknown.
	MemoryLimitMB int `json:"memory_limit_mb"`
	// Runtime: AWS_EXECUTION_ENV (absent on provided.*),
	// FUNCTIONS_WORKER_RUNTIME…; "" if unknown.
	Runtime string `json:"runtime"`
	// InitializationType: AWS_LAMBDA_INITIALIZATION_TYPE ("on-demand",
	// "provisioned-concurrency", "snap-start", "lambda-managed-instances",
	// or "unknown" for a value not listed, which is not repeated).
	InitializationType string `json:"initialization_type,omitempty"`

	// LaunchType: an Amazon ECS task's, "fargate" or "ec2", from
	// AWS_EXECUTION_ENV (AWS_ECS_FARGATE, AWS_ECS_EC2); "" if unknown.
	LaunchType string `json:"launch_type,omitempty"`
	// ExecutionEnvironment: Cloud Run's, "gen1" (gVisor) or "gen2"
	// (microVM): "gen2" for jobs and worker pools, which have no other;
	// "gen1" when a Cloud Run service shows gVisor; "" if unknown.
	ExecutionEnvironment string `json:"execution_environment,omitempty"`
	// Evidence lists the variables (names only, never values) that decided.
	Evidence []string `json:"evidence"`
}

// Machine is the (virtual) machine: CPU, memory, kernel, hypervisor, and
// what can be inferred about the EC2 instance beneath.
type Machine struct {
	Arch          string    `json:"arch"`           // runtime.GOARCH of this binary, as OTel host.arch ("amd64", "arm64")
	Kernel        Kernel    `json:"kernel"`         // /proc/version (else /proc/sys/kernel/osrelease and version)
	BootID        string    `json:"boot_id"`        // /proc/sys/kernel/random/boot_id; "" if unknown
	BootTime      time.Time `json:"boot_time"`      // /proc/stat btime; zero if unknown
	UptimeSeconds float64   `json:"uptime_seconds"` // /proc/uptime first field; 0 if unknown
	CPU           CPU       `json:"cpu"`            // /proc/cpuinfo
	// MemoryTotalBytes: /proc/meminfo MemTotal (under gVisor, the sandbox
	// limit); 0 if unknown.
	MemoryTotalBytes uint64     `json:"memory_total_bytes"`
	Hypervisor       Hypervisor `json:"hypervisor"`
	Container        Container  `json:"container"`
	// NetDrivers: /sys/class/net/*/device/driver (the link's target; in a
	// recorded tree device/uevent DRIVER=), plus network modules in
	// /proc/modules (ena, ixgbevf, …).
	// Sorted, unique.
	NetDrivers []string `json:"net_drivers"`
	// DMI: /sys/class/dmi/id/* (world-readable files only); empty where
	// there is no SMBIOS (Firecracker) or it is hidden.
	DMI      DMI      `json:"dmi"`
	Instance Instance `json:"instance"`

	// Who the machine says it is, and how busy it is: what a probe logging
	// the host on every invocation records.

	// Name: /proc/sys/kernel/hostname (uname -n; OTel host.name); "" if
	// unknown or never set.
	Name string `json:"name"`
	// ID: /etc/machine-id, else /var/lib/dbus/machine-id (32 hex digits;
	// OTel host.id); "" if unknown.
	ID string `json:"id"`
	// AuditSessionID: /proc/self/sessionid, the audit session the process
	// belongs to; 0 (and absent from JSON) if unknown or unset
	// (4294967295 in the file).
	AuditSessionID uint32 `json:"audit_session_id,omitempty"`
	// MemoryFreeBytes and MemoryAvailableBytes: /proc/meminfo MemFree and
	// MemAvailable (the kernel's estimate of what new work can use without
	// swapping; absent before Linux 3.14), at the time of Detect; 0 if
	// unknown.
	MemoryFreeBytes      uint64 `json:"memory_free_bytes"`
	MemoryAvailableBytes uint64 `json:"memory_available_bytes"`
	// IdleSeconds: /proc/uptime second field, the time the CPUs spent idle
	// since boot summed over CPUs (it can exceed UptimeSeconds); 0 if
	// unknown.
	IdleSeconds float64 `json:"idle_seconds"`

	// Network: the VM's addresses and interfaces, from /proc/net.
	Network Network `json:"network"`
}

// Kernel identifies the running kernel.
type Kernel struct {
	// Release (uname -r) and Version (uname -v): from the /proc/version
	// banner, which carries both; from /proc/sys/kernel/osrelease and
	// /proc/sys/kernel/version when the banner is missing or not of the
	// kernel's shape. All come from the same utsname.
	Release string `json:"release"`
	Version string `json:"version"`
	// Banner is /proc/version verbatim (it carries the builder and compiler,
	// except under gVisor).
	Banner string `json:"banner"`
}

// CPU is what /proc/cpuinfo says, decoded. Zero values mean unknown.
type CPU struct {
	Vendor    string  `json:"vendor"`     // vendor_id ("GenuineIntel", "AuthenticAMD"); "ARM" on arm64 implementer 0x41
	ModelName string  `json:"model_name"` // model name (absent on arm64: then the decoded core, e.g. "Neoverse-N1")
	Count     int     `json:"count"`      // number of "processor" entries
	MHz       float64 `json:"mhz"`        // cpu MHz of the first CPU (x86), or BogoMIPS-free 0 on arm64
	CacheKB   int     `json:"cache_kb"`   // cache size (x86; the host L3 under Firecracker)
	Family    int     `json:"family"`     // cpu family (x86)
	Model     int     `json:"model"`      // model (x86)
	Stepping  int     `json:"stepping"`   // stepping (x86)
	// ARMImplementer and ARMPart: "CPU implementer" and "CPU part" (arm64),
	// as in the file ("0x41", "0xd0c").
	ARMImplementer string `json:"arm_implementer"`
	ARMPart        string `json:"arm_part"`
	// CoreName: the arm64 core decoded from implementer/part
	// ("Neoverse-N1"); "" elsewhere.
	CoreName string `json:"core_name,omitempty"`
	// Graviton: the AWS Graviton generation (1–5) an arm64 part implies; 0 if none.
	Graviton int `json:"graviton,omitempty"`
	// Microarchitecture where it can be named ("Haswell-EP", "Cascade
	// Lake-SP", "Zen 5", "Zen 4/5" when only the cache size speaks,
	// "Neoverse-N1"); "" if not.
	Microarchitecture string `json:"microarchitecture"`
	// Flags: selected cpuinfo flags that matter here ("hypervisor").
	HypervisorFlag bool `json:"hypervisor_flag"`

	// MicroarchitectureEvidence says which cpuinfo fields named the
	// microarchitecture and why they are trusted (Firecracker's CPU
	// templates rewrite the x86 family/model/stepping to 6/63/2 or
	// 6/62/4, so an AMD Zen family, or an Intel model other than 62 and
	// 63, is the host's own).
	MicroarchitectureEvidence []string `json:"microarchitecture_evidence"`
}

// HypervisorKind names the virtualisation under the kernel: one of the
// Hypervisor* constants.
type HypervisorKind string

// Hypervisor kinds.
const (
	HypervisorNone        HypervisorKind = "none"
	HypervisorXen         HypervisorKind = "xen"
	HypervisorKVM         HypervisorKind = "kvm"
	HypervisorFirecracker HypervisorKind = "firecracker"
	HypervisorNitro       HypervisorKind = "nitro"
	HypervisorGVisor      HypervisorKind = "gvisor"
	HypervisorHyperV      HypervisorKind = "hyperv"
	HypervisorVMware      HypervisorKind = "vmware"
	HypervisorQEMU        HypervisorKind = "qemu"
	HypervisorUnknown     HypervisorKind = "unknown"
)

// Hypervisor is the kind of virtualisation under the kernel we see, with the
// signals that decided it. "gvisor" means a gVisor sandbox whose VM (if
// any) is hidden.
type Hypervisor struct {
	Kind     HypervisorKind `json:"kind"`
	Evidence []string       `json:"evidence"`
}

// Container says whether we run inside a container layer (separate from the
// hypervisor: a Lambda sandbox in Firecracker is both).
type Container struct {
	Detected bool     `json:"detected"`
	Evidence []string `json:"evidence"`
	// cgroup is proc/self/cgroup as read ("" when absent or unreadable),
	// for package sandbox (see cgroupText).
	cgroup string
}

// DMI holds the world-readable SMBIOS strings (/sys/class/dmi/id/*).
type DMI struct {
	SysVendor       string `json:"sys_vendor,omitempty"`
	ProductName     string `json:"product_name,omitempty"`
	ProductVersion  string `json:"product_version,omitempty"`
	BIOSVendor      string `json:"bios_vendor,omitempty"`
	BIOSVersion     string `json:"bios_version,omitempty"`
	BoardVendor     string `json:"board_vendor,omitempty"`
	BoardAssetTag   string `json:"board_asset_tag,omitempty"`
	ChassisAssetTag string `json:"chassis_asset_tag,omitempty"`
}

// Confidence is how sure an inference is: one of the Confidence* constants.
type Confidence string

// Confidence levels of an inference.
const (
	ConfidenceHigh   Confidence = "high"
	ConfidenceMedium Confidence = "medium"
	ConfidenceLow    Confidence = "low"
	ConfidenceNone   Confidence = "none"
)

// Instance is what the evidence says about the EC2 instance beneath (if
// any). Candidates are sorted, most likely first; empty means unknown.
type Instance struct {
	TypeCandidates    []string   `json:"type_candidates"`
	FamilyCandidates  []string   `json:"family_candidates"`
	HostCPUCandidates []string   `json:"host_cpu_candidates"`
	Confidence        Confidence `json:"confidence"`
	Basis             []string   `json:"basis"`
}
