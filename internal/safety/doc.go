// Package safety holds, as tests, the guarantees faasprobe makes to the
// function that imports it ("can it hurt me?"). It has no code
// outside its _test.go files; `go test ./internal/safety` (part of
// `go test ./...`) checks:
//
//   - Import graph and calls (imports_test.go): no library package — every
//     package of the module except commands (main packages, cmd/...),
//     examples/..., and test-only helpers, all derived with `go list`; test
//     support such as internal/rietest (it runs aws-lambda-rie) is test-only
//     by its path, and no library package may link a test-only one — reaches
//     os/exec on Linux, nor calls net.Listen-style listeners,
//     http.ListenAndServe/Serve, syscall.Exec/ForkExec, os.StartProcess, or
//     writes a file (os.WriteFile, os.Create, os.OpenFile or syscall.Open with
//     write flags, os.Mkdir*, …) in any of its non-test files for any build
//     tag; only internal/record (the recorder) may write, and no library
//     package may import it. On macOS and Windows the only route to os/exec is
//     gopsutil (the non-Linux fallback); the test pins that.
//   - procfs (imports_test.go): no library package links
//     prometheus/procfs, whose package init costs ~0.3 ms and ~900
//     allocations (only tests use it). Init work of faasprobe's own
//     packages is gated by .ci/initcheck (.ci/gates), not here: it needs a
//     built binary run under GODEBUG=inittrace=1.
//   - Fault matrix (fault_test.go): every file of internal/sources, one at a
//     time, missing / empty / truncated / binary garbage / unreadable (a
//     directory, a FIFO, and chmod 000 when not root) / huge (> 1 MiB):
//     hostinfo.Detect, sandbox.Detect and coldstart.New with WithRoot never
//     panic nor hang, keep every fact that does not depend on the damaged
//     file, and name the file in a problem unless the file's documented
//     behaviour is to be skipped silently.
//   - Secret canaries (canary_test.go): the faasprobe command in every mode
//     and subcommand, and every example handler under the Lambda Runtime
//     Interface Emulator, run with canary credentials in the environment; no
//     output (nor any file the command writes, nor a base64/gzip blob in a
//     response) contains one.
//   - Goroutines (goleak_test.go): every package with a go statement in its
//     non-test code verifies with go.uber.org/goleak in its TestMain.
//
// The tests run the go tool (go list, go build) and, for the examples,
// aws-lambda-rie through internal/rietest (the harness the examples' own
// tests use); without the emulator those tests skip, except with $CI set,
// where they fail. Fuzzing is not here: see .ci/fuzz-nightly and
// docs/testing.md.
package safety
