package coldstart

import (
	"log/slog"
	"time"

	"github.com/faasprobe/faasprobe/internal/platformenv"
)

// Reason says why an invocation is (or is not) cold.
type Reason string

// Reasons. Only a first invocation has a reason other than ReasonWarm.
const (
	// ReasonOnDemand: the first invocation of an on-demand sandbox (or of a
	// process outside Lambda) that arrived within the proactive threshold of
	// init end: the caller waited for init. Cold.
	ReasonOnDemand Reason = "on-demand"
	// ReasonProvisioned: AWS_LAMBDA_INITIALIZATION_TYPE=provisioned-concurrency;
	// init ran before any request. Not cold.
	ReasonProvisioned Reason = "provisioned-concurrency"
	// ReasonProactiveInit: the first invocation arrived more than the
	// proactive threshold (10 s) after init end: Lambda initialised the
	// sandbox ahead of demand and the caller did not wait. Not cold.
	ReasonProactiveInit Reason = "proactive-init"
	// ReasonManagedInstances:
	// AWS_LAMBDA_INITIALIZATION_TYPE=lambda-managed-instances; environments
	// are started ahead of traffic. Not cold.
	ReasonManagedInstances Reason = "managed-instances"
	// ReasonSnapStart: AWS_LAMBDA_INITIALIZATION_TYPE=snap-start; the
	// caller waited for the snapshot restore, a shorter cold start. Cold.
	// The proactive rule is not applied: the gap from init end includes the
	// time the snapshot was stored.
	ReasonSnapStart Reason = "snap-start"
	// ReasonWarm: every invocation after the first. Not cold.
	ReasonWarm Reason = "warm"
	// ReasonUnknown: the first invocation, with an
	// AWS_LAMBDA_INITIALIZATION_TYPE this package does not know. Cold is
	// then decided by the proactive rule alone.
	ReasonUnknown Reason = "unknown"
)

// Initialisation types, as AWS_LAMBDA_INITIALIZATION_TYPE spells them
// (Invocation.InitType). "" means the variable is unset (not Lambda, or an
// old runtime); InitTypeUnknown means a value not listed here (the value
// itself is not repeated).
const (
	InitTypeOnDemand         = platformenv.InitOnDemand         // "on-demand"
	InitTypeProvisioned      = platformenv.InitProvisioned      // "provisioned-concurrency"
	InitTypeSnapStart        = platformenv.InitSnapStart        // "snap-start"
	InitTypeManagedInstances = platformenv.InitManagedInstances // "lambda-managed-instances"
	InitTypeUnknown          = platformenv.InitUnknown          // "unknown"
)

// Init-end sources (Invocation.InitSource, SandboxStats.InitSource), strongest first.
const (
	InitFromInitDone   = "init-done"        // InitDone or WithInitDone
	InitFromWrap       = "wrap"             // the latest Wrap/WrapHandler before the first invocation
	InitFromProcess    = "process-start"    // no mark: the process start from /proc (a lower bound)
	InitFromInvocation = "first-invocation" // nothing known: the first invocation itself
)

