// Package otel reports what faasprobe finds to OpenTelemetry: a resource
// detector for the host and sandbox facts, and a handler wrapper that puts
// the cold-start facts on the invocation span and records cold-start
// metrics. It is a module of its own, so that the faasprobe core does not
// depend on the OpenTelemetry SDK. Import it under another name:
//
//	import fpotel "github.com/faasprobe/faasprobe/otel"
//
//	res, err := resource.New(ctx, resource.WithDetectors(fpotel.NewDetector()))
//	// err wraps resource.ErrPartialResource when a source failed; res is usable.
//	lambda.Start(otellambda.InstrumentHandler(fpotel.Wrap(handler)))
//
// The attribute names are those of hostinfo.Host.Attributes,
// sandbox.Sandbox.Attributes and coldstart.Invocation.Attributes: semantic
// conventions v1.43.0 (the SDK's) where they name the fact (cloud.provider,
// cloud.platform, cloud.region, faas.name, faas.version, faas.instance,
// faas.max_memory, host.arch, host.name, host.id, host.cpu.*, faas.coldstart,
// faas.invocation_id), faasprobe.* for the rest. Where the contrib AWS
// Lambda detector reports the same fact, the key and value are the same.
//
// Metrics, recorded on the first invocation of each sandbox only:
//
//   - faas.coldstarts ({coldstart}, the semantic-convention counter): cold
//     first invocations, by faasprobe.coldstart.reason (on-demand,
//     snap-start, unknown).
//   - faasprobe.coldstart.init_gap (s, histogram): from init end to the
//     first invocation, by faasprobe.coldstart.reason, cold or not (a
//     proactive-init sandbox waited more than 10 s).
//
// Unknown facts are left out of the resource, as the core packages leave
// them out of their attributes. The detector reads what hostinfo.Detect and
// sandbox.Detect read (on a recorded tree with WithRoot); Wrap adds to
// coldstart.Wrap one span annotation per invocation and the two metric
// records once.
package otel
