// Package lambdainvoke is the aws-sdk-go-v2 implementation of
// warmer.Invoker: a synchronous Lambda Invoke per ping.
//
//	cfg, err := config.LoadDefaultConfig(ctx)
//	inv := lambdainvoke.New(lambda.NewFromConfig(cfg))
//	report, err := warmer.Ping(ctx, inv, plan)
//
// It lives apart from package warmer so that a function that only needs
// warmer.Wrap does not link the SDK: importing warmer costs no aws-sdk-go-v2
// package, importing this one costs the Lambda client and its
// dependencies (measured in the warmer tests' report).
//
// No file is read and no environment variable is consulted here: the
// client's configuration (region, credentials, endpoint) is the caller's.
// Errors quote at most 256 bytes of a failed invocation's payload and never
// the credentials.
package lambdainvoke
