// Command faasprobe-extension is a Lambda external extension: put it in a
// layer as extensions/faasprobe and every function that uses the layer, in
// any runtime (Python, Node.js, Java…), logs faasprobe's lines without a
// line of faasprobe in its code.
//
// It registers with the Extensions API (2020-01-01, on
// AWS_LAMBDA_RUNTIME_API) for INVOKE and SHUTDOWN and calls event/next at
// once (Lambda's init waits for it); meanwhile it detects the host and the
// sandbox (faasprobe.Detect) and logs the startup line. Then, for each
// INVOKE, the invocation line (first, cold, reason and seq as coldstart
// judges them from the extension's own view: its init ends when it has
// registered, and the first INVOKE is its first invocation);
// at SHUTDOWN, the shutdown line with
// "shutdown":{"reason":"spindown|timeout|failure","lifetime_ms":N}, the
// exact lifetime from the extension's process start. A reason Lambda does
// not document is "unknown" (the raw one under "reason_raw").
// With FAASPROBE_VM_STATS=1 in the function's environment, each invocation
// line also carries the "vm" object (faasprobe.WithVMStats): the VM's memory
// available and CPU split, steal included, since the previous INVOKE.
//
// Every line the extension writes has "source":"extension". A Go function
// that also uses the faasprobe library logs its own invocation lines (no
// "source") for the same sandbox_id and requestId: readers keep one line
// per (sandbox_id, requestId), the library's, and take the shutdown line
// from the extension (the library writes one only when asked, and without
// a reason). docs/fleet.md says how faasprobe fleet does it.
//
// Lines go to stdout through a bounded queue and one writer goroutine: a
// line never blocks the extension's next call (which ends the invocation);
// when the queue is full a line is dropped and counted ("dropped_lines" in
// the shutdown line). On bad input (no AWS_LAMBDA_RUNTIME_API, a refused
// registration, an API error or a malformed event) it writes one
// "faasprobe.extension.error" line to stderr, posts exit/error when it is
// registered, and exits 1; no call can hold the function's init longer
// than 2 s. After SHUTDOWN it exits within 1 s.
//
// Build (see README): CGO_ENABLED=0 GOOS=linux go build -tags lambda.norpc
// -o extensions/faasprobe ./cmd/faasprobe-extension.
package main
