// Package rietest runs Lambda handlers under the real AWS Lambda Runtime
// Interface Emulator (RIE) for end-to-end tests and measurements.
//
// It builds a handler package into a `bootstrap` binary exactly as it is
// deployed on provided.al2023 (`CGO_ENABLED=0 go build -tags lambda.norpc`),
// starts `aws-lambda-rie` on free 127.0.0.1 ports with an environment the
// caller controls (nothing is inherited from the test process), invokes it
// over HTTP, captures every output line, parses the REPORT lines, and stops
// every process it started.
//
// This is test support, shared by the tests under examples/ and
// internal/safety: unlike the library packages it runs commands and listens
// (on 127.0.0.1 only). internal/safety classifies it as test-only and fails
// if any library package links it.
//
// # Typical use in a test
//
//	bootstrap := rietest.Build(t, "github.com/faasprobe/faasprobe/examples/hello")
//	emu := rietest.Start(t, rietest.Config{
//		Bootstrap: bootstrap,
//		Env:       map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "hello"},
//	})
//	inv, err := emu.Invoke(ctx, []byte(`{}`))
//	// inv.Status, inv.Body, inv.Report (the REPORT line), inv.InitDuration
//	// (the real init time, on the cold invocation), emu.Lines(), emu.Output(),
//	// emu.RuntimeEnv() (what RIE gave the function, e.g. its metadata token)
//
// Start registers Stop with t.Cleanup (and logs the emulator's output when
// the test failed). Programs (not tests) use BuildBootstrap and Launch and
// call Stop themselves (see examples/internal/coldbench).
//
// Several emulators may run at once: each Launch takes its own two ports,
// so a test can stand up N sandboxes and dispatch to them. An
// Emulator's Endpoint with function name "function" also serves the
// aws-sdk-go-v2 Lambda client (BaseEndpoint).
//
// The emulator runs every executable in /opt/extensions as a Lambda
// extension. Config.Opt gives one emulator a /opt of its own (a bind mount
// in a private mount namespace; root only), so that an extension under
// test runs for that emulator and no other.
//
// # Finding the emulator
//
// Find looks at $FAASPROBE_RIE, then aws-lambda-rie on $PATH, then $GOBIN and
// $(go env GOPATH)/bin. Require skips the test when it is missing, except
// when $CI is set: then the test fails. Install it with InstallCommand
// (.ci/install-rie.sh runs the same).
//
// # What the emulator does
//
// Read from its source (module
// github.com/aws/aws-lambda-runtime-interface-emulator at the pinned
// Version; paths below are inside it), and observed running it: most
// points are pinned by the tests under examples/.
//
//   - Command line (internal/lambda/rie/run.go): `aws-lambda-rie [flags]
//     BOOTSTRAP [ARGS...]`; the first non-flag argument is the command to
//     run, and with more than one argument the last is taken as the handler
//     name. The working directory of the function is RIE's own. Flags:
//     --runtime-interface-emulator-address (invoke API, default
//     0.0.0.0:8080) and --runtime-api-address (Runtime API, default
//     127.0.0.1:9001, internal/lambda/rapidcore/sandbox_builder.go). Port 0
//     does not work for the Runtime API: the address handed to the function
//     is formatted before the listener is opened
//     (internal/lambda/rapid/sandbox.go, Start), so the function would be
//     told port 0. Launch
//     therefore picks two free ports itself and passes both, which is what
//     makes several emulators at once possible.
//   - The bootstrap is started lazily by the first invocation, not at RIE
//     start (internal/lambda/rie/handlers.go, InvokeHandler/InitHandler).
//     That invocation's REPORT line carries `Init Duration`, but it times
//     only the asynchronous Init call (rapidcore Server.Init starts the init
//     in a goroutine and returns): 0.02–0.2 ms whatever the function does. The
//     real init time — from the start of the init phase, before the
//     bootstrap is executed, to the runtime's first /next — is RIE's own log
//     line `INIT REPORT(durationMs: 3.430000)` on its stderr
//     (internal/lambda/rapid/handlers.go sendInitReportLogEvent, µs
//     resolution). Invocation.InitDuration is that figure; the REPORT line's
//     Duration of a cold invocation includes the init.
//   - One invocation at a time: a concurrent request makes the classic
//     emulator crash (Reserve fails with AlreadyReserved and
//     internal/lambda/rapidcore/server.go Invoke then dereferences the nil
//     reservation: panic, process exit). Invoke therefore serialises calls
//     on one Emulator; a dispatcher spreading load over several sandboxes
//     must send each request to an idle emulator.
//   - Environment of the function (handlers.go InitHandler and
//     internal/lambda/rapidcore/env/environment.go): defaults
//     AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/Functions,
//     AWS_LAMBDA_LOG_STREAM_NAME=$LATEST, AWS_LAMBDA_FUNCTION_VERSION=$LATEST,
//     AWS_LAMBDA_FUNCTION_MEMORY_SIZE=3008,
//     AWS_LAMBDA_FUNCTION_NAME=test_function; then RIE's whole environment is
//     forwarded and overrides those defaults (so a realistic log stream name
//     can be set); credentials come from RIE's AWS_ACCESS_KEY_ID,
//     AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN; AWS_LAMBDA_RUNTIME_API,
//     AWS_LAMBDA_METADATA_API and AWS_LAMBDA_METADATA_TOKEN are always set
//     by RIE and override anything given. AWS_LAMBDA_INITIALIZATION_TYPE is
//     not set by the classic emulator.
//   - Metadata API (internal/lmds/handler.go, mounted on the Runtime API
//     server by internal/lambda/rapi/server.go): AWS_LAMBDA_METADATA_API is
//     the Runtime API address; the token is a random UUID made per RIE
//     process (internal/lambda/rapid/sandbox.go); `GET
//     /2026-01-15/metadata/execution-environment` with `Authorization:
//     Bearer <token>` answers `{"AvailabilityZoneID":"use1-az1"}` (fixed),
//     401 without the right bearer token, 405 for other methods.
//     Emulator.RuntimeEnv reads the real token from the running bootstrap's
//     /proc/<pid>/environ so a test can check that it never leaks.
//   - Output: the function's stdout and stderr both go to RIE's stdout,
//     interleaved with RIE's START, END and REPORT lines (fmt.Println in
//     handlers.go); RIE's own diagnostics (logrus) go to its stderr.
//   - The bootstrap runs in its own process group (Setpgid in
//     internal/lambda/supervisor/local_supervisor.go): killing RIE's group
//     does not reach it. On SIGTERM RIE resets the sandbox and exits: the
//     runtime gets SIGKILL at once, or — when it registered an extension, as
//     aws-lambda-go's WithEnableSIGTERM does — SIGTERM, then SIGKILL after
//     RIE's deadline (~600 ms observed). Stop also kills the runtime's group
//     itself as a safety net.
//   - Setting AWS_LAMBDA_MAX_CONCURRENCY switches the binary to the Lambda
//     Managed Instances emulator (cmd/aws-lambda-rie/main.go), which takes
//     the same two address flags, also answers use1-az1 and sets
//     AWS_LAMBDA_INITIALIZATION_TYPE
//     (internal/lambda-managed-instances/rapidcore/env/environment.go; read,
//     not exercised here).
package rietest
