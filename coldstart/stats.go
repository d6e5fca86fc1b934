package coldstart

import (
	"log/slog"
	"time"
)

// SandboxStats are a sandbox's lifetime figures (one tracker's; by default the
// process's). Busy and idle time need durations, which only Wrap and
// WrapHandler measure.
type SandboxStats struct {
	// Invocations observed (Observe, Wrap, WrapHandler): the latest Seq.
	Invocations uint64 `json:"invocations"`
	// Errors: Wrap'd invocations that returned an error or panicked.
	Errors uint64 `json:"errors"`
	// Cold: 1 if the first invocation was cold, else 0.
	Cold uint64 `json:"cold"`
	// Warm: Invocations - Cold.
	Warm uint64 `json:"warm"`
	// Timed: Wrap'd invocations that have finished (BusyMs covers these).
	Timed uint64 `json:"timed"`
	// FirstReason: the first invocation's Reason; "" before it.
	FirstReason Reason `json:"first_reason"`
	// BusyMs: the Timed invocations' durations, summed (concurrent ones
	// overlap, so this can exceed the wall time).
	BusyMs float64 `json:"busy_ms"`
	// IdleMs: time since init end with no Wrap'd invocation in flight, up
	// to the Stats call. 0 when invocations were observed but none was
	// Wrap'd (no durations: unknown).
	IdleMs float64 `json:"idle_ms"`
	// FirstInvocation, LastInvocation: when the first and the newest
	// invocation were observed; zero before the first.
	FirstInvocation time.Time `json:"first_invocation"`
	LastInvocation  time.Time `json:"last_invocation"`
	// ProcessStart: from ProcessStartSource (the tracker's creation when
	// that is StartFromTracker).
	ProcessStart       time.Time `json:"process_start"`
	ProcessStartSource string    `json:"process_start_source"`
	// InitDone: init end as used for the first invocation (see InitSource);
	// zero if not known yet.
	InitDone   time.Time `json:"init_done"`
	InitSource string    `json:"init_source"`
	// Problems: sources that failed to read or parse at setup, and EMF
	// write failures. Never nil.
	Problems []string `json:"problems"`
}

// LogValue renders the stats as a slog group with the JSON keys.
func (s SandboxStats) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.Uint64("invocations", s.Invocations),
		slog.Uint64("errors", s.Errors),
		slog.Uint64("cold", s.Cold),
		slog.Uint64("warm", s.Warm),
		slog.Uint64("timed", s.Timed),
		slog.String("first_reason", string(s.FirstReason)),
		slog.Float64("busy_ms", s.BusyMs),
		slog.Float64("idle_ms", s.IdleMs),
		slog.Time("first_invocation", s.FirstInvocation),
		slog.Time("last_invocation", s.LastInvocation),
		slog.Time("process_start", s.ProcessStart),
		slog.String("process_start_source", s.ProcessStartSource),
		slog.Time("init_done", s.InitDone),
		slog.String("init_source", s.InitSource),
	}
	if len(s.Problems) > 0 {
		attrs = append(attrs, slog.Any("problems", s.Problems))
	}
	return slog.GroupValue(attrs...)
}
