package fleet

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/coldstart"
	"github.com/faasprobe/faasprobe/hostinfo"
	"github.com/faasprobe/faasprobe/internal/logline"
	"github.com/faasprobe/faasprobe/sandbox"
	"github.com/faasprobe/faasprobe/warmer"
)

// ping is the invocation line of a keep-warm ping, as the warmer writes it:
// the invocation facts plus the reply under "ping".
func (l *lineLogger) ping(t time.Time, id string, seq uint64, reason coldstart.Reason) string {
	inv := coldstart.Invocation{
		First: seq == 1, Cold: reason == coldstart.ReasonOnDemand, Reason: reason, Seq: seq,
		Time: t, InitSource: coldstart.InitFromWrap,
	}
	reply := warmer.Reply{SandboxID: id, SandboxIDScope: sandbox.ScopeSandbox, Cold: inv.Cold, First: inv.First,
		Reason: reason, Seq: seq, Pings: 1, Format: "serverless-plugin-warmup", Requested: 1, Concurrency: 1}
	return l.line(t, msgInvocation, append(logline.InvocationAttrs(nil, "", id, inv), slog.Any("ping", reply))...)
}

// shutdown is a shutdown line as logline.Shutdown writes it, plus extra.
func (l *lineLogger) shutdown(t time.Time, id string, stats coldstart.SandboxStats, extra ...slog.Attr) string {
	attrs := append([]slog.Attr{slog.String(logline.KeySandboxID, id), slog.Any("stats", stats)}, extra...)
	return l.line(t, logline.MsgShutdown, attrs...)
}

// TestPingsApart: a keep-warm ping's line counts under pings, never as a
// user invocation or cold start, but it is the sandbox's first invocation
// and takes a seq.
//
//	s1: startup; ping (cold, seq 1); user seq 2; ping seq 3 (WARN); user seq 5 (seq 4 not in the input)
//	s2: startup; user cold seq 1
func TestPingsApart(t *testing.T) {
	t.Parallel()
	l := newLineLogger()
	warn := strings.Replace(l.ping(at(3*time.Minute), "s1", 3, coldstart.ReasonWarm), `"level":"INFO"`, `"level":"WARN"`, 1)
	require.Contains(t, warn, `"level":"WARN"`)
	lines := []string{
		l.startup(at(0), "a", "b1", "s1"),
		l.ping(at(time.Millisecond), "s1", 1, coldstart.ReasonOnDemand),
		l.invocation(at(time.Minute), "s1", "r2", 2, coldstart.ReasonWarm, 60000),
		warn,
		l.invocation(at(5*time.Minute), "s1", "r5", 5, coldstart.ReasonWarm, 300000),
		l.startup(at(0), "a", "b2", "s2"),
		l.invocation(at(time.Millisecond), "s2", "r6", 1, coldstart.ReasonOnDemand, 1),
	}
	a := New()
	require.NoError(t, a.Read("t", strings.NewReader(strings.Join(lines, "\n")+"\n"), 0))
	res := a.Result()

	c := res.Cold
	assert.Equal(t, int64(3), c.Invocations, "user invocations only")
	assert.Equal(t, int64(1), c.Cold, "the ping's cold start is not a user's")
	assert.InDelta(t, 1.0/3, c.ColdRate, 1e-12)
	assert.Equal(t, int64(2), c.Pings)
	assert.Equal(t, int64(1), c.PingsCold)
	assert.Equal(t, int64(2), c.FirstInvocations, "the ping is s1's first invocation")
	assert.Equal(t, map[string]int64{"on-demand": 2}, c.FirstReasons)
	assert.Equal(t, int64(1), c.MissingInvocations, "s1: seq 5, 4 lines with the pings")
	assert.Equal(t, int64(5), res.Kinds["invocation"])
	assert.Zero(t, res.Totals.NeverInvoked)
	require.Len(t, res.Functions, 1)
	assert.Equal(t, int64(3), res.Functions[0].Invocations)
	assert.Equal(t, int64(1), res.Functions[0].Cold)
	var binInv, binCold int64
	for _, b := range res.Series {
		binInv, binCold = binInv+b.Invocations, binCold+b.Cold
	}
	assert.Equal(t, int64(3), binInv)
	assert.Equal(t, int64(1), binCold)

	rows, _ := a.Rows(-1)
	got := map[string][2]int{}
	for _, r := range rows {
		got[r.Sandbox] = [2]int{r.Invocations, r.Pings}
	}
	assert.Equal(t, map[string][2]int{"s1": {2, 2}, "s2": {1, 0}}, got)

	var text bytes.Buffer
	require.NoError(t, WriteText(&text, res))
	assert.Regexp(t, `keep-warm pings +2  \(1 cold;`, text.String())
}

