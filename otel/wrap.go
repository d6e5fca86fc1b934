package otel

import (
	"context"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/faasprobe/faasprobe/coldstart"
	global "go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/semconv/v1.43.0/faasconv"
	"go.opentelemetry.io/otel/trace"
)

// scope is the instrumentation scope of the meter and the tracer.
const scope = "github.com/faasprobe/faasprobe/otel"

// reasonKey is the name Invocation.Attributes gives Invocation.Reason; the
// metrics carry it too (a test keeps the two in step).
const reasonKey = attribute.Key("faasprobe.coldstart.reason")

// initGapBounds are the bucket bounds of the init-gap histogram, in
// seconds: the semantic conventions' duration bounds, stretched past the
// 10 s proactive-init threshold to 15 minutes.
var initGapBounds = []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60, 300, 900}

// recorder holds one wrapper's instruments.
type recorder struct {
	tracer     trace.Tracer
	coldstarts faasconv.Coldstarts
	initGap    metric.Float64Histogram
}

func newRecorder(c config) recorder {
	mp, tp := c.meters, c.tracers
	if mp == nil {
		mp = global.GetMeterProvider()
	}
	if tp == nil {
		tp = global.GetTracerProvider()
	}
	meter := mp.Meter(scope, metric.WithSchemaURL(semconv.SchemaURL))
	r := recorder{tracer: tp.Tracer(scope, trace.WithSchemaURL(semconv.SchemaURL))}
	var err error
	if r.coldstarts, err = faasconv.NewColdstarts(meter); err != nil {
		global.Handle(err)
	}
	if r.initGap, err = meter.Float64Histogram("faasprobe.coldstart.init_gap",
		metric.WithUnit("s"),
		metric.WithDescription("Time from the end of a sandbox's initialisation to its first invocation; "+
			"above 10 s the first invocation is proactive-init, not cold."),
		metric.WithExplicitBucketBoundaries(initGapBounds...)); err != nil {
		global.Handle(err)
	}
	return r
}

// Wrap returns a handler that observes each invocation with coldstart
// (coldstart.WrapWith on WithTracker's tracker), puts its facts on the
// invocation span (SetSpanAttributes), calls h, and on the sandbox's first
// invocation records the metrics faas.coldstarts (cold ones only) and
// faasprobe.coldstart.init_gap (seconds), both with the attribute
// faasprobe.coldstart.reason.
//
// The invocation span is the one in the context: otellambda's, when the
// handler it instruments is the one Wrap returns
// (otellambda.InstrumentHandler(fpotel.Wrap(h))). When the context carries
// none, Wrap starts a server span named after the function
// (lambdacontext.FunctionName, else "invocation") with WithTracerProvider's
// tracer, and ends it when h returns, with an error status if h failed.
// Calling Wrap creates the instruments and marks init end, as
// coldstart.Wrap does.
func Wrap[TIn, TOut any](h func(context.Context, TIn) (TOut, error), opts ...Option) func(context.Context, TIn) (TOut, error) {
	c := newConfig(opts)
	if h == nil {
		return coldstart.WrapWith[TIn, TOut](c.tracker, nil) // its nil-handler error
	}
	r := newRecorder(c)
	return coldstart.WrapWith(c.tracker, func(ctx context.Context, in TIn) (TOut, error) {
		inv, _ := coldstart.FromContext(ctx)
		ctx, own := r.begin(ctx, inv)
		if own == nil {
			return h(ctx, in)
		}
		defer own.End()
		out, err := h(ctx, in)
		if err != nil {
			own.SetStatus(codes.Error, err.Error())
		}
		return out, err
	})
}

// begin annotates the invocation span (starting one if ctx has none; own
// is then that span) and records the first invocation's metrics.
func (r recorder) begin(ctx context.Context, inv coldstart.Invocation) (_ context.Context, own trace.Span) {
	if !trace.SpanContextFromContext(ctx).IsValid() {
		name := lambdacontext.FunctionName
		if name == "" {
			name = "invocation"
		}
		ctx, own = r.tracer.Start(ctx, name, trace.WithSpanKind(trace.SpanKindServer))
	}
	SetSpanAttributes(ctx, inv)
	if inv.First {
		reason := reasonKey.String(string(inv.Reason))
		if inv.Cold {
			r.coldstarts.Add(ctx, 1, reason)
		}
		r.initGap.Record(ctx, inv.SinceInitMs/1e3, metric.WithAttributes(reason))
	}
	return ctx, own
}

// SetSpanAttributes puts inv's facts (Invocation.Attributes: faas.coldstart,
// faas.invocation_id when the request id is known, faasprobe.coldstart.*)
// on the span in ctx, if it is recording. For handlers wrapped otherwise:
//
//	inv, _ := coldstart.FromContext(ctx) // under coldstart.Wrap
//	fpotel.SetSpanAttributes(ctx, inv)
func SetSpanAttributes(ctx context.Context, inv coldstart.Invocation) {
	span := trace.SpanFromContext(ctx)
	if !span.IsRecording() {
		return
	}
	ia := inv.Attributes()
	span.SetAttributes(appendAttributes(make([]attribute.KeyValue, 0, len(ia)), ia)...)
}
