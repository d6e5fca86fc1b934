// Package fleetgen writes synthetic fleet logs with known answers: the log
// lines a fleet of Lambda sandboxes running examples/hello would leave in
// CloudWatch, in the formats `faasprobe fleet` reads, together with the
// Truth the analysis must find in them.
//
// The lines are made the way hello makes them: real hostinfo.Host,
// sandbox.Sandbox and coldstart.Invocation values logged through a slog
// JSON handler with lambdacontext.ReplaceAttr, so their shape is the
// library's (the tests of this package check it against hello run under
// the Runtime Interface Emulator). Hosts come from recorded scenario trees
// (testdata/scenarios, read with hostinfo.Detect(WithRoot)), so the CPU and
// instance facts are what the library really infers on those platforms.
//
// The model, per sandbox: a function, a VM (SandboxesPerVM sandboxes share
// one boot id; 1 is the Firecracker era), an init time uniform in the span,
// a lifetime, a number of invocations. The first invocation is cold
// (on-demand, within milliseconds of init), proactive (10–60 s after init,
// not cold) or provisioned; a share of sandboxes started before the window
// (no startup line, no first invocation, invocation.seq not starting at 1).
// Optional REPORT records (text or platform.report JSON, Init Duration on
// cold starts only), other lines (START/END, the function's own JSON logs,
// text) and damaged copies (truncated, malformed) are mixed in; everything
// is written in time order, so sandboxes interleave.
//
// Everything is deterministic for a Config (math/rand/v2 PCG seeded with
// Config.Seed).
//
// Million is the million-line fleet of the scale benchmark; the command
// cmd/fleetgen writes any fleet to stdout and its Truth to stderr:
//
//	go run ./examples/internal/fleetgen/cmd/fleetgen -preset 1m > /tmp/fleet-1m.log
//
// The package's tests also run the analyzer (internal/fleet) end to end: on
// lines produced by examples/hello under the emulator (several sandboxes,
// one emulator process each), and on generated fleets against their Truth
// in every format; BenchmarkFleet1M measures it on the Million fleet, and
// TestDocsTimeline makes docs/fleet-timeline.png (-update-docs).
package fleetgen
