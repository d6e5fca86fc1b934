package warmer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSummaryWording(t *testing.T) {
	t.Parallel()
	tests := []struct {
		reached, requested, cold, errs int
		want                           string
	}{
		{1, 1, 1, 0, "best-effort: reached 1 of 1 requested sandbox (1 cold start paid by the pings, 0 errors)"},
		{2, 3, 0, 1, "best-effort: reached 2 of 3 requested sandboxes (0 cold starts paid by the pings, 1 error)"},
		{0, 5, 0, 5, "best-effort: reached 0 of 5 requested sandboxes (0 cold starts paid by the pings, 5 errors)"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, summary(tt.reached, tt.requested, tt.cold, tt.errs))
	}
}

func TestSummariseCountsFanOutAndNotes(t *testing.T) {
	t.Parallel()
	targets := []Target{{Function: "api", Qualifier: "live", Concurrency: 3, FanOut: true}, {Function: "plain", Concurrency: 1}}
	start := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	outcomes := []outcome{
		{target: 0, latency: 90 * time.Millisecond, reply: Reply{Warmer: true, SandboxID: "a", Cold: true, Capped: true, FanOut: []FanOutResult{
			{SandboxID: "b", Cold: true}, {SandboxID: "a"}, {Error: "throttled"},
		}}},
		{target: 1, latency: 5 * time.Millisecond, err: fmt.Errorf("warmer: ping plain: %w: %q", errNotWarmer, "hello")},
	}
	rep := summarise(targets, outcomes, start, start.Add(100*time.Millisecond))
	api, plain := rep.Targets[0], rep.Targets[1]
	assert.Equal(t, 4, api.Sent, "one ping, three fanned")
	assert.Equal(t, 3, api.Replies)
	assert.Equal(t, 2, api.Reached, "a reply from a sandbox already reached counts once")
	assert.Equal(t, []string{"a", "b"}, api.SandboxIDs)
	assert.Equal(t, 2, api.Cold)
	assert.Equal(t, 1, api.Errors)
	assert.True(t, api.Capped)
	assert.Contains(t, api.Summary, "the target capped N")
	assert.Equal(t, []string{"fanned ping: throttled"}, api.ErrorSamples)
	assert.Equal(t, 1, plain.NotWarmer)
	assert.Equal(t, []string{}, plain.SandboxIDs, "never null in JSON")
	assert.Equal(t, 100.0, rep.ElapsedMs)
	assert.Equal(t, 4, rep.Requested)
	assert.Equal(t, 2, rep.Reached)
	assert.Contains(t, rep.Summary, "over 2 targets")
}

func TestReportLogValue(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, nil))
	rep := Report{Requested: 3, Reached: 2, Summary: "best-effort: reached 2 of 3", Targets: []TargetReport{{Function: "api", Reached: 2, SandboxIDs: []string{"a", "b"}, ErrorSamples: []string{"x"}}}}
	logger.Info("round", "report", rep)
	var line struct {
		Report struct {
			Reached int    `json:"reached"`
			Summary string `json:"summary"`
			Target0 struct {
				Function   string   `json:"function"`
				SandboxIDs []string `json:"sandbox_ids"`
			} `json:"target_0"`
		} `json:"report"`
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &line), buf.String())
	assert.Equal(t, 2, line.Report.Reached)
	assert.Equal(t, "best-effort: reached 2 of 3", line.Report.Summary)
	assert.Equal(t, "api", line.Report.Target0.Function)
	assert.Equal(t, []string{"a", "b"}, line.Report.Target0.SandboxIDs)

	buf.Reset()
	logger.Info("ping", "ping", Reply{SandboxID: "s", Capped: true, CorrelationID: "c", FanOut: []FanOutResult{{Error: "e"}, {SandboxID: "t"}}, FanOutSent: 2, FanOutFailed: 1, FanOutError: "none"})
	assert.Contains(t, buf.String(), `"fanout_sent":2,"fanout_failed":1`)
	assert.NotContains(t, buf.String(), `"fanout":`, "the list is left out of the line, never retyped")
	assert.Contains(t, buf.String(), `"capped":true`)
}
