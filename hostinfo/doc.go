// Package hostinfo tells a function which machine it runs on: platform,
// CPU, memory, kernel, boot id, hypervisor (Xen, Firecracker, Nitro,
// gVisor, Hyper-V, …), container layer, network drivers, and which EC2
// instance family and type it most likely is, with the evidence and a
// confidence.
//
//	h, err := hostinfo.Detect()   // reads afresh; cache it yourself
//	slog.Info("faasprobe.host", "host", h) // Host is a slog.LogValuer
//
// Detect never panics and never returns a nil or half-made Host: when a
// source fails, the Host carries everything else plus a Problem naming the
// source, and the error joins the failures. A source that does not exist
// on a platform (no /sys/class/dmi under Firecracker, no /proc/modules in a
// gVisor sandbox) is not a problem: its facts are "unknown".
//
// # Unknown
//
// Strings are "" and numbers 0 when unknown; Hypervisor.Kind is "unknown";
// Instance.Confidence is "none" with empty candidate lists. Lists are never
// nil (JSON shows []).
//
// # Sources (below the root, "/" by default; WithRoot reads a recorded tree)
//
//	/proc/cpuinfo                         CPU vendor, model name, count, MHz, cache, family/model/stepping, arm64 implementer/part, hypervisor flag
//	/proc/meminfo                         MemTotal, MemFree, MemAvailable
//	/proc/version                         kernel banner (gVisor's synthetic form is a signal), release and version (uname -r, -v)
//	/proc/sys/kernel/osrelease, version   kernel release and version, only when /proc/version lacks them
//	/proc/sys/kernel/random/boot_id       boot id (one per VM boot: the VM's identity)
//	/proc/stat                            btime (boot time)
//	/proc/uptime                          uptime and idle time
//	/proc/sys/kernel/hostname             host name (OTel host.name)
//	/etc/machine-id, /var/lib/dbus/machine-id   machine id (OTel host.id), the first that holds one
//	/proc/self/sessionid                  audit session id
//	/proc/cmdline                         Firecracker's default kernel arguments; gVisor's
//	/proc/modules                         NIC driver modules (ixgbevf, ena, …)
//	/proc/sentry-meminfo                  exists only under gVisor
//	/proc/self/cgroup                     container and FaaS-sandbox cgroup paths
//	/sys/class/dmi/id/*                   world-readable SMBIOS strings (vendor, product_name = EC2 type on Nitro, BIOS, asset tags)
//	/sys/hypervisor/type, uuid            Xen guests (the uuid only when the type is xen)
//	/sys/devices/system/clocksource/clocksource0/current_clocksource
//	/sys/class/net/*/device/driver        NIC drivers: the link's target, on the live machine
//	/sys/class/net/*/device/uevent        NIC drivers (DRIVER=), in recorded trees (which hold no links)
//	/sys/firmware/acpi/tables/DSDT        first 16 bytes: OEM id FIRECK under Firecracker (root-only; silently skipped when unreadable)
//	/sys/firmware/devicetree/base/compatible   arm64 "linux,dummy-virt" (not read on x86)
//	/.dockerenv, /run/.containerenv       container markers
//	environment                           platform (see below); with WithRoot, the file <root>/env
//
// Instance inference reads nothing itself: it matches the CPU model (or
// Firecracker's masked brand plus the cache size, or the arm64 part), the
// vCPU count and MemTotal against the EC2 tables compiled into
// internal/ec2data (copied from vantage-sh/ec2instances.info measurements
// and public CPU references; see internal/ec2data/source/SOURCE.md).
// On Nitro the DMI product_name names the type exactly.
//
// The canonical list of these paths is internal/sources (the recorder
// writes exactly those); its TestListMatchesReaders keeps it in step with
// the code.
//
// # Environment variables consulted (names only ever appear in evidence, never values)
//
// AWS Lambda: AWS_LAMBDA_FUNCTION_NAME, AWS_LAMBDA_FUNCTION_VERSION,
// AWS_LAMBDA_FUNCTION_MEMORY_SIZE, AWS_REGION, AWS_EXECUTION_ENV,
// AWS_LAMBDA_INITIALIZATION_TYPE; ECS_CONTAINER_METADATA_URI(_V4).
// Vercel: VERCEL, VERCEL_REGION. Netlify: NETLIFY, SITE_ID, SITE_NAME.
// Google: FUNCTION_TARGET, FUNCTION_REGION, FUNCTION_MEMORY_MB, K_SERVICE,
// K_REVISION, CLOUD_RUN_JOB, CLOUD_RUN_EXECUTION, CLOUD_RUN_WORKER_POOL,
// GAE_SERVICE, GAE_VERSION, GAE_RUNTIME, GOOGLE_RUNTIME. Azure:
// FUNCTIONS_WORKER_RUNTIME, FUNCTIONS_EXTENSION_VERSION, WEBSITE_SITE_NAME,
// WEBSITE_MEMORY_LIMIT_MB, REGION_NAME, CONTAINER_APP_NAME. Fly:
// FLY_MACHINE_ID, FLY_APP_NAME, FLY_REGION, FLY_VM_MEMORY_MB. Alibaba:
// FC_FUNCTION_NAME, FC_REGION, FC_FUNCTION_MEMORY_SIZE. IBM: CE_APP,
// CE_JOB. OpenFaaS: fprocess. Containers: container,
// KUBERNETES_SERVICE_HOST.
//
// # Platforms covered
//
// AWS Lambda (Xen era and Firecracker, x86 and Graviton, Managed
// Instances), EC2 (Xen and Nitro, from DMI alone), ECS, Vercel and Netlify
// (on Lambda), Cloud Run (services, jobs, worker pools), Cloud Functions,
// App Engine and Compute Engine, Azure Functions, Container Apps and VMs,
// Fly Machines, Alibaba Function Compute, IBM Code Engine, Knative,
// OpenFaaS. On macOS and Windows (development machines) the CPU, memory and
// kernel facts come from gopsutil and the platform from the environment.
//
// # Output
//
// Host marshals to the JSON schema of `faasprobe --json` (without its
// "sandbox" object); Host.LogValue renders a compact slog group;
// Host.Attributes returns OpenTelemetry attributes (host.*, cloud.*,
// faas.name, faas.max_memory in bytes) plus faasprobe.* for facts no
// convention covers.
package hostinfo
