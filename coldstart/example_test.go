package coldstart_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/faasprobe/faasprobe/coldstart"
)

// A Lambda handler wrapped with coldstart, replayed on a recorded sandbox
// (testdata/lambda-on-demand: the process is 270 ms old, the microVM 450 ms)
// with a settable clock so that the output is deterministic. In a real
// function: lambda.Start(coldstart.Wrap(handler)), and no options.
func Example() {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tracker := coldstart.New(
		coldstart.WithRoot("testdata/lambda-on-demand"),
		coldstart.WithClock(func() time.Time { return now }),
		coldstart.WithEMF(os.Stdout), // the ColdStart metric, as Powertools writes it
		coldstart.WithServiceName("greeter"),
	)

	// Wrapping marks the end of init.
	handler := coldstart.WrapWith(tracker, func(ctx context.Context, name string) (string, error) {
		inv, _ := coldstart.FromContext(ctx)
		now = now.Add(30 * time.Millisecond) // the handler's work
		return fmt.Sprintf("hello %s: seq=%d cold=%v reason=%s since_init=%.0fms",
			name, inv.Seq, inv.Cold, inv.Reason, inv.SinceInitMs), nil
	})

	now = now.Add(120 * time.Millisecond) // the first request arrives
	out, _ := handler(context.Background(), "ada")
	fmt.Println(out)

	now = now.Add(2 * time.Second)
	out, _ = handler(context.Background(), "grace")
	fmt.Println(out)

	b, _ := json.Marshal(tracker.Observe())
	fmt.Println(string(b))

	s := tracker.Stats()
	fmt.Printf("invocations=%d cold=%d warm=%d busy=%.0fms idle=%.0fms process_start=%s\n",
		s.Invocations, s.Cold, s.Warm, s.BusyMs, s.IdleMs, s.ProcessStart.Format(time.RFC3339Nano))
	// Output:
	// {"_aws":{"Timestamp":1767323045120,"CloudWatchMetrics":[{"Namespace":"default_namespace","Dimensions":[["function_name","service"]],"Metrics":[{"Name":"ColdStart","Unit":"Count"}]}]},"function_name":"hello","service":"greeter","ColdStart":1}
	// hello ada: seq=1 cold=true reason=on-demand since_init=120ms
	// hello grace: seq=2 cold=false reason=warm since_init=2150ms
	// {"first":false,"cold":false,"reason":"warm","seq":3,"init_type":"on-demand","since_process_start_ms":2450,"process_start_source":"proc-uptime","since_init_ms":2180,"init_source":"wrap","since_previous_ms":30,"sandbox_age_ms":2630,"time":"2026-01-02T03:04:07.18Z"}
	// invocations=3 cold=1 warm=2 busy=60ms idle=2120ms process_start=2026-01-02T03:04:04.73Z
}
