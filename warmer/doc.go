// Package warmer keeps serverless sandboxes warm with pings that work with
// concurrency, are verified, and can be costed.
//
// Inside the function, Wrap answers pings before any typed unmarshal and
// passes everything else to the handler untouched:
//
//	lambda.Start(warmer.Wrap(lambda.NewHandler(coldstart.Wrap(handle))))
//
// On the scheduler's side, Ping sends N concurrent pings per target and
// reports how many distinct sandboxes answered; Start does it in a loop for
// long-running hosts; Advise says from invocation history whether warming
// is worth it at all. warmer/lambdainvoke is the aws-sdk-go-v2 Invoker
// (a separate package, so that Wrap does not link the SDK into every
// function); warmer/schedule validates EventBridge schedule expressions.
//
// # Pings Wrap recognises
//
// Only a payload of at most MaxPingBytes (4 KiB) whose first non-space byte
// is '{' and that contains one of the markers below (a byte scan) is
// decoded at all; every other payload costs a length check, or that and one
// scan, and goes to the handler as the same slice. Keys are matched exactly
// and at the top level only (a ping inside an API Gateway body is not one).
//
//   - Ours (Ping): {"warmer":true,"faasprobe_ping":1,
//     "__WARMER_INVOCATION__":i,"__WARMER_CONCURRENCY__":N,
//     "__WARMER_CORRELATIONID__":"…"} — lambda-warmer's fanned shape, so a
//     Node.js lambda-warmer target understands it as well and holds
//     without fanning out again.
//   - lambda-warmer: {"warmer":true,"concurrency":N} (the first receiver,
//     which may fan out, with WithFanOut) and the fanned shape above.
//     "warmer" must be JSON true; counts may be numbers or numeric strings.
//   - serverless-plugin-warmup: {"source":"serverless-plugin-warmup"} as the
//     payload (an optional "concurrency" is honoured), or as the client
//     context's custom "source" (lambdacontext ClientContext.Custom).
//   - EventBridge: a "Scheduled Event" from "aws.events" whose rule ARN (in
//     "resources") names a rule containing RuleMarker ("faasprobe-warm").
//
// # Concurrency and the cap
//
// A ping asking for N > 1 sandboxes is held (WithHold, default 75 ms) so
// that N concurrent pings cannot all be answered by one sandbox. N is capped
// by WithMaxConcurrency (default 10) before it is used: a forged
// {"warmer":true,"concurrency":10000} holds one reply 75 ms and, with
// WithFanOut, invokes at most 9 more pings, which never fan out again. The
// reply says when it capped.
//
// # Pings and the cold-start facts
//
// Wrap counts every invocation (pings and user invocations) on a
// coldstart.Tracker of its own, made by Wrap and marked init-done there;
// the reply's first, cold, seq and sandbox_age_ms come from it. The user
// handler is never called for a ping, so its coldstart tracker (by default
// the process-wide one) does not count pings: its Seq is the number of user
// invocations. A ping that is its sandbox's first invocation reports
// first=true and, unless the sandbox was initialised ahead of demand
// (proactive-init, provisioned concurrency), cold=true: the ping paid that
// cold start. Wrap then tells the user's tracker (coldstart.Warmed, or the
// one given by WithUserTracker), so the first user invocation after it is
// still First (seq 1) on the user's tracker but not cold: reason "warm",
// since a ping, not the user, waited for the init. Replies carry
// user_invocations so that a sender can tell the two apart.
//
// # Files read and environment variables
//
// Importing the package does nothing. Wrap makes its tracker unless
// WithTracker gives one (coldstart.New: /proc/self/stat, /proc/uptime, and
// AWS_LAMBDA_INITIALIZATION_TYPE; tens of microseconds, at init). The first
// ping runs sandbox.Detect without host facts for the sandbox id, unless
// WithSandbox gives it (AWS_LAMBDA_LOG_STREAM_NAME and the files package
// sandbox lists; the id is a per-process random one when the platform
// gives none, as under the Runtime Interface Emulator). Ping, Start and
// Advise read nothing. No credential is read here, and nothing is printed
// but the WithLogger line per ping (the reply) and Start's default
// per-round line (the report).
//
// # Cost on the invocation path
//
// Measured on the 2-core build machine (go test -bench, same run): a
// non-ping costs a length check, a scan and a context lookup (≈130 ns for
// a 1.1 KB API Gateway event, 0.5% of json.Unmarshal into map[string]any;
// ≈13 ns for 100 KB, which is over MaxPingBytes), then one Observe on
// Wrap's tracker; no allocation. A ping is decoded (≈5 µs) and answered.
//
// # Unknown
//
// A reply's sandbox_age_ms is 0 where /proc is missing; sandbox_id_scope
// "process" means the id is per process (one process per sandbox on
// Lambda, so still one id per sandbox there). On the sender's side an
// answer that is not a warmer reply counts as an error and as NotWarmer.
//
// Platforms: AWS Lambda (the payload shapes above are Lambda's), and any
// host of a byte-level aws-lambda-go handler, such as the Runtime
// Interface Emulator.
package warmer
