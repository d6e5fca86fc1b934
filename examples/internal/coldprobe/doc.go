// Command coldprobe times what examples/hello does at init, phase by phase,
// in fresh processes: it re-executes itself -n times and reports the median
// (and p10/p90) of each phase, with the minor page faults each phase took.
// It is the measuring tool behind the "+1 ms Init Duration" budget:
// coldbench says whether the budget is met under the emulator, coldprobe
// says where the time goes.
//
//	go run ./examples/internal/coldprobe -n 50            # phases of hostinfo/sandbox/log
//	go run ./examples/internal/coldprobe -n 50 -raw       # also: the same files read raw
//	go run ./examples/internal/coldprobe -raw -per-file   # … each file timed apart
//	go run ./examples/internal/coldprobe -child           # one process, JSON on stdout
//	go run ./examples/internal/coldprobe -n 150 -bins ./hello,./bare   # whole runs, A against B
//
// Phases of one child, in order (each timed with the monotonic clock; the
// page faults are getrusage(RUSAGE_SELF) ru_minflt differences, the heap
// figures runtime.MemStats differences read between phases):
//
//	exec→main      parent's clock before exec to the child's first statement
//	               (fork/exec, page-in, runtime and package init)
//	host           hostinfo.Detect()
//	sandbox        sandbox.Detect(sandbox.WithHost(host))
//	log            the startup line as hello writes it (slog JSON), to io.Discard
//	coldstart.New  what coldstart.Wrap sets up at init (/proc/self/stat, /proc/uptime)
//	host#2         hostinfo.Detect() again: what a warm process pays
//	sandbox#2      sandbox.Detect(WithHost) again
//
// FAASPROBE_COLDPROBE_GROWSTACK=1 grows the goroutine stack to 64 KiB before
// the phases, to tell stack growth apart from the phases' own cost.
//
// With -raw, a separate child reads the files hostinfo and sandbox read on
// this machine with plain open/read/close and nothing else (the IO floor),
// and times a first crypto/rand.Read.
//
// With -bins A,B, coldprobe runs two binaries alternately (A,B then B,A),
// -n times each, from fork to exit, and prints the medians and the paired
// difference. A Lambda handler started without AWS_LAMBDA_RUNTIME_API does
// its init and exits at lambda.Start, so hello against bare this way is
// their init difference without the emulator (whose own work is noise on
// a 2-vCPU machine).
//
// The environment of every child is this process's plus a Lambda-shaped set
// (AWS_LAMBDA_FUNCTION_NAME, AWS_REGION, AWS_LAMBDA_LOG_STREAM_NAME=$LATEST,
// memory 128), as coldbench gives the emulator.
package main
