package logline

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/coldstart"
)

// both writes one record through the fast handler and through slog's JSON
// handler with the same options, and returns the two lines.
func both(t testing.TB, r slog.Record) (fast, slow string) {
	var a, b bytes.Buffer
	require.NoError(t, newHandler(&a).Handle(context.Background(), r.Clone()))
	_ = slog.NewJSONHandler(&b, &slog.HandlerOptions{ReplaceAttr: replaceAttr}).Handle(context.Background(), r.Clone())
	return a.String(), b.String()
}

type valuer struct{ v slog.Value }

func (v valuer) LogValue() slog.Value { return v.v }

type panics struct{}

func (panics) LogValue() slog.Value { panic("boom") }

type marshals struct{ N int }

func (m marshals) MarshalJSON() ([]byte, error) { return []byte(`{"n":1}`), nil }

type fails struct{}

func (fails) MarshalJSON() ([]byte, error) { return nil, errors.New("no") }

// TestHandlerMatchesSlog: the fast handler writes exactly what slog's JSON
// handler writes, for every kind of value and the group rules.
func TestHandlerMatchesSlog(t *testing.T) {
	t.Parallel()
	when := time.Date(2026, 12, 5, 13, 4, 21, 593000100, time.UTC)
	inv := coldstart.Invocation{First: true, Cold: true, Reason: coldstart.ReasonOnDemand, Seq: 1, SinceInitMs: 0.0000004,
		SinceProcessStartMs: 44.267614, SandboxAgeMs: 17803934.267614, Time: when, RequestID: "r-1", Clamped: true}
	tests := map[string][]slog.Attr{
		"none":       nil,
		"invocation": {slog.String(KeyRequestID, "8476a536"), slog.String(KeySandboxID, "s"), slog.Any("invocation", inv)},
		"kinds": {slog.Int64("i", -3), slog.Uint64("u", math.MaxUint64), slog.Bool("b", true), slog.Duration("d", 1500*time.Millisecond),
			slog.Time("t", when), slog.Time("zero", time.Time{}), slog.Time("far", time.Date(10001, 1, 1, 0, 0, 0, 0, time.UTC))},
		"floats": {slog.Float64("a", 0), slog.Float64("b", math.Copysign(0, -1)), slog.Float64("c", 1e-7), slog.Float64("d", 1e21),
			slog.Float64("e", 123456789.123456789), slog.Float64("f", math.NaN()), slog.Float64("g", math.Inf(-1)),
			slog.Float64("h", 5e-324), slog.Float64("i", 1e-6), slog.Float64("j", 999999999999999999999.0)},
		"strings": {slog.String("esc", "a\"b\\c\nd\re\tf\x00\x1f\x7f<>&"), slog.String("utf8", "é\u2028\u2029\xff\xfe"),
			slog.String("k\"ey\n", "v"), slog.String("", "empty key")},
		"groups": {slog.Group("g", slog.Int("a", 1), slog.Group("h", slog.Int("b", 2))), slog.Group("empty"),
			slog.Group("", slog.Int("inline", 3)), slog.Group("g2", slog.Group("")), slog.Any("nil", nil), {}},
		"top-level renames": {slog.String("time", "x"), slog.String("msg", "y"), slog.Any("level", slog.LevelWarn),
			slog.Group("g", slog.String("time", "nested"), slog.Any("level", slog.LevelWarn))},
		"any": {slog.Any("err", errors.New("bad <thing>")), slog.Any("m", marshals{}), slog.Any("f", fails{}),
			slog.Any("map", map[string]any{"x": "<&>", "y": 1.5}), slog.Any("v", valuer{slog.IntValue(4)}),
			slog.Any("vg", valuer{slog.GroupValue(slog.Int("z", 1))})},
	}
	for name, attrs := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, level := range []slog.Level{slog.LevelInfo, slog.LevelWarn, slog.LevelDebug - 2} {
				for _, ts := range []time.Time{when, {}} {
					r := slog.NewRecord(ts, level, "faasprobe.\"m\"", 0)
					r.AddAttrs(attrs...)
					fast, slow := both(t, r)
					assert.Equal(t, slow, fast)
				}
			}
		})
	}
}

// A LogValuer that panics is written as slog writes it (the message and
// the stack, whose frames name the handler that called it), never a panic.
func TestHandlerLogValuerPanics(t *testing.T) {
	t.Parallel()
	r := slog.NewRecord(time.Time{}, slog.LevelInfo, "m", 0)
	r.AddAttrs(slog.Any("p", panics{}))
	fast, _ := both(t, r)
	assert.True(t, strings.HasPrefix(fast, `{"level":"INFO","message":"m","p":"LogValue panicked\ncalled from `), fast)
}

// TestHandlerDerived: WithAttrs and WithGroup still write (through slog's
// handler), on the same writer.
func TestHandlerDerived(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	l := NewLogger(&buf)
	l.With("k", "v").WithGroup("g").Info("m", "a", 1)
	l.Info("n")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	require.Len(t, lines, 2)
	assert.Contains(t, lines[0], `"level":"INFO","message":"m","k":"v","g":{"a":1}}`)
	assert.Contains(t, lines[1], `"level":"INFO","message":"n"}`)
}

func FuzzHandlerMatchesSlog(f *testing.F) {
	f.Add("key", "value", 1.5, int64(-1), uint64(2), false)
	f.Add("", "\x00\u2028\xff", math.NaN(), int64(0), uint64(0), true)
	f.Add("time", "", 1e-7, int64(math.MinInt64), uint64(math.MaxUint64), true)
	f.Fuzz(func(t *testing.T, key, s string, x float64, i int64, u uint64, group bool) {
		attrs := []slog.Attr{slog.String(key, s), slog.Float64(key+"f", x), slog.Int64("i", i), slog.Uint64(s, u)}
		if group {
			attrs = []slog.Attr{slog.Group(key, slog.Any("", nil), slog.Group(s, slog.Float64("x", x))), attrs[0]}
		}
		r := slog.NewRecord(time.Unix(0, i).UTC(), slog.Level(i%16), s, 0)
		r.AddAttrs(attrs...)
		fast, slow := both(t, r)
		if fast != slow {
			t.Fatalf("fast:\n%s\nslog:\n%s", fast, slow)
		}
	})
}
