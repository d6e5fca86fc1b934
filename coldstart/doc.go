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
// The first invocation of a tracker is judged by
// AWS_LAMBDA_INITIALIZATION_TYPE: provisioned-concurrency and
// lambda-managed-instances are not cold (init ran before any request);
// snap-start is cold (the caller waited for the restore); on-demand, or
// unset outside Lambda, is cold unless it arrived more than 10 s
// (WithProactiveThreshold) after init end: then it is "proactive-init" and
// not cold, as Lambda initialised the sandbox ahead of demand. Any other
// value gives reason "unknown", judged by the proactive rule alone. Every
// later invocation is "warm". Init end is, strongest first: InitDone or
// WithInitDone; the latest Wrap before the first invocation; the process
// start read from /proc; the first invocation. Invocation.InitSource says
// which.
//
// Nothing happens at import. New (or the first use of a package-level
// function) reads three small /proc files once (docs/sources.md); after the
// first invocation, Observe does not allocate and makes no system call.
//
// # Unknown
//
// Without a usable /proc (macOS, Windows) ProcessStartSource is
// "tracker-created" and SandboxAgeMs is 0; a file that does not parse is
// listed in SandboxStats.Problems. A duration that would be negative is 0
// with Invocation.Clamped set.
//
// Invocation marshals to JSON, renders as a slog group and gives
// OpenTelemetry attributes (faas.coldstart, faas.invocation_id,
// faasprobe.coldstart.*); PowertoolsAttrs gives the Powertools logger keys,
// and WithEMF writes Powertools' ColdStart metric on the cold invocation.
package coldstart
