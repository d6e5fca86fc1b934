package fleet

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/coldstart"
	"github.com/faasprobe/faasprobe/internal/jsontest"
)

// requireResultRoundTrip: the Result marshals, reads back, and every float
// in it is finite.
func requireResultRoundTrip(t *testing.T, res *Result) {
	t.Helper()
	jsontest.RoundTrip(t, res)
	var text bytes.Buffer
	require.NoError(t, WriteText(&text, res))
}

// TestDurationBounds: since_init_ms of 1e308 on two lines once summed to
// +Inf and `fleet --json` exited 1 with nothing printed. A duration that is
// negative, overflows a float64 or exceeds MaxMillis now makes its record
// incomplete, and the Result says so.
func TestDurationBounds(t *testing.T) {
	t.Parallel()
	l := newLineLogger()
	startup := l.startup(at(0), "fn", "b1", "s1")
	tests := []struct {
		name  string
		lines []string
	}{
		{"since_init_ms 1e308 twice", []string{
			l.invocation(at(time.Second), "s1", "r1", 1, coldstart.ReasonOnDemand, 1e308),
			l.invocation(at(2*time.Second), "s1", "r2", 1, coldstart.ReasonOnDemand, 1e308),
		}},
		{"since_init_ms over MaxMillis", []string{l.invocation(at(time.Second), "s1", "r1", 1, coldstart.ReasonOnDemand, MaxMillis*2)}},
		{"since_init_ms overflows a float64", []string{strings.Replace(
			l.invocation(at(time.Second), "s1", "r1", 1, coldstart.ReasonOnDemand, 12), `"since_init_ms":12`, `"since_init_ms":1e400`, 1)}},
		{"since_init_ms negative", []string{l.invocation(at(time.Second), "s1", "r1", 1, coldstart.ReasonOnDemand, -5)}},
		{"JSON report durationMs 1e308", []string{
			`{"time":"2026-01-15T10:00:01Z","type":"platform.report","record":{"requestId":"r1","metrics":{"durationMs":1e308,"billedDurationMs":2}}}`,
		}},
		{"JSON report initDurationMs 1e400", []string{
			`{"time":"2026-01-15T10:00:01Z","type":"platform.report","record":{"requestId":"r1","metrics":{"durationMs":1,"initDurationMs":1e400}}}`,
		}},
		{"text REPORT Init Duration of 15 digits", []string{
			"REPORT RequestId: r1\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 19 MB\tInit Duration: 999999999999999 ms",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := analyze(t, startup+"\n"+strings.Join(tt.lines, "\n")+"\n")
			assert.Equal(t, int64(len(tt.lines)), res.Kinds["incomplete"])
			assert.Zero(t, res.Cold.FirstGapMs.N)
			assert.Zero(t, res.Reports.InitMs.N)
			assert.Contains(t, strings.Join(res.Notes, "\n"), "duration")
			requireResultRoundTrip(t, res)
		})
	}
}

// TestDurationAtBoundKept: MaxMillis itself is a duration; sums of many
// stay finite.
func TestDurationAtBoundKept(t *testing.T) {
	t.Parallel()
	l := newLineLogger()
	var in strings.Builder
	for i := range 50 {
		id := "s" + strings.Repeat("x", i)
		in.WriteString(l.startup(at(0), "fn", "b1", id) + "\n")
		in.WriteString(l.invocation(at(time.Second), id, "r"+id, 1, coldstart.ReasonOnDemand, MaxMillis) + "\n")
		in.WriteString("REPORT RequestId: r" + id + "\tDuration: 1.00 ms\tInit Duration: 10000000000 ms\n")
	}
	res := analyze(t, in.String())
	assert.Zero(t, res.Kinds["incomplete"])
	assert.Equal(t, int64(50), res.Cold.FirstGapMs.N)
	assert.Equal(t, float64(MaxMillis), res.Cold.FirstGapMs.Mean)
	assert.Equal(t, float64(MaxMillis), res.Reports.InitMs.Max)
	assert.False(t, math.IsInf(res.Reports.InitMs.Mean, 0))
	requireResultRoundTrip(t, res)
}

// TestStringCap: a record keeping a string over MaxFieldBytes is counted as
// incomplete and kept nowhere; at the cap it is read.
func TestStringCap(t *testing.T) {
	t.Parallel()
	l := newLineLogger()
	atCap, over := strings.Repeat("a", MaxFieldBytes), strings.Repeat("a", MaxFieldBytes+1)
	tests := []struct {
		name           string
		line           string
		wantIncomplete bool
	}{
		{"sandbox id at the cap", l.startup(at(0), "fn", "b1", atCap), false},
		{"sandbox id over the cap", l.startup(at(0), "fn", "b1", over), true},
		{"function name over the cap", l.startup(at(0), over, "b1", "s1"), true},
		{"boot id over the cap", l.startup(at(0), "fn", over, "s1"), true},
		{"request id over the cap", l.invocation(at(time.Second), "s1", over, 1, coldstart.ReasonOnDemand, 1), true},
		{"reason over the cap", l.invocation(at(time.Second), "s1", "r1", 1, coldstart.Reason(over), 1), true},
		{"escaped id over the cap once unescaped", strings.Replace(l.startup(at(0), "fn", "b1", "s1"), `"sandbox_id":"s1"`,
			`"sandbox_id":"`+strings.Repeat(`\u0041`, MaxFieldBytes+1)+`"`, 1), true},
		{"text REPORT request id over the cap", "REPORT RequestId: " + over + "\tDuration: 1.00 ms", true},
		{"JSON report request id over the cap", `{"type":"platform.report","record":{"requestId":"` + over + `","metrics":{"durationMs":1}}}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := analyze(t, tt.line+"\n")
			if tt.wantIncomplete {
				assert.Equal(t, int64(1), res.Kinds["incomplete"])
				assert.Zero(t, res.Totals.Sandboxes)
				assert.Zero(t, res.Reports.Count)
				assert.Contains(t, strings.Join(res.Notes, "\n"), "over 256 bytes")
			} else {
				assert.Zero(t, res.Kinds["incomplete"])
				assert.Equal(t, 1, res.Totals.Sandboxes)
			}
			requireResultRoundTrip(t, res)
		})
	}
}
