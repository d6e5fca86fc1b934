package warmer

import (
	"log/slog"

	"github.com/faasprobe/faasprobe/coldstart"
)

// Reply is a wrapped function's answer to a ping, as JSON. The sender
// (Ping) counts distinct SandboxIDs to learn how many sandboxes it reached.
//
// Seq, First and Cold count every invocation that went through Wrap, pings
// included, on Wrap's own tracker; the user handler's coldstart tracker
// never sees a ping, so its Seq is unchanged by pings (UserInvocations says
// how many invocations reached the user handler). A ping that is the first
// invocation of its sandbox reports First, and Cold when its caller waited
// for the init (coldstart's rules: on-demand, not proactive-init): the ping
// paid that cold start, not a user.
type Reply struct {
	// Warmer is always true: it marks a warmer reply.
	Warmer bool `json:"warmer"`
	// SandboxID is sandbox.Detect's ID (or WithSandbox's): the Lambda log
	// stream's execution-environment GUID, else a random id made once per
	// process (SandboxIDScope "process").
	SandboxID string `json:"sandbox_id"`
	// SandboxIDScope is sandbox.Sandbox.IDScope: "sandbox" or "process".
	SandboxIDScope string `json:"sandbox_id_scope"`
	// Cold: this ping was the sandbox's first invocation and its caller
	// waited for the init (coldstart.Invocation.Cold on Wrap's tracker).
	Cold bool `json:"cold"`
	// First: this ping was the sandbox's first invocation through Wrap.
	First bool `json:"first"`
	// Reason is coldstart's reason for Cold ("on-demand",
	// "proactive-init", …, "warm").
	Reason coldstart.Reason `json:"reason"`
	// Seq is this invocation's number on Wrap's tracker: pings and user
	// invocations alike, 1-based.
	Seq uint64 `json:"seq"`
	// Pings is how many pings this sandbox has answered, this one included.
	Pings uint64 `json:"pings"`
	// UserInvocations is how many invocations Wrap has passed to the user
	// handler so far (the user's coldstart Seq of the latest one, when the
	// user handler is wrapped with coldstart and nothing else calls it).
	UserInvocations uint64 `json:"user_invocations"`
	// SandboxAgeMs is coldstart's time since the kernel booted (the
	// microVM's age on Firecracker Lambda); 0 if unknown.
	SandboxAgeMs float64 `json:"sandbox_age_ms"`
	// SinceInitMs is the time from init end (Wrap's call) to this ping.
	SinceInitMs float64 `json:"since_init_ms"`
	// Format is the ping format recognised (Format* constants).
	Format string `json:"format"`
	// Requested is the concurrency the ping asked for (1 if it did not).
	Requested int `json:"requested_concurrency"`
	// Concurrency is Requested after the target's cap (WithMaxConcurrency).
	Concurrency int `json:"concurrency"`
	// Capped: Requested was above the cap.
	Capped bool `json:"capped,omitempty"`
	// HeldMs is how long the reply was held, fan-out included (0 when
	// Concurrency is 1).
	HeldMs float64 `json:"held_ms"`
	// CorrelationID is the ping's __WARMER_CORRELATIONID__, echoed when it
	// is 1–64 printable characters.
	CorrelationID string `json:"correlation_id,omitempty"`
	// FanOut lists the pings this receiver sent to its own function
	// (WithFanOut), one per fanned ping.
	FanOut []FanOutResult `json:"fanout,omitempty"`
	// FanOutSent and FanOutFailed count FanOut and its failed entries.
	FanOutSent   int `json:"fanout_sent,omitempty"`
	FanOutFailed int `json:"fanout_failed,omitempty"`
	// FanOutError says why a requested fan-out was not done, or not done
	// whole: no invoker configured (WithFanOut), no function ARN, too close
	// to the deadline, or how many fanned pings failed.
	FanOutError string `json:"fanout_error,omitempty"`
}

// FanOutResult is one ping a receiver fanned out, as its reply told.
type FanOutResult struct {
	SandboxID string `json:"sandbox_id,omitempty"`
	Cold      bool   `json:"cold"`
	Error     string `json:"error,omitempty"`
}

// LogValue renders the reply as a slog group with the JSON keys, less the
// fan-out list (its counts stand for it) and the fields the invocation line
// already carries.
func (r Reply) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("sandbox_id", r.SandboxID),
		slog.String("sandbox_id_scope", r.SandboxIDScope),
		slog.Bool("cold", r.Cold),
		slog.Bool("first", r.First),
		slog.String("reason", string(r.Reason)),
		slog.Uint64("seq", r.Seq),
		slog.Uint64("pings", r.Pings),
		slog.Uint64("user_invocations", r.UserInvocations),
		slog.Float64("sandbox_age_ms", r.SandboxAgeMs),
		slog.String("format", r.Format),
		slog.Int("requested_concurrency", r.Requested),
		slog.Int("concurrency", r.Concurrency),
		slog.Float64("held_ms", r.HeldMs),
	}
	if r.Capped {
		attrs = append(attrs, slog.Bool("capped", true))
	}
	if r.CorrelationID != "" {
		attrs = append(attrs, slog.String("correlation_id", r.CorrelationID))
	}
	if r.FanOutSent > 0 {
		attrs = append(attrs, slog.Int("fanout_sent", r.FanOutSent), slog.Int("fanout_failed", r.FanOutFailed))
	}
	if r.FanOutError != "" {
		attrs = append(attrs, slog.String("fanout_error", r.FanOutError))
	}
	return slog.GroupValue(attrs...)
}
