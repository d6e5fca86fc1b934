package faasprobe

import (
	"context"
	"io"
	"os"
	"testing"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/faasprobe/faasprobe/internal/logline"
)

// The per-invocation cost of the README program's wrapper (cold-start
// tracking, the ping check, the invocation line to a handler that discards
// it) against the same handler made by aws-lambda-go alone, on the same
// payload. BenchmarkHandlerNoLine is the wrapper without a logger: the
// difference to BenchmarkHandler is the line's own cost (slog's record and
// the JSON encoding); BenchmarkHandlerVMStats adds WithVMStats (the
// per-invocation VM sample). All on the live machine, lines to io.Discard:
//
//	go test -run '^$' -bench 'Handler' -benchmem -count 5 .

var benchPayload = []byte(`{"id":7,"note":"a typical small event"}`)

func benchContext() context.Context {
	return lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: "8476a536-e9f4-11e8-9739-2dfe598c3fcd"})
}

func benchInvoke(b *testing.B, h lambda.Handler) {
	ctx := benchContext()
	if _, err := h.Invoke(ctx, benchPayload); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := h.Invoke(ctx, benchPayload); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBareHandler(b *testing.B) {
	benchInvoke(b, lambda.NewHandler(handle))
}

func BenchmarkHandler(b *testing.B) {
	p := New(WithLogger(logline.NewLogger(io.Discard)))
	benchInvoke(b, p.Handler(handle))
}

func BenchmarkHandlerNoLine(b *testing.B) {
	p := New(WithLogger(nil))
	benchInvoke(b, p.Handler(handle))
}

func BenchmarkHandlerVMStats(b *testing.B) {
	if _, err := os.Stat("/proc/stat"); err != nil {
		b.Skip("no /proc/stat")
	}
	p := New(WithLogger(logline.NewLogger(io.Discard)), WithVMStats())
	benchInvoke(b, p.Handler(handle))
}
