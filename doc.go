// Package faasprobe lets a serverless function see the server under it, in
// one line of main:
//
//	func main() { faasprobe.Start(handle) } // instead of lambda.Start(handle)
//
// Start detects the host and sandbox facts once, out of the function's init
// (beside the first invocation's handler), and logs them as one startup
// line; it runs handle with aws-lambda-go, logging one
// invocation line per invocation (is it cold, and why), and answering
// keep-warm pings before handle's own decoding. The lines are JSON in
// Lambda's JSON log format; `faasprobe fleet` and the CloudWatch Logs
// Insights queries of docs/fleet.md read them unchanged. docs/schema.md is
// their schema, and that of `faasprobe --json` (Facts).
//
// Start takes the handler shapes lambda.Start takes, and aws-lambda-go's
// options (lambda.WithDisallowUnknownFields, WithUseNumber,
// WithSetEscapeHTML, WithEnableSIGTERM, WithContext…) behave as they do
// with lambda.StartWithOptions. New with options (WithLogger,
// WithColdStart, WithWarmer…) and Probe.Start configure more.
// WithVMStats (or FAASPROBE_VM_STATS=1) adds to each invocation line the
// VM's memory available and CPU split since the previous one, steal
// included, for one pread of /proc/stat and of /proc/meminfo per
// invocation (about 15 µs; docs/performance.md).
//
// Unknown facts are the schema's unknown values ("", 0, [], "unknown"),
// never a missing key; a file that cannot be read is a problem in the
// startup line, never a failed init; a logger that fails to write never
// fails an invocation.
package faasprobe
