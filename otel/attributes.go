package otel

import (
	"log/slog"
	"math"

	"go.opentelemetry.io/otel/attribute"
)

// appendAttributes converts the core packages' attributes (Host.Attributes,
// Sandbox.Attributes, Invocation.Attributes: the one table of names) to
// OpenTelemetry ones, keeping the type: strings, bools, int64s, float64s
// and string slices. A uint64 above math.MaxInt64, a NaN or infinite float
// and any other kind (times, durations, groups) are left out: OTel has no
// faithful type for them, and a wrong number is worse than none.
func appendAttributes(dst []attribute.KeyValue, attrs []slog.Attr) []attribute.KeyValue {
	for _, a := range attrs {
		if kv, ok := convert(a); ok {
			dst = append(dst, kv)
		}
	}
	return dst
}

func convert(a slog.Attr) (attribute.KeyValue, bool) {
	if a.Key == "" {
		return attribute.KeyValue{}, false
	}
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return attribute.String(a.Key, v.String()), true
	case slog.KindBool:
		return attribute.Bool(a.Key, v.Bool()), true
	case slog.KindInt64:
		return attribute.Int64(a.Key, v.Int64()), true
	case slog.KindUint64:
		if u := v.Uint64(); u <= math.MaxInt64 {
			return attribute.Int64(a.Key, int64(u)), true
		}
	case slog.KindFloat64:
		if f := v.Float64(); !math.IsNaN(f) && !math.IsInf(f, 0) {
			return attribute.Float64(a.Key, f), true
		}
	case slog.KindAny:
		if s, ok := v.Any().([]string); ok {
			return attribute.StringSlice(a.Key, s), true
		}
	}
	return attribute.KeyValue{}, false
}
