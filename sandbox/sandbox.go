package sandbox

import "github.com/faasprobe/faasprobe/hostinfo"

// Sandbox is everything Detect learned about the sandbox this process runs
// in: who it runs as, which sandbox it is, how it is isolated, what it may
// use and how many like it could share its VM. Its JSON form is the
// "sandbox" object of `faasprobe --json`. Lists are never null.
type Sandbox struct {
	// ID identifies this sandbox (execution environment). Never empty after
	// Detect: where the platform gives no id, a random one is made once per
	// process and IDScope says so.
	ID string `json:"id"`
	// IDSource names where ID came from: the env var
	// ("AWS_LAMBDA_LOG_STREAM_NAME", "CONTAINER_NAME", "WEBSITE_INSTANCE_ID",
	// "FLY_MACHINE_ID"), "proc/self/cgroup" (sandbox-root-XXXXXX), or
	// "crypto/rand" for the per-process random id (the kernel's CSPRNG:
	// getrandom(2) on Linux, as crypto/rand reads it there).
	IDSource string `json:"id_source"`
	// IDScope is "sandbox" when ID names the sandbox (shared by every process
	// in it and stable for its lifetime), "process" when it is the random
	// per-process id.
	IDScope string `json:"id_scope"`
	// IDNote explains a missing platform id where one is worth explaining
	// (Cloud Run keeps its instance id in the metadata server), else "".
	IDNote string `json:"id_note,omitempty"`
	// LogStream is AWS_LAMBDA_LOG_STREAM_NAME verbatim (OTel faas.instance);
	// "" if unset.
	LogStream string `json:"log_stream,omitempty"`

	// User is the name of UID in /etc/passwd ("sbx_user1051"); "" if
	// unknown or not listed.
	User string `json:"user"`
	// UID is the real uid: getuid(2) on the live machine, the first field
	// of proc/self/status "Uid:" in a recorded tree (the same figure); -1
	// if unknown.
	UID int `json:"uid"`
	// Group is the name of GID in /etc/group; "" if unknown.
	Group string `json:"group"`
	// GID is the real gid: getgid(2) live, the first field of
	// proc/self/status "Gid:" in a recorded tree; -1 if unknown.
	GID int `json:"gid"`

	// Isolation is how this sandbox is separated from others: one of the
	// Isolation* constants. IsolationUnknown when nothing decides.
	Isolation Isolation `json:"isolation"`
	// IsolationEvidence lists the signals that decided Isolation, in words.
	IsolationEvidence []string `json:"isolation_evidence"`

	Limits    Limits    `json:"limits"`
	CoTenants CoTenants `json:"co_tenants"`

	// BootID is /proc/sys/kernel/random/boot_id (or the host's, when given):
	// it changes with every boot of the (micro)VM; "" if unknown.
	BootID string `json:"boot_id"`
	// AvailabilityZoneID is the AZ id ("use1-az1", not a zone name) from the
	// Lambda metadata API; "" unless WithMetadataAPI is given and it answered.
	AvailabilityZoneID string `json:"availability_zone_id"`

	// Problems lists the sources that could not be read or parsed.
	Problems []Problem `json:"problems"`
}

// Problem is one source that could not be read or parsed (the same type as
// hostinfo's): Source is a path below the root, an env var name, or
// "metadata_api".
type Problem = hostinfo.Problem

// Isolation is how a sandbox is separated from others: one of the
// Isolation* constants.
type Isolation string

// Isolation kinds.
const (
	// IsolationSharedVM: many sandboxes in one VM (Xen-era Lambda).
	IsolationSharedVM Isolation = "shared_vm"
	// IsolationMicroVM: one sandbox per microVM (Firecracker).
	IsolationMicroVM Isolation = "microvm"
	// IsolationGVisor: a gVisor user-space kernel (Cloud Run gen1, Cloud
	// Functions gen1); the host is hidden.
	IsolationGVisor Isolation = "gvisor"
	// IsolationContainer: a container on a shared kernel.
	IsolationContainer Isolation = "container"
	// IsolationProcess: a plain process on a known machine, no sandbox layer.
	IsolationProcess Isolation = "process"
	// IsolationUnknown: no signal decides.
	IsolationUnknown Isolation = "unknown"
)

