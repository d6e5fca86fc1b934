package coldstart

import (
	"context"
	"log/slog"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/faasprobe/faasprobe/internal/platformenv"
)

// PowertoolsAttrs is PowertoolsAttrs (the package function) with t's
// environment.
func (t *Tracker) PowertoolsAttrs(ctx context.Context) []slog.Attr {
	attrs := make([]slog.Attr, 0, 5)
	if inv, ok := FromContext(ctx); ok {
		attrs = append(attrs, slog.Bool("cold_start", inv.Cold))
	}
	if fn := platformenv.Lookup(t.env.Getenv, "AWS_LAMBDA_FUNCTION_NAME"); fn != "" {
		attrs = append(attrs, slog.String("function_name", fn))
	}
	if mem, err := platformenv.ParseMemoryMB(t.env.Getenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")); err == nil {
		attrs = append(attrs, slog.Int("function_memory_size", mem))
	}
	if lc, ok := lambdacontext.FromContext(ctx); ok && lc != nil {
		if lc.InvokedFunctionArn != "" {
			attrs = append(attrs, slog.String("function_arn", lc.InvokedFunctionArn))
		}
		if lc.AwsRequestID != "" {
			attrs = append(attrs, slog.String("function_request_id", lc.AwsRequestID))
		}
	}
	return attrs
}
