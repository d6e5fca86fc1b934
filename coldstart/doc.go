// Package coldstart tells a serverless handler whether the invocation it is
// serving is cold, and why, and keeps the sandbox's lifetime figures.
//
//	lambda.StartWithOptions(coldstart.Wrap(handler), coldstart.LogStatsOnShutdown(nil))
//
//	func handler(ctx context.Context, in Event) (Out, error) {
//		inv, _ := coldstart.FromContext(ctx) // inv.Cold, inv.Reason, inv.Seq, …
//		…
//	}
//
// Observe (or a Wrap'd handler) records one invocation. The first invocation
// of a tracker is judged:
//
//   - AWS_LAMBDA_INITIALIZATION_TYPE=provisioned-concurrency or
//     lambda-managed-instances: not cold (init ran before any request).
//   - snap-start: cold, reason "snap-start": the caller waited for the
//     snapshot restore. The proactive rule is not applied, because the gap
//     from init end then includes the time the snapshot was stored.
//   - on-demand, or unset (outside Lambda): cold ("on-demand") unless it
//     arrived more than 10 s (WithProactiveThreshold) after init end, in
//     which case it is "proactive-init" and not cold: Lambda initialised the
//     sandbox ahead of demand (the Datadog / OTel JS rule).
//   - any other value: reason "unknown", cold by the proactive rule alone,
//     and a problem in SandboxStats.Problems (the value is not repeated).
//
// Every later invocation is "warm". Init end is, strongest first: InitDone
// or WithInitDone; the latest Wrap/WrapHandler call before the first
// invocation; the process start read from /proc (a lower bound of init end;
// Lambda's init phase is itself limited to 10 s); the first invocation
// (which then cannot be proactive-init). Invocation.InitSource says which.
//
// # Cost
//
// Nothing happens at import. The first use of a package-level function
// creates the process-wide tracker, which reads /proc once (New does the
// same for a Tracker of your own). After the first invocation, Observe does
// not allocate and makes no system call: one monotonic clock read (a vDSO
// call on Linux) and two atomic read-modify-writes. Wrap adds one
// allocation (the context that carries the facts) and a second clock read.
//
// # Files read (below the root, once, by New)
//
//   - /proc/self/stat: field 22, starttime (clock ticks of USER_HZ = 100
//     since boot). comm (field 2) may hold spaces and parentheses.
//   - /proc/uptime: seconds since boot, to turn starttime into the process's
//     age (10 ms resolution), and the sandbox age.
//   - /proc/stat: btime, only if /proc/uptime is unusable (whole seconds:
//     the start is then up to 1 s early; source "proc-btime").
//
// # Environment variables
//
//   - AWS_LAMBDA_INITIALIZATION_TYPE: the init type (above).
//   - AWS_LAMBDA_FUNCTION_NAME, AWS_LAMBDA_FUNCTION_MEMORY_SIZE:
//     PowertoolsAttrs and the EMF function_name dimension.
//   - POWERTOOLS_METRICS_NAMESPACE, POWERTOOLS_SERVICE_NAME,
//     POWERTOOLS_METRICS_FUNCTION_NAME: EMF names, when no option gives
//     them (as Powertools reads them).
//
// No other variable is read, and no value is printed except the function
// name, the memory size and the EMF names above: credentials
// (AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_LAMBDA_METADATA_TOKEN…)
// never reach any output of this package.
//
// # Unknown
//
//   - No /proc (macOS, Windows) or an unusable one: ProcessStartSource is
//     "tracker-created" and the tracker's creation stands in for the process
//     start; SandboxAgeMs is 0. Files that exist but do not parse are listed
//     in SandboxStats.Problems.
//   - A duration that would be negative (an injected clock stepping back,
//     init end after the invocation) is 0 with Invocation.Clamped set.
//   - Busy and idle time are 0 when only Observe is used (it sees no ends).
//
// # Output
//
// Invocation marshals to JSON ({"first","cold","reason","seq",…}), renders
// as a slog group (LogValue), and gives OpenTelemetry attributes
// (Attributes: faas.coldstart, faas.invocation_id, then faasprobe.coldstart.*).
// PowertoolsAttrs gives the AWS Lambda Powertools logger keys. WithEMF
// writes Powertools' ColdStart metric as one CloudWatch Embedded Metric
// Format line, on the cold invocation only.
//
// Platforms: AWS Lambda (all init types, including Managed Instances, where
// many handler goroutines share the process), and any long-running process
// (Cloud Run, containers), where "on-demand" and "proactive-init" keep their
// meaning. Process start and sandbox age need Linux's /proc.
package coldstart
