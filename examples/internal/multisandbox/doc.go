// Package multisandbox runs several AWS Lambda Runtime Interface Emulator
// processes (one sandbox each, via rietest) behind a small test-only
// dispatcher that routes each Invoke request to an idle sandbox, the way
// Lambda does: a sandbox serves one invocation at a time, busy sandboxes
// are skipped, and the lowest-numbered idle one is chosen (so a lone request
// keeps landing on a warm sandbox, and only concurrency reaches the others,
// each of which then pays its own cold start: the emulator starts the
// bootstrap at the first invocation). When every sandbox is busy a request
// waits up to Config.WaitIdle, then gets Lambda's throttling answer (429,
// TooManyRequestsException).
//
//	fleet := multisandbox.Start(t, multisandbox.Config{
//		Sandboxes: 3,
//		Emulator:  rietest.Config{Bootstrap: bootstrap},
//	})
//	client := lambda.New(lambda.Options{BaseEndpoint: aws.String(fleet.URL()), …})
//
// The dispatcher is an httptest server on 127.0.0.1 serving the Invoke
// API's path, POST /2015-03-31/functions/{name}/invocations, for any
// function name and qualifier (they all mean the one function). It forwards
// the payload and the X-Amz-Client-Context header to the chosen emulator
// and copies its status, headers and body back. Fleet.Served tells which
// sandbox served how many requests.
//
// This is test support under examples/: it runs processes and listens (on
// 127.0.0.1 only). Start registers Stop with t.Cleanup; Stop closes the
// dispatcher (waiting for requests in flight) and then stops every
// emulator. Every wait is bounded: the emulators' start (rietest), the wait
// for an idle sandbox, and each forwarded request (Config.RequestTimeout).
//
// Several emulators at once work because rietest gives each its own two
// free ports (the invoke API and the Runtime API, which cannot be port 0:
// see rietest's package doc).
package multisandbox
