package warmer

import "context"

// Invoker invokes a function synchronously (RequestResponse) and returns
// its response payload. A function error (the handler failed: Lambda's
// X-Amz-Function-Error) must be returned as an error, as must anything but
// a successful invocation. Implementations must honour ctx: Ping and the
// fan-out wait for every call to return.
//
// warmer/lambdainvoke implements it with aws-sdk-go-v2 (kept out of this
// package so that Wrap does not pull the SDK into every function).
type Invoker interface {
	Invoke(ctx context.Context, req Request) ([]byte, error)
}

// Request is one invocation.
type Request struct {
	// Function is a function name, a partial ARN (123456789012:function:name)
	// or a full ARN, optionally with its qualifier.
	Function string
	// Qualifier is a version or alias; "" for none ($LATEST, or the one in
	// Function's ARN).
	Qualifier string
	// Payload is the event, JSON.
	Payload []byte
}

// InvokerFunc adapts a function to Invoker.
type InvokerFunc func(ctx context.Context, req Request) ([]byte, error)

// Invoke calls f.
func (f InvokerFunc) Invoke(ctx context.Context, req Request) ([]byte, error) { return f(ctx, req) }
