package warmer

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
)

// Report is the outcome of one Ping round.
type Report struct {
	// Targets has one entry per Plan target, in plan order.
	Targets []TargetReport `json:"targets"`
	// Requested, Reached, Cold and Errors sum the targets'.
	Requested int `json:"requested"`
	Reached   int `json:"reached"`
	Cold      int `json:"cold"`
	Errors    int `json:"errors"`
	// Started is when the round began; ElapsedMs how long it took.
	Started   time.Time `json:"started"`
	ElapsedMs float64   `json:"elapsed_ms"`
	// Summary says it in one line, e.g. "best-effort: reached 3 of 4
	// requested sandboxes (1 cold start paid by the pings, 1 error)".
	Summary string `json:"summary"`
}

// TargetReport is one target's outcome.
type TargetReport struct {
	Function  string `json:"function"`
	Qualifier string `json:"qualifier,omitempty"`
	// Requested is the target's Concurrency (N).
	Requested int `json:"requested"`
	// Sent counts the pings sent: N, or with FanOut 1 plus those the first
	// receiver fanned out.
	Sent int `json:"sent"`
	// Replies counts warmer replies (fan-out replies included).
	Replies int `json:"replies"`
	// Reached counts distinct sandbox ids among the replies.
	Reached int `json:"reached"`
	// Cold counts replies whose ping was its sandbox's first invocation and
	// waited for the init: cold starts the pings paid, not users.
	Cold int `json:"cold"`
	// Errors counts pings that failed (invoke error, function error,
	// timeout, or an answer that was not a warmer reply).
	Errors int `json:"errors"`
	// NotWarmer counts answers that were not warmer replies (of Errors): the
	// target is probably not wrapped with warmer.Wrap, and its handler ran.
	NotWarmer int `json:"not_warmer"`
	// Capped: the target capped the requested N (WithMaxConcurrency).
	Capped bool `json:"capped,omitempty"`
	// SandboxIDs are the distinct sandboxes reached, sorted.
	SandboxIDs []string `json:"sandbox_ids"`
	// LatencyP50Ms and LatencyMaxMs are over the pings sent by Ping (not
	// fanned ones), failed ones included; 0 with no ping.
	LatencyP50Ms float64 `json:"latency_p50_ms"`
	LatencyMaxMs float64 `json:"latency_max_ms"`
	// ErrorSamples holds up to three error messages.
	ErrorSamples []string `json:"error_samples,omitempty"`
	// Summary says it in one line.
	Summary string `json:"summary"`
}

// maxSamples bounds TargetReport.ErrorSamples.
const maxSamples = 3

// summarise builds the report from the outcomes.
func summarise(targets []Target, outcomes []outcome, start, end time.Time) Report {
	rep := Report{Started: start, ElapsedMs: ms(end.Sub(start)), Targets: make([]TargetReport, len(targets))}
	lat := make([][]time.Duration, len(targets))
	ids := make([]map[string]bool, len(targets))
	for i, t := range targets {
		rep.Targets[i] = TargetReport{Function: t.Function, Qualifier: t.Qualifier, Requested: t.Concurrency, SandboxIDs: []string{}}
		ids[i] = map[string]bool{}
	}
	for _, o := range outcomes {
		tr := &rep.Targets[o.target]
		tr.Sent++
		lat[o.target] = append(lat[o.target], o.latency)
		if o.err != nil {
			tr.Errors++
			if errors.Is(o.err, errNotWarmer) {
				tr.NotWarmer++
			}
			if len(tr.ErrorSamples) < maxSamples {
				tr.ErrorSamples = append(tr.ErrorSamples, o.err.Error())
			}
			continue
		}
		tr.Replies++
		ids[o.target][o.reply.SandboxID] = true
		if o.reply.Cold {
			tr.Cold++
		}
		tr.Capped = tr.Capped || o.reply.Capped
		if o.reply.FanOutError != "" && len(tr.ErrorSamples) < maxSamples {
			tr.ErrorSamples = append(tr.ErrorSamples, "fan-out: "+o.reply.FanOutError)
		}
		for _, f := range o.reply.FanOut {
			tr.Sent++
			if f.Error != "" {
				tr.Errors++
				if len(tr.ErrorSamples) < maxSamples {
					tr.ErrorSamples = append(tr.ErrorSamples, "fanned ping: "+f.Error)
				}
				continue
			}
			tr.Replies++
			ids[o.target][f.SandboxID] = true
			if f.Cold {
				tr.Cold++
			}
		}
	}
	for i := range rep.Targets {
		tr := &rep.Targets[i]
		for id := range ids[i] {
			tr.SandboxIDs = append(tr.SandboxIDs, id)
		}
		slices.Sort(tr.SandboxIDs)
		tr.Reached = len(tr.SandboxIDs)
		tr.LatencyP50Ms, tr.LatencyMaxMs = p50Max(lat[i])
		tr.Summary = summary(tr.Reached, tr.Requested, tr.Cold, tr.Errors) + " of " + targets[i].label() + notes(tr)
		rep.Requested += tr.Requested
		rep.Reached += tr.Reached
		rep.Cold += tr.Cold
		rep.Errors += tr.Errors
	}
	rep.Summary = summary(rep.Reached, rep.Requested, rep.Cold, rep.Errors)
	if len(targets) > 1 {
		rep.Summary += fmt.Sprintf(" over %d targets", len(targets))
	}
	return rep
}

