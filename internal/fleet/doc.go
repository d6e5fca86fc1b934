// Package fleet analyses the logs of a fleet of faasprobe-instrumented
// functions: the machinery of `faasprobe fleet`.
//
//	a := fleet.New(fleet.WithBin(5 * time.Minute))
//	err := a.Read("app.log", f, size) // as many inputs as needed; never fails on content
//	res := a.Result()                 // sandboxes, VMs, cold starts, lifetimes, hosts, series
//	rows, omitted := a.Rows(300)      // the timeline, for package fleet/timeline
//
// # What it reads
//
// Log records as they come out of CloudWatch Logs (docs/fleet.md has every
// line format, with examples):
//
//   - faasprobe's lines as internal/logline writes them (or slog's default
//     keys, "msg" and "time"): the startup line ("faasprobe.startup",
//     "sandbox_id" and the "platform", "host" and "sandbox" objects of
//     `faasprobe --json`), the invocation line ("faasprobe.invocation",
//     "sandbox_id", "invocation"; with a "ping" object, a keep-warm ping,
//     counted apart) and the shutdown line ("faasprobe.shutdown", "stats",
//     and the extension's "shutdown": exact lifetimes);
//   - Lambda's REPORT records: text ("REPORT RequestId: …") and the JSON
//     log format's {"type":"platform.report",…};
//   - wrapped in any of: raw lines, `aws logs tail` output (detailed,
//     short, json), `aws logs filter-log-events` / `get-log-events` JSON,
//     subscription-filter payloads, CloudWatch exports to S3, one event
//     object per line; gzip-compressed or not.
//
// Every record is counted under one Kind; the ones it does not use are
// skipped, never fatal. Read returns an error only when the input itself
// cannot be read.
//
// # How
//
// One pass, streaming: lines are parsed by a small allocation-free JSON
// walker (encoding/json costs ten times more per line here), and state is
// kept per sandbox, per VM, per function and per time bin — never per line.
// Memory is bounded by the sandboxes tracked (WithMaxSandboxes) and the
// bins (WithMaxBins); distributions over sandboxes are exact, those over
// REPORT records use a bounded uniform sample. Results do not depend on the
// order of the lines, except that a REPORT counts towards its sandbox's
// span only when read after one of the sandbox's own lines (always so in
// time order).
//
// # Unknown
//
// Times are zero when no record carried one; a sandbox without a startup
// line has no VM and no function; rates are 0 when their denominator is.
//
// The package does no IO of its own beyond the readers it is given, and
// imports no plotting code (package timeline does, for cmd/faasprobe).
package fleet
