// Package sandbox tells a function who and where its sandbox is: the user it
// runs as, the sandbox (execution environment) id, how it is isolated from
// other sandboxes, what it may use, and how many sandboxes of its size the
// VM under it could hold.
//
//	s, err := sandbox.Detect() // err only when a source failed; s is always usable
//	slog.Info("faasprobe.sandbox", "sandbox", s)
//
// Detect reads afresh on every call (about a dozen small files below the
// root, listed in docs/sources.md; it costs about as much as reading them);
// call it once at init. Importing the package does no work.
//
// Isolation and the co-tenant estimate start from hostinfo (the hypervisor,
// whether a container layer was seen, the platform, MemTotal): Detect calls
// hostinfo.Detect with the same root and environment unless WithHost gives
// a Host. The first matching row of an ordered table decides the isolation
// (gVisor, a VM shared by sandboxes, a microVM per sandbox, a container, a
// plain process) and names its evidence; rows that rest on a platform's
// documentation rather than on what the files show (an ECS task on
// Fargate, a Cloud Run job) say so with medium confidence.
// docs/platforms.md lists the rows in order.
//
// # Unknown
//
// Unknown is a value, not an error: "" for strings, -1 for UID and GID, 0
// for limits (with -1 meaning explicitly unlimited for the cgroup and rlimit
// fields), IsolationUnknown, CoTenants{PerVM: 0, Confidence: "none"}, and
// Limits.Tmp omitted. A missing file is not a problem; an unreadable or
// garbled one is (Problems lists it, the error joins them, the other facts
// stay). The id is never empty: without a platform id it is a random
// 32-hex id made once per process (IDSource "crypto/rand"), with IDScope
// "process". Cloud Run and Cloud Functions have no id outside their
// metadata server, which is not queried; IDNote says so.
//
// Platforms: AWS Lambda (Xen era, Firecracker era, Managed Instances, the
// Runtime Interface Emulator; Vercel and Netlify functions run on it), ECS,
// Azure Functions, Fly Machines, Cloud Run and Cloud Functions, containers,
// plain machines; Linux for the file facts, anything for the environment.
package sandbox
