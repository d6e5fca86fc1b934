// Package sandbox tells a function who and where its sandbox is: the user it
// runs as, the sandbox (execution environment) id, how it is isolated from
// other sandboxes, what it may use, and how many sandboxes of its size the
// VM under it could hold.
//
//	s, err := sandbox.Detect() // err only when a source failed; s is always usable
//	slog.Info("faasprobe.sandbox", "sandbox", s)
//
// Detect reads afresh on every call (about a dozen small files; it costs
// about as much as reading them); call it once at init. Importing the
// package does no work.
//
// # Files read (below the root; "/" by default, a recorded tree with WithRoot)
//
//   - proc/self/status: "Uid:" and "Gid:" (the real ids); in a recorded tree
//     only: the live process asks getuid(2) and getgid(2), which return the
//     same figures for a fraction of the cost
//   - etc/passwd, etc/group: the names of those ids (never a command)
//   - proc/self/cgroup: our cgroups; Lambda's "sandbox-root-XXXXXX" id
//     (unless the host facts carry the file: hostinfo reads it too)
//   - proc/self/mountinfo: where the cgroup hierarchies are mounted (read only
//     when proc/self/cgroup lists something). On the live machine it is
//     read only when the layout is not the conventional one: statfs(2) of
//     /sys/fs/cgroup and of our directories below it (cgroup2 there, or
//     v1 hierarchies named after their controllers on a tmpfs, with
//     cgroup2 at unified when hybrid) vouches for the same mounts for a
//     fraction of the cost
//   - under the cgroup mounts, from our cgroup up to the mount point:
//     v2 memory.max, cpu.max, pids.max; v1 memory.limit_in_bytes,
//     cpu.cfs_quota_us (+ cpu.cfs_period_us under a quota), pids.max
//   - sys/devices/system/cpu/online
//   - proc/self/limits: "Max open files", "Max processes" (soft limits); in a
//     recorded tree only, as above: live, getrlimit(2) gives the same values
//   - proc/sys/kernel/random/boot_id (unless the host facts carry it)
//
// The canonical list of these paths is internal/sources (the recorder
// writes exactly those); its TestListMatchesReaders keeps it in step with
// the code.
//
// On the live machine only: runtime.NumCPU() and statfs("/tmp") (Linux);
// getuid, getgid and getrlimit in place of proc/self/status and limits;
// statfs of the cgroup mounts in place of proc/self/mountinfo (above).
// The /proc and cgroup files are parsed by small pure parsers
// (internal/procfile, internal/cgroupfs; each fuzzed) rather than through
// prometheus/procfs, whose package init costs more than this whole
// package; procfs is their oracle in differential tests.
//
// # Environment variables
//
//   - AWS_LAMBDA_LOG_STREAM_NAME: "YYYY/MM/DD/[VERSION]GUID" or
//     "YYYY/MM/DD/PREFIX[VERSION]GUID"; the 32-hex GUID is the sandbox id and
//     the whole value is OTel faas.instance. The Runtime Interface Emulator's
//     plain "$LATEST" names no sandbox.
//   - CONTAINER_NAME, WEBSITE_INSTANCE_ID: Azure ids, used only when
//     WEBSITE_SITE_NAME or FUNCTIONS_WORKER_RUNTIME (or the host) says
//     Azure: CONTAINER_NAME alone is set on many other machines.
//   - FLY_MACHINE_ID: the Fly Machine id.
//   - AWS_LAMBDA_FUNCTION_MEMORY_SIZE, FLY_VM_MEMORY_MB,
//     WEBSITE_MEMORY_LIMIT_MB, FC_MEMORY_SIZE: configured memory (MB).
//   - AWS_LAMBDA_FUNCTION_NAME, AWS_LAMBDA_INITIALIZATION_TYPE, FLY_APP_NAME,
//     K_SERVICE, FUNCTION_TARGET: the platform, when the host facts name none.
//   - AWS_LAMBDA_METADATA_API, AWS_LAMBDA_METADATA_TOKEN: only with
//     WithMetadataAPI. The token is sent as a bearer token and nowhere else:
//     it is never stored, logged or put in an error.
//
// # Host facts
//
// Isolation and the co-tenant estimate start from hostinfo: the hypervisor
// kind, whether a container layer was seen, the platform, MemTotal. Detect
// calls hostinfo.Detect with the same root and environment unless WithHost
// gives a Host (then it reads nothing of the host's). hostinfo's own problems
// are not repeated in Sandbox.Problems.
//
// # Isolation
//
// The first matching rule of the table in isolation.go decides:
//
//	gvisor            hypervisor gvisor                               → gvisor
//	xen-lambda        Lambda on Xen                                   → shared_vm (high)
//	sbx-slot          Lambda, user sbx_userN with N > 1051, not FC    → shared_vm (medium)
//	sandbox-root-vm   Lambda, sandbox-root cgroup, Nitro VM           → shared_vm (medium)
//	firecracker       hypervisor firecracker                          → microvm (high)
//	lambda-microvm    Lambda with a log-stream GUID, not Xen          → microvm (medium)
//	fly               Fly Machines                                    → microvm (medium)
//	lambda-managed-…  Lambda Managed Instances                        → container
//	container         a container layer                               → container
//	process           a known machine, nothing else                   → process
//	(none)                                                            → unknown
//
// Co-tenants: shared_vm → floor(MemTotal / function memory) (29 × 128 MB on
// the 2017 c4.large, MemTotal 3857664 kB), confidence medium; microvm → 1;
// everything else, or a missing input → 0 with confidence "none". The basis
// says which, in words.
//
// # Unknown
//
// Unknown is a value, not an error: "" for strings, -1 for UID and GID, 0
// for limits (with -1 meaning explicitly unlimited for the cgroup and rlimit
// fields), IsolationUnknown, CoTenants{PerVM: 0, Confidence: "none"}, and
// Limits.Tmp omitted. A missing file is not a problem; an unreadable or
// garbled one is (Problems lists it, the error joins them, the other facts
// stay). The id is never empty: without a platform id it is a random
// 32-hex id made once per process (IDSource "crypto/rand": the kernel's
// CSPRNG, read with getrandom(2) on Linux), with IDScope "process".
// Cloud Run and Cloud Functions have no id outside their metadata server,
// which is not queried; IDNote says so.
//
// # Platforms
//
// AWS Lambda (Xen era ≤ 2018, Firecracker era, Managed Instances, the
// Runtime Interface Emulator; Vercel and Netlify functions run on it), Azure
// Functions, Fly Machines, Google Cloud Run / Cloud Functions (gVisor gen1),
// containers, plain machines; Linux for the file facts, anything for the
// environment facts.
package sandbox
