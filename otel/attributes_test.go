package otel

import (
	"log/slog"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"go.opentelemetry.io/otel/attribute"
)

// lazy is a slog.LogValuer: convert resolves it first.
type lazy string

func (l lazy) LogValue() slog.Value { return slog.StringValue(string(l)) }

func TestAppendAttributes(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		in   slog.Attr
		want []attribute.KeyValue
	}{
		{"string", slog.String("host.arch", "amd64"), []attribute.KeyValue{attribute.String("host.arch", "amd64")}},
		{"empty string is kept", slog.String("k", ""), []attribute.KeyValue{attribute.String("k", "")}},
		{"bool", slog.Bool("faas.coldstart", true), []attribute.KeyValue{attribute.Bool("faas.coldstart", true)}},
		{"int", slog.Int("faasprobe.sandbox.uid", 485), []attribute.KeyValue{attribute.Int64("faasprobe.sandbox.uid", 485)}},
		{"int64", slog.Int64("faas.max_memory", 128<<20), []attribute.KeyValue{attribute.Int64("faas.max_memory", 128<<20)}},
		{"uint64", slog.Uint64("seq", 3), []attribute.KeyValue{attribute.Int64("seq", 3)}},
		{"uint64 at MaxInt64", slog.Uint64("n", math.MaxInt64), []attribute.KeyValue{attribute.Int64("n", math.MaxInt64)}},
		{"uint64 above MaxInt64 is left out", slog.Uint64("n", math.MaxInt64+1), nil},
		{"float64", slog.Float64("ms", 12.5), []attribute.KeyValue{attribute.Float64("ms", 12.5)}},
		{"NaN is left out", slog.Float64("ms", math.NaN()), nil},
		{"+Inf is left out", slog.Float64("ms", math.Inf(1)), nil},
		{"-Inf is left out", slog.Float64("ms", math.Inf(-1)), nil},
		{"string slice", slog.Any("l", []string{"a", "b"}), []attribute.KeyValue{attribute.StringSlice("l", []string{"a", "b"})}},
		{"LogValuer is resolved", slog.Any("k", lazy("v")), []attribute.KeyValue{attribute.String("k", "v")}},
		{"time is left out", slog.Time("t", time.Unix(1, 0)), nil},
		{"duration is left out", slog.Duration("d", time.Second), nil},
		{"group is left out", slog.Group("g", slog.String("a", "b")), nil},
		{"other Any is left out", slog.Any("k", []int{1}), nil},
		{"empty key is left out", slog.String("", "v"), nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, appendAttributes(nil, []slog.Attr{tt.in}))
		})
	}
}
