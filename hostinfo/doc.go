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
// # How it decides
//
// The platform comes from the environment (AWS Lambda, ECS, Cloud Run,
// Cloud Functions, Azure Functions, Fly Machines, Alibaba Function
// Compute, … and the platforms that run on Lambda), refined by machine
// facts where the environment is silent (EC2 from DMI alone, Knative
// variables on a Google machine are Cloud Run). The hypervisor comes from
// an ordered table of rules over /proc, /sys and DMI; the first rule that
// matches decides and names its evidence. docs/platforms.md lists the
// rules, and docs/sources.md the files and variables read (below the root:
// "/" by default, a recorded tree with WithRoot).
//
// # Output
//
// Host marshals to `faasprobe --json`'s schema (docs/schema.md); LogValue
// renders a slog group; Attributes returns OpenTelemetry attributes
// (host.*, cloud.*, faas.*, aws.ecs.launchtype) plus faasprobe.* for facts
// no convention covers.
package hostinfo