// ID scopes.
const (
	ScopeSandbox = "sandbox"
	ScopeProcess = "process"
)

// Limits is what this sandbox may use. Zero means unknown throughout; -1
// means explicitly unlimited where a limit can be unlimited.
type Limits struct {
	// MemoryLimitMB is the configured function memory: the memory variable
	// of the platform the environment names (AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
	// FLY_VM_MEMORY_MB, WEBSITE_MEMORY_LIMIT_MB, FC_FUNCTION_MEMORY_SIZE…;
	// docs/platforms.md), else the given host's Platform.MemoryLimitMB; 0
	// if unknown or garbage.
	MemoryLimitMB int `json:"memory_limit_mb"`
	// MemoryLimitSource names the env var MemoryLimitMB came from, or
	// "host" (hostinfo Platform); "" if unknown.
	MemoryLimitSource string `json:"memory_limit_source"`
	// VCPUEntitlement is Lambda's CPU share: MemoryLimitMB / 1769, at most
	// 6, rounded to 3 decimals (128 MB → 0.072). 0 outside AWS Lambda.
	VCPUEntitlement float64 `json:"vcpu_entitlement"`

	// CgroupVersion is "v1", "v2" or "hybrid" (v1 controllers plus an
	// empty v2 hierarchy), from /proc/self/mountinfo; "" if unknown.
	CgroupVersion string `json:"cgroup_version"`
	// CgroupMemoryLimitBytes is the tightest memory limit on the path from
	// our cgroup up to its mount: v2 memory.max, v1
	// memory/memory.limit_in_bytes. -1 unlimited, 0 unknown.
	CgroupMemoryLimitBytes int64 `json:"cgroup_memory_limit_bytes"`
	// CgroupMemoryFile is the file (below the root) that set it.
	CgroupMemoryFile string `json:"cgroup_memory_file,omitempty"`
	// CgroupCPULimit is the tightest CPU bandwidth limit in CPUs: v2 cpu.max
	// quota/period, v1 cpu.cfs_quota_us / cpu.cfs_period_us. -1
	// unlimited, 0 unknown.
	CgroupCPULimit float64 `json:"cgroup_cpu_limit"`
	// CgroupCPUFile is the file (below the root) that set it.
	CgroupCPUFile string `json:"cgroup_cpu_file,omitempty"`
	// CgroupPidsLimit is the tightest pids.max (v2, or v1 pids/pids.max).
	// -1 unlimited, 0 unknown.
	CgroupPidsLimit int64 `json:"cgroup_pids_limit"`

	// VisibleCPUs counts /sys/devices/system/cpu/online; 0 if unknown.
	VisibleCPUs int `json:"visible_cpus"`
	// NumCPU is runtime.NumCPU() (the CPUs this process may run on); live
	// machine only, 0 on a recorded tree.
	NumCPU int `json:"num_cpu"`

	// Tmp is statfs("/tmp"): live Linux machine only; omitted when unknown
	// (always on a recorded tree).
	Tmp Filesystem `json:"tmp,omitzero"`

	// MaxOpenFiles is the soft "Max open files" of /proc/self/limits
	// (getrlimit(2) RLIMIT_NOFILE on the live machine, the same value); -1
	// unlimited, 0 unknown.
	MaxOpenFiles int64 `json:"max_open_files"`
	// MaxProcesses is the soft "Max processes" of /proc/self/limits
	// (getrlimit(2) RLIMIT_NPROC on the live machine); -1 unlimited, 0
	// unknown.
	MaxProcesses int64 `json:"max_processes"`
}

// Filesystem is the size of a mounted file system, from statfs(2).
type Filesystem struct {
	Path      string `json:"path"`
	SizeBytes uint64 `json:"size_bytes"` // f_blocks × f_frsize
	FreeBytes uint64 `json:"free_bytes"` // f_bavail × f_frsize (free to unprivileged users)
}

// CoTenants estimates how many sandboxes of this size the VM under us could
// hold. PerVM is 0 whenever the evidence does not carry a number.
type CoTenants struct {
	PerVM      int                 `json:"per_vm"`
	Basis      string              `json:"basis"` // how PerVM was reached, in words
	Confidence hostinfo.Confidence `json:"confidence"`
}
