// Command bare is the baseline for examples/hello: the same aws-lambda-go
// handler shape (JSON event in, JSON object out) with no faasprobe package
// and no startup work. Cold-start (Init Duration under the Runtime
// Interface Emulator) and binary-size comparisons are made against it; see
// examples/internal/coldbench.
//
// Build for provided.al2023:
//
//	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go build -tags lambda.norpc -o bootstrap ./examples/bare
package main

import (
	"context"
	"encoding/json"

	"github.com/aws/aws-lambda-go/lambda"
)

// response is what every invocation answers.
type response struct {
	Message string `json:"message"`
	// EventBytes is the size of the event received.
	EventBytes int `json:"event_bytes"`
}

func handler(_ context.Context, event json.RawMessage) (response, error) {
	return response{Message: "hello", EventBytes: len(event)}, nil
}

func main() {
	lambda.Start(handler)
}