// Invocation is what Observe learned about one invocation. Durations are
// milliseconds with a fractional part, measured on the tracker's clock; one
// that came out negative is reported as 0 and Clamped is set.
type Invocation struct {
	// First: the first invocation this tracker (by default: this process)
	// has seen. Exactly one invocation per tracker has it.
	First bool `json:"first"`
	// Cold: First, and the caller waited for initialisation (see Reason).
	Cold bool `json:"cold"`
	// Reason: why Cold is what it is; ReasonWarm after the first.
	Reason Reason `json:"reason"`
	// Seq: 1-based invocation number, unique per tracker, in the order the
	// invocations reached Observe.
	Seq uint64 `json:"seq"`
	// InitType: AWS_LAMBDA_INITIALIZATION_TYPE as one of the InitType
	// constants; "" if unset.
	InitType string `json:"init_type"`
	// SinceProcessStartMs: from the process start to this invocation.
	// The start comes from ProcessStartSource.
	SinceProcessStartMs float64 `json:"since_process_start_ms"`
	// ProcessStartSource: StartFromUptime, StartFromBtime or StartFromTracker.
	ProcessStartSource string `json:"process_start_source"`
	// SinceInitMs: from init end (see InitSource) to this invocation. On the
	// first invocation, this is the gap the proactive rule judges.
	SinceInitMs float64 `json:"since_init_ms"`
	// InitSource: which mark init end is: InitFromInitDone, InitFromWrap,
	// InitFromProcess or InitFromInvocation.
	InitSource string `json:"init_source"`
	// SincePreviousMs: from the previous invocation's start to this one's;
	// 0 on the first, and 0 when a concurrent invocation read the clock
	// later but was recorded first.
	SincePreviousMs float64 `json:"since_previous_ms"`
	// SandboxAgeMs: time since the kernel booted (/proc/uptime, else
	// /proc/stat btime). On one-sandbox-per-VM platforms (Firecracker
	// Lambda, Fly) the kernel boots with the sandbox; under gVisor it counts
	// from the sandbox's start; on a shared kernel (containers, Lambda
	// Managed Instances, a laptop) it is the host's uptime. 0 if unknown.
	SandboxAgeMs float64 `json:"sandbox_age_ms"`
	// Time: when the invocation was observed, on the tracker's clock.
	Time time.Time `json:"time"`
	// RequestID: the Lambda request id (lambdacontext), set by Wrap and
	// WrapHandler; "" from Observe.
	RequestID string `json:"request_id,omitempty"`
	// Clamped: a duration came out negative (the injected clock stepped
	// back, or init end lies after the invocation) and was reported as 0.
	Clamped bool `json:"clamped,omitempty"`
}

// LogValue renders the invocation as a slog group with the JSON keys.
func (i Invocation) LogValue() slog.Value {
	attrs := make([]slog.Attr, 0, 14) // one allocation: the 12 below, request_id and clamped
	attrs = append(attrs,
		slog.Bool("first", i.First),
		slog.Bool("cold", i.Cold),
		slog.String("reason", string(i.Reason)),
		slog.Uint64("seq", i.Seq),
		slog.String("init_type", i.InitType),
		slog.Float64("since_process_start_ms", i.SinceProcessStartMs),
		slog.String("process_start_source", i.ProcessStartSource),
		slog.Float64("since_init_ms", i.SinceInitMs),
		slog.String("init_source", i.InitSource),
		slog.Float64("since_previous_ms", i.SincePreviousMs),
		slog.Float64("sandbox_age_ms", i.SandboxAgeMs),
		slog.Time("time", i.Time),
	)
	if i.RequestID != "" {
		attrs = append(attrs, slog.String("request_id", i.RequestID))
	}
	if i.Clamped {
		attrs = append(attrs, slog.Bool("clamped", true))
	}
	return slog.GroupValue(attrs...)
}

// Attributes returns the invocation as OpenTelemetry-style attributes: the
// semantic-convention faas.coldstart (and faas.invocation_id when the
// request id is known), the rest under faasprobe.coldstart.*.
func (i Invocation) Attributes() []slog.Attr {
	attrs := make([]slog.Attr, 0, 10)
	attrs = append(attrs, slog.Bool("faas.coldstart", i.Cold))
	if i.RequestID != "" {
		attrs = append(attrs, slog.String("faas.invocation_id", i.RequestID))
	}
	return append(attrs,
		slog.Bool("faasprobe.coldstart.first", i.First),
		slog.String("faasprobe.coldstart.reason", string(i.Reason)),
		slog.Uint64("faasprobe.coldstart.seq", i.Seq),
		slog.String("faasprobe.coldstart.init_type", i.InitType),
		slog.Float64("faasprobe.coldstart.since_process_start_ms", i.SinceProcessStartMs),
		slog.Float64("faasprobe.coldstart.since_init_ms", i.SinceInitMs),
		slog.Float64("faasprobe.coldstart.since_previous_ms", i.SincePreviousMs),
		slog.Float64("faasprobe.coldstart.sandbox_age_ms", i.SandboxAgeMs),
	)
}

// ms converts nanoseconds on the tracker's clock to milliseconds; a negative
// value becomes 0 and clamped is true.
func ms(ns int64) (v float64, clamped bool) {
	if ns < 0 {
		return 0, true
	}
	return float64(ns) / 1e6, false
}