// summary is the honest one-liner.
func summary(reached, requested, cold, errs int) string {
	return fmt.Sprintf("best-effort: reached %d of %d requested %s (%s paid by the pings, %s)",
		reached, requested, plural(requested, "sandbox", "sandboxes"),
		countOf(cold, "cold start", "cold starts"), countOf(errs, "error", "errors"))
}

// notes adds what the target's answers suggest.
func notes(tr *TargetReport) string {
	var n []string
	if tr.Capped {
		n = append(n, "the target capped N (warmer.WithMaxConcurrency)")
	}
	if tr.NotWarmer > 0 {
		n = append(n, fmt.Sprintf("%s not a warmer reply: is the target wrapped with warmer.Wrap?", countOf(tr.NotWarmer, "answer was", "answers were")))
	}
	if len(n) == 0 {
		return ""
	}
	return "; " + strings.Join(n, "; ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func countOf(n int, one, many string) string { return fmt.Sprintf("%d %s", n, plural(n, one, many)) }

// p50Max returns the median (lower middle) and the maximum, in ms.
func p50Max(d []time.Duration) (p50, maxMs float64) {
	if len(d) == 0 {
		return 0, 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return ms(s[(len(s)-1)/2]), ms(s[len(s)-1])
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// LogValue renders the report as a slog group: the totals, the summary and
// one group per target.
func (r Report) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.Int("requested", r.Requested),
		slog.Int("reached", r.Reached),
		slog.Int("cold", r.Cold),
		slog.Int("errors", r.Errors),
		slog.Float64("elapsed_ms", r.ElapsedMs),
		slog.String("summary", r.Summary),
	}
	for i, t := range r.Targets {
		attrs = append(attrs, slog.Any(fmt.Sprintf("target_%d", i), t))
	}
	return slog.GroupValue(attrs...)
}

// LogValue renders one target's outcome as a slog group.
func (t TargetReport) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("function", t.Function),
		slog.String("qualifier", t.Qualifier),
		slog.Int("requested", t.Requested),
		slog.Int("sent", t.Sent),
		slog.Int("reached", t.Reached),
		slog.Int("cold", t.Cold),
		slog.Int("errors", t.Errors),
		slog.Float64("latency_p50_ms", t.LatencyP50Ms),
		slog.Float64("latency_max_ms", t.LatencyMaxMs),
		slog.Any("sandbox_ids", t.SandboxIDs),
		slog.String("summary", t.Summary),
	}
	if len(t.ErrorSamples) > 0 {
		attrs = append(attrs, slog.Any("error_samples", t.ErrorSamples))
	}
	return slog.GroupValue(attrs...)
}