// TestPingOnlySandboxIsInvoked: a sandbox that only answered pings was
// invoked (never_invoked counts no invocation line at all).
func TestPingOnlySandboxIsInvoked(t *testing.T) {
	t.Parallel()
	l := newLineLogger()
	res := analyze(t, l.startup(at(0), "a", "b1", "s1")+"\n"+l.ping(at(time.Second), "s1", 1, coldstart.ReasonOnDemand)+"\n")
	assert.Zero(t, res.Totals.NeverInvoked)
	assert.Zero(t, res.Cold.Invocations)
	assert.Equal(t, int64(1), res.Cold.Pings)
	assert.Zero(t, res.Cold.MissingInvocations)
}

// TestShutdownLifetimes: a shutdown line gives the sandbox's exact
// lifetime; sandboxes without one keep the lower bound.
func TestShutdownLifetimes(t *testing.T) {
	t.Parallel()
	l := newLineLogger()
	start := at(-50 * time.Millisecond) // the process start, before the startup line
	stats := coldstart.SandboxStats{Invocations: 1, FirstInvocation: at(time.Second), LastInvocation: at(time.Second), ProcessStart: start}
	tests := []struct {
		name  string
		lines []string
		// want
		kind          string // the shutdown line's kind
		kinds         int64  // lines of that kind; 0 means 1
		exact, bound  int
		lifetimeS     float64 // max of the lifetime distribution
		ended         time.Time
		reason        string
		reasons       []Count
		shutdownCount int
	}{
		{
			name: "extension: reason and lifetime_ms",
			lines: []string{
				l.startup(at(0), "a", "b1", "s1"),
				l.invocation(at(time.Second), "s1", "r1", 1, coldstart.ReasonOnDemand, 2),
				l.shutdown(at(10*time.Minute), "s1", stats, slog.Group("shutdown", slog.String("reason", "spindown"), slog.Float64("lifetime_ms", 600500))),
			},
			kind: "shutdown", exact: 1, lifetimeS: 600.5, ended: at(10 * time.Minute), reason: "spindown",
			reasons: []Count{{Value: "spindown", N: 1}}, shutdownCount: 1,
		},
		{
			name: "library on SIGTERM: line time less process start",
			lines: []string{
				l.startup(at(0), "a", "b1", "s1"),
				l.invocation(at(time.Second), "s1", "r1", 1, coldstart.ReasonOnDemand, 2),
				l.shutdown(at(5*time.Minute), "s1", stats),
			},
			kind: "shutdown", exact: 1, lifetimeS: 300.05, ended: at(5 * time.Minute),
			reasons: []Count{{Value: "(none)", N: 1}}, shutdownCount: 1,
		},
		{
			name: "no shutdown line: first to last seen, a lower bound",
			lines: []string{
				l.startup(at(0), "a", "b1", "s1"),
				l.invocation(at(time.Second), "s1", "r1", 1, coldstart.ReasonOnDemand, 2),
			},
			bound: 1, lifetimeS: 1, reasons: []Count{},
		},
		{
			name: "shutdown line without process start or lifetime: it extends the span",
			lines: []string{
				l.invocation(at(time.Second), "s1", "r1", 1, coldstart.ReasonOnDemand, 2),
				l.shutdown(at(time.Minute), "s1", coldstart.SandboxStats{Invocations: 1}),
			},
			kind: "shutdown", bound: 1, lifetimeS: 59, ended: at(time.Minute),
			reasons: []Count{{Value: "(none)", N: 1}}, shutdownCount: 1,
		},
		{
			name: "duplicate shutdown line: the first one's facts",
			lines: []string{
				l.startup(at(0), "a", "b1", "s1"),
				l.shutdown(at(time.Minute), "s1", coldstart.SandboxStats{}, slog.Group("shutdown", slog.String("reason", "timeout"), slog.Float64("lifetime_ms", 60000))),
				l.shutdown(at(time.Minute), "s1", coldstart.SandboxStats{}, slog.Group("shutdown", slog.String("reason", "failure"), slog.Float64("lifetime_ms", 1))),
			},
			kind: "shutdown", kinds: 2, exact: 1, lifetimeS: 60, ended: at(time.Minute), reason: "timeout",
			reasons: []Count{{Value: "timeout", N: 1}}, shutdownCount: 1,
		},
		{
			name: "shutdown line without a sandbox id: incomplete",
			lines: []string{
				l.startup(at(0), "a", "b1", "s1"),
				l.line(at(time.Minute), logline.MsgShutdown, slog.Any("stats", stats)),
			},
			kind: "incomplete", bound: 1, reasons: []Count{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := New()
			require.NoError(t, a.Read("t", strings.NewReader(strings.Join(tt.lines, "\n")+"\n"), 0))
			res := a.Result()
			if tt.kind != "" {
				assert.Equal(t, max(tt.kinds, 1), res.Kinds[tt.kind])
			}
			assert.Equal(t, tt.exact, res.LifetimesExact)
			assert.Equal(t, tt.bound, res.LifetimesLowerBound)
			assert.InDelta(t, tt.lifetimeS, res.Lifetime.Max, 1e-9)
			assert.Equal(t, tt.reasons, res.ShutdownReasons)
			assert.Equal(t, tt.shutdownCount, res.Totals.Shutdowns)
			rows, _ := a.Rows(-1)
			require.Len(t, rows, 1)
			assert.Equal(t, tt.ended, rows[0].Ended)
			assert.Equal(t, tt.reason, rows[0].ShutdownReason)
		})
	}
}

