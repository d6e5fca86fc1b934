package lambdainvoke

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/faasprobe/faasprobe/warmer"
)

// Client is the part of *lambda.Client that Invoker uses.
type Client interface {
	Invoke(ctx context.Context, in *lambda.InvokeInput, optFns ...func(*lambda.Options)) (*lambda.InvokeOutput, error)
}

// Invoker is a warmer.Invoker that calls the Lambda Invoke API
// synchronously (InvocationType RequestResponse, LogType None).
type Invoker struct {
	client Client
}

// New returns an Invoker that uses client (a *lambda.Client). Point the
// client elsewhere with its options, e.g. at the Runtime Interface Emulator
// (function name "function"):
//
//	client := lambda.NewFromConfig(cfg, func(o *lambda.Options) {
//		o.BaseEndpoint = aws.String("http://127.0.0.1:8080")
//	})
func New(client Client) *Invoker { return &Invoker{client: client} }

// maxErrorPayload bounds the part of a function error's payload quoted in
// the error.
const maxErrorPayload = 256

// Invoke invokes req.Function (with req.Qualifier, if any) and returns the
// response payload. A function error (FunctionError set: the handler
// failed) and a status other than 200 are errors that quote the start of
// the payload.
func (i *Invoker) Invoke(ctx context.Context, req warmer.Request) ([]byte, error) {
	if i == nil || i.client == nil {
		return nil, errors.New("lambdainvoke: nil client")
	}
	in := &lambda.InvokeInput{
		FunctionName:   aws.String(req.Function),
		InvocationType: types.InvocationTypeRequestResponse,
		LogType:        types.LogTypeNone,
		Payload:        req.Payload,
	}
	if req.Qualifier != "" {
		in.Qualifier = aws.String(req.Qualifier)
	}
	out, err := i.client.Invoke(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("lambdainvoke: invoke %s: %w", label(req), err)
	}
	if out.FunctionError != nil {
		return nil, fmt.Errorf("lambdainvoke: invoke %s: function error %s: %q", label(req), aws.ToString(out.FunctionError), clip(out.Payload))
	}
	if out.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("lambdainvoke: invoke %s: status %d: %q", label(req), out.StatusCode, clip(out.Payload))
	}
	return out.Payload, nil
}

func label(req warmer.Request) string {
	if req.Qualifier == "" {
		return req.Function
	}
	return req.Function + ":" + req.Qualifier
}

func clip(b []byte) string {
	if len(b) > maxErrorPayload {
		return string(b[:maxErrorPayload]) + "…"
	}
	return string(b)
}
