package warmer_test

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/faasprobe/faasprobe/coldstart"
	"github.com/faasprobe/faasprobe/sandbox"
	"github.com/faasprobe/faasprobe/warmer"
)

// A handler wrapped with Wrap answers pings itself; everything else reaches
// the handler unchanged.
func ExampleWrap() {
	handle := func(_ context.Context, order struct{ ID int }) (string, error) {
		return fmt.Sprintf("order %d", order.ID), nil
	}
	h := warmer.Wrap(lambda.NewHandler(coldstart.Wrap(handle)),
		warmer.WithSandbox(sandbox.Sandbox{ID: "0123abcd", IDScope: sandbox.ScopeSandbox}))

	out, _ := h.Invoke(context.Background(), []byte(`{"warmer":true}`))
	var r warmer.Reply
	_ = json.Unmarshal(out, &r)
	fmt.Println(r.SandboxID, r.Format, "first:", r.First, "pings:", r.Pings)

	out, _ = h.Invoke(context.Background(), []byte(`{"ID":42}`))
	fmt.Println(string(out))
	// Output:
	// 0123abcd lambda-warmer first: true pings: 1
	// "order 42"
}

// Advise reads invocation history: a function called every 30 minutes is
// cold at every call without pings, and one pre-warm ping per gap fixes it.
func ExampleAdvise() {
	start := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	var calls []time.Time
	for i := range 48 {
		calls = append(calls, start.Add(time.Duration(i)*30*time.Minute))
	}
	a := warmer.Advise(calls, warmer.AdviceConfig{})
	fmt.Println(a.Policy, a.Worth, a.Interval, a.PreWarm, a.KeepAlive)
	fmt.Printf("cold starts %.0f%% → %.0f%%, %.1f pings per gap\n", 100*a.ColdShareWithout, 100*a.ColdShareWith, a.PingsPerIdleTime)
	// Output:
	// histogram true 4m0s 27m0s 34m6s
	// cold starts 100% → 0%, 1.0 pings per gap
}
