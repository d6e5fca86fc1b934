// Command hello is the README's program: a Lambda function that knows where
// it runs and whether each invocation is cold. faasprobe.Start detects the
// host and sandbox facts at init and logs the startup line, then logs one
// invocation line per invocation; the handler answers with the
// invocation's facts (coldstart.Invocation). The end-to-end tests run it
// under the AWS Lambda Runtime Interface Emulator (examples/bare is its
// baseline), and its log is what `faasprobe fleet` reads.
//
// Environment switches (faasprobe.EnvMetadata, EnvShutdownStats,
// EnvVMStats): FAASPROBE_METADATA=1 also asks the Lambda metadata API for
// the availability-zone id; FAASPROBE_SHUTDOWN_STATS=1 logs the shutdown
// line; FAASPROBE_VM_STATS=1 adds the VM sample to each invocation line.
//
// Build for provided.al2023 (GOARCH amd64 or arm64):
//
//	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go build -tags lambda.norpc -o bootstrap ./examples/hello
package main