// TestSlogDefaultKeys: lines written through slog's default JSON handler
// ("time", "msg") with the library's attributes read like Lambda-keyed ones.
func TestSlogDefaultKeys(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	h := slog.New(slog.NewJSONHandler(&buf, nil)).Handler()
	write := func(tm time.Time, msg string, attrs ...slog.Attr) {
		r := slog.NewRecord(tm, slog.LevelInfo, msg, 0)
		r.AddAttrs(attrs...)
		require.NoError(t, h.Handle(context.Background(), r))
	}
	var host hostinfo.Host
	host.Platform = hostinfo.Platform{Provider: "aws", Service: "lambda", Region: "eu-west-1", FunctionName: "orders", MemoryLimitMB: 512}
	host.Machine.BootID = "boot-1"
	host.Machine.Kernel.Release = "5.10.0"
	host.Machine.Hypervisor.Kind = hostinfo.HypervisorFirecracker
	sb := sandbox.Sandbox{ID: "s1", IDScope: sandbox.ScopeSandbox}
	write(at(0), logline.MsgStartup, logline.StartupAttrs(host, sb, nil, time.Millisecond)...)
	for i, reason := range []coldstart.Reason{coldstart.ReasonOnDemand, coldstart.ReasonWarm} {
		// invocation.time left zero: the line's "time" is the invocation's
		inv := coldstart.Invocation{First: i == 0, Cold: i == 0, Reason: reason, Seq: uint64(i + 1)}
		write(at(time.Duration(i+1)*time.Minute), logline.MsgInvocation, logline.InvocationAttrs(nil, "r", "s1", inv)...)
	}
	write(at(3*time.Minute), logline.MsgShutdown, slog.String(logline.KeySandboxID, "s1"), slog.Any("stats", coldstart.SandboxStats{ProcessStart: at(-time.Second)}))
	out := buf.String()
	require.Contains(t, out, `"msg":"faasprobe.startup"`)
	require.NotContains(t, out, `"message"`)

	a := New()
	require.NoError(t, a.Read("default-keys", strings.NewReader(out), 0))
	res := a.Result()
	assert.Equal(t, map[string]int64{"startup": 1, "invocation": 2, "shutdown": 1}, nonZero(res.Kinds))
	assert.Equal(t, 1, res.Totals.Sandboxes)
	assert.Equal(t, 1, res.Totals.WithStartup)
	assert.Equal(t, 1, res.Totals.VMs)
	assert.Equal(t, int64(2), res.Cold.Invocations)
	assert.Equal(t, int64(1), res.Cold.Cold)
	assert.Equal(t, []Count{{Value: "firecracker", N: 1}}, res.Hypervisors)
	assert.Equal(t, []Count{{Value: "5.10.0", N: 1}}, res.Kernels)
	require.Len(t, res.Functions, 1)
	assert.Equal(t, "orders", res.Functions[0].Name)
	assert.Equal(t, at(0), res.Window.First)
	assert.Equal(t, at(3*time.Minute), res.Window.Last)
	assert.Equal(t, 1, res.LifetimesExact)
	assert.InDelta(t, 181, res.Lifetime.Max, 1e-9, "shutdown time less process start")
	rows, _ := a.Rows(-1)
	require.Len(t, rows, 1)
	assert.Equal(t, at(time.Minute), rows[0].FirstInvocation)
}

// nonZero drops the zero counts of a kind tally.
func nonZero(m map[string]int64) map[string]int64 {
	out := map[string]int64{}
	for k, v := range m {
		if v != 0 {
			out[k] = v
		}
	}
	return out
}
