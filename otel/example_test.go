package otel_test

import (
	"context"
	"fmt"
	"time"

	"github.com/faasprobe/faasprobe/coldstart"
	fpotel "github.com/faasprobe/faasprobe/otel"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// The detector on a recorded Firecracker-era Lambda sandbox, and a handler
// wrapped with Wrap, exported to the SDK's in-memory exporters. The
// coldstart tracker has a settable clock so that the output is fixed. In a
// function:
//
//	res, err := resource.New(ctx, resource.WithDetectors(fpotel.NewDetector()))
//	lambda.Start(otellambda.InstrumentHandler(fpotel.Wrap(handler)))
func Example() {
	ctx := context.Background()
	res, err := resource.New(ctx, resource.WithDetectors(
		fpotel.NewDetector(fpotel.WithRoot("../testdata/scenarios/lambda-firecracker-2022-x86"))))
	if err != nil {
		fmt.Println(err)
	}
	for _, k := range []attribute.Key{"cloud.platform", "cloud.region", "faas.name", "faas.instance",
		"faas.max_memory", "faasprobe.host.hypervisor", "faasprobe.sandbox.isolation"} {
		v, _ := res.Set().Value(k)
		fmt.Printf("%s=%s\n", k, v.Emit())
	}

	spans, reader := tracetest.NewSpanRecorder(), sdkmetric.NewManualReader()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans), sdktrace.WithResource(res))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader), sdkmetric.WithResource(res))
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tracker := coldstart.New(coldstart.WithClock(func() time.Time { return now }),
		coldstart.WithEnv(func(string) (string, bool) { return "", false }))

	handler := fpotel.Wrap(func(_ context.Context, name string) (string, error) {
		return "hello " + name, nil
	}, fpotel.WithTracker(tracker), fpotel.WithTracerProvider(tp), fpotel.WithMeterProvider(mp))
	for _, name := range []string{"ada", "grace", "edsger"} {
		now = now.Add(120 * time.Millisecond)
		if _, err := handler(ctx, name); err != nil {
			fmt.Println(err)
		}
	}

	for _, s := range spans.Ended() {
		a := attribute.NewSet(s.Attributes()...)
		cold, _ := a.Value("faas.coldstart")
		reason, _ := a.Value("faasprobe.coldstart.reason")
		fmt.Printf("span %s: faas.coldstart=%v reason=%s\n", s.Name(), cold.AsBool(), reason.AsString())
	}
	var rm metricdata.ResourceMetrics
	if err := reader.Collect(ctx, &rm); err != nil {
		fmt.Println(err)
	}
	for _, m := range rm.ScopeMetrics[0].Metrics {
		switch d := m.Data.(type) {
		case metricdata.Sum[int64]:
			p := d.DataPoints[0]
			fmt.Printf("%s %s=%d\n", m.Name, p.Attributes.Encoded(attribute.DefaultEncoder()), p.Value)
		case metricdata.Histogram[float64]:
			p := d.DataPoints[0]
			fmt.Printf("%s %s count=%d sum=%g%s\n", m.Name, p.Attributes.Encoded(attribute.DefaultEncoder()), p.Count, p.Sum, m.Unit)
		}
	}
	// Output:
	// cloud.platform=aws_lambda
	// cloud.region=us-west-1
	// faas.name=exec
	// faas.instance=2022/02/24/[$LATEST]adc8ffa31b144205a859666534d566cd
	// faas.max_memory=134217728
	// faasprobe.host.hypervisor=firecracker
	// faasprobe.sandbox.isolation=microvm
	// span invocation: faas.coldstart=true reason=on-demand
	// span invocation: faas.coldstart=false reason=warm
	// span invocation: faas.coldstart=false reason=warm
	// faas.coldstarts faasprobe.coldstart.reason=on-demand=1
	// faasprobe.coldstart.init_gap faasprobe.coldstart.reason=on-demand count=1 sum=0.12s
}
