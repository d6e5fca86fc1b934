//go:build linux

package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/faasprobe/faasprobe/coldstart"
	"github.com/faasprobe/faasprobe/hostinfo"
	"github.com/faasprobe/faasprobe/sandbox"
)

const (
	envChild  = "FAASPROBE_COLDPROBE_CHILD"  // "detect" or "raw"
	envExecNs = "FAASPROBE_COLDPROBE_EXECNS" // parent's wall clock before exec, ns
)

// phase is one timed step of a child.
type phase struct {
	Name   string        `json:"name"`
	D      time.Duration `json:"ns"`
	MinFlt int64         `json:"minflt"`
	Bytes  int64         `json:"alloc_bytes"`
	Allocs int64         `json:"allocs"`
}

func main() {
	n := flag.Int("n", 50, "fresh processes to run")
	raw := flag.Bool("raw", false, "also time a raw read of the same files in fresh processes")
	child := flag.Bool("child", false, "run one child in this process and print its phases as JSON")
	bins := flag.String("bins", "", "A,B: instead, time whole runs of two binaries (fork to exit), alternating, -n each")
	flag.Parse()

	switch mode := os.Getenv(envChild); {
	case mode == "raw":
		emit(rawChild())
		return
	case mode != "" || *child:
		emit(detectChild())
		return
	}
	if *bins != "" {
		a, b, ok := strings.Cut(*bins, ",")
		if !ok {
			fmt.Fprintln(os.Stderr, "coldprobe: -bins wants A,B")
			os.Exit(2)
		}
		if err := compare(*n, a, b); err != nil {
			fmt.Fprintln(os.Stderr, "coldprobe:", err)
			os.Exit(2)
		}
		return
	}
	if err := parent(*n, *raw); err != nil {
		fmt.Fprintln(os.Stderr, "coldprobe:", err)
		os.Exit(2)
	}
}

func emit(ps []phase) {
	if err := json.NewEncoder(os.Stdout).Encode(ps); err != nil {
		os.Exit(1)
	}
}

// stopwatch times consecutive phases.
type stopwatch struct {
	phases        []phase
	t             time.Time
	flt           int64
	bytes, allocs int64
}

func newStopwatch() *stopwatch {
	s := &stopwatch{}
	s.reset()
	return s
}

// heap reads the allocation counters (exact, but it stops the world: it is
// never inside a timed phase).
func (s *stopwatch) heap() (bytes, objects int64) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.TotalAlloc), int64(ms.Mallocs)
}

func (s *stopwatch) reset() {
	s.bytes, s.allocs = s.heap()
	s.flt = minflt()
	s.t = time.Now()
}

func (s *stopwatch) lap(name string) {
	now, f := time.Now(), minflt()
	b, a := s.heap()
	s.phases = append(s.phases, phase{Name: name, D: now.Sub(s.t), MinFlt: f - s.flt, Bytes: b - s.bytes, Allocs: a - s.allocs})
	s.reset() // the bookkeeping is not charged to the next phase
}

func minflt() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return int64(ru.Minflt)
}

// execToMain is the time from the parent's exec to this point, or 0.
func execToMain(now time.Time) phase {
	ns, err := strconv.ParseInt(os.Getenv(envExecNs), 10, 64)
	if err != nil {
		return phase{Name: "exec→main"}
	}
	return phase{Name: "exec→main", D: now.Sub(time.Unix(0, ns)), MinFlt: minflt()}
}

// growStack uses a 64 KiB frame, so that the goroutine's stack is grown
// once, up front (FAASPROBE_COLDPROBE_GROWSTACK=1): the phases after it
// then show what they cost without growing the stack themselves.
//
//go:noinline
func growStack() byte {
	var b [64 << 10]byte
	b[len(b)-1] = 1
	return b[len(b)-1] + b[0]
}

// detectChild does what hello's init does, timing each step.
func detectChild() []phase {
	first := execToMain(time.Now())
	if os.Getenv("FAASPROBE_COLDPROBE_GROWSTACK") == "1" {
		t := time.Now()
		growStack()
		first.D += time.Since(t)
	}
	sw := newStopwatch()
	host, _ := hostinfo.Detect()
	sw.lap("host")
	sb, _ := sandbox.Detect(sandbox.WithHost(host))
	sw.lap("sandbox")
	startupLine(host, sb)
	sw.lap("log")
	_ = coldstart.New()
	sw.lap("coldstart.New")
	host, _ = hostinfo.Detect()
	sw.lap("host#2")
	_, _ = sandbox.Detect(sandbox.WithHost(host))
	sw.lap("sandbox#2")
	return append([]phase{first}, sw.phases...)
}

// startupLine logs hello's startup line as hello does (examples/hello
// main.go startup, logInfo and replaceAttr: a record built by hand, UTC
// time, the level as a string, an empty problem list as []string), to
// io.Discard.
func startupLine(host hostinfo.Host, sb sandbox.Sandbox) {
	problems := append(append([]hostinfo.Problem{}, host.Problems...), sb.Problems...)
	problemsAttr := slog.Any("problems", []string{})
	if len(problems) > 0 {
		problemsAttr = slog.Any("problems", problems)
	}
	replaceAttr := func(groups []string, a slog.Attr) slog.Attr { // hello's
		if len(groups) == 0 && a.Key == slog.LevelKey {
			if l, ok := a.Value.Any().(slog.Level); ok {
				return slog.String(slog.LevelKey, l.String())
			}
		}
		return lambdacontext.ReplaceAttr(groups, a)
	}
	logger := slog.New(slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{ReplaceAttr: replaceAttr}))
	r := slog.NewRecord(time.Now().UTC(), slog.LevelInfo, "faasprobe.startup", 0)
	r.AddAttrs(slog.Any("host", host), slog.Any("sandbox", sb), slog.Float64("detect_ms", 1.0), problemsAttr)
	_ = logger.Handler().Handle(context.Background(), r)
}

// rawFiles are the files hostinfo and sandbox read on a live Linux machine
// like this one (Firecracker, cgroup v2), in their order.
var rawFiles = []string{
	"/proc/cpuinfo", "/proc/meminfo", "/proc/version", "/proc/sys/kernel/osrelease",
	"/proc/sys/kernel/version", "/proc/sys/kernel/random/boot_id", "/proc/stat",
	"/proc/uptime", "/proc/sys/kernel/hostname", "/etc/machine-id", "/proc/self/sessionid",
	"/proc/cmdline", "/sys/devices/system/clocksource/clocksource0/current_clocksource",
	"/proc/modules", "/proc/self/cgroup",
	"/proc/self/status", "/etc/passwd", "/etc/group", "/proc/self/cgroup", "/proc/self/mountinfo",
	"/sys/devices/system/cpu/online", "/proc/self/limits",
}

var perFile = flag.Bool("per-file", false, "with -raw: time each file apart")

// rawChild reads rawFiles with open/read/close only.
func rawChild() []phase {
	first := execToMain(time.Now())
	sw := newStopwatch()
	buf := make([]byte, 64<<10)
	for _, f := range rawFiles {
		fd, err := syscall.Open(f, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != nil {
			continue
		}
		for {
			n, err := syscall.Read(fd, buf)
			if n <= 0 || err != nil {
				break
			}
		}
		syscall.Close(fd)
		if *perFile {
			sw.lap(f)
		}
	}
	if !*perFile {
		sw.lap("raw files")
	}
	cpu := time.Now()
	for range 5 {
		b, _ := os.ReadFile("/proc/cpuinfo")
		_ = b
	}
	sw.phases = append(sw.phases, phase{Name: "cpuinfo read (each)", D: time.Since(cpu) / 5})
	sw.reset()
	rand.Read(buf[:16])
	sw.lap("crypto/rand.Read 16 B (first)")
	return append([]phase{first}, sw.phases...)
}

// parent runs the children and prints the summaries.
func parent(n int, raw bool) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	env := append(os.Environ(),
		"AWS_LAMBDA_FUNCTION_NAME=coldprobe", "AWS_REGION=us-east-1",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=128", "AWS_LAMBDA_LOG_STREAM_NAME=$LATEST")
	modes := []string{"detect"}
	if raw {
		modes = append(modes, "raw")
	}
	for _, mode := range modes {
		runs := map[string][]phase{}
		var order []string
		for range n + 2 { // the first two warm the page cache and are dropped
			ps, err := runChild(self, os.Args[1:], append(env, envChild+"="+mode))
			if err != nil {
				return err
			}
			for _, p := range ps {
				if _, ok := runs[p.Name]; !ok {
					order = append(order, p.Name)
				}
				runs[p.Name] = append(runs[p.Name], p)
			}
		}
		fmt.Printf("coldprobe %s: %d fresh processes (2 more dropped), ms and minor faults:\n", mode, n)
		tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "phase\tp10\tmedian\tp90\tminflt\theap bytes\tallocs\t")
		for _, name := range order {
			ps := runs[name][2:]
			ds := make([]time.Duration, len(ps))
			fs := make([]time.Duration, len(ps))
			for i, p := range ps {
				ds[i], fs[i] = p.D, time.Duration(p.MinFlt)
			}
			last := ps[len(ps)-1]
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%d\t\n", name, ms(quantile(ds, 0.1)), ms(quantile(ds, 0.5)), ms(quantile(ds, 0.9)), int64(quantile(fs, 0.5)), last.Bytes, last.Allocs)
		}
		tw.Flush()
		fmt.Println()
	}
	return nil
}

// compare runs binaries a and b alternately (a,b then b,a), n times each,
// and prints the medians of their wall time from fork to exit and of the
// paired differences. Lambda handlers run this way (no AWS_LAMBDA_RUNTIME_API)
// do their init and exit at lambda.Start: the difference is the init cost
// without the emulator's noise.
func compare(n int, a, b string) error {
	env := append(os.Environ(),
		"AWS_LAMBDA_FUNCTION_NAME=coldprobe", "AWS_REGION=us-east-1",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=128", "AWS_LAMBDA_LOG_STREAM_NAME=$LATEST")
	runOnce := func(bin string) time.Duration {
		cmd := exec.Command(bin)
		cmd.Env = env
		t := time.Now()
		_ = cmd.Run() // a handler without the runtime API exits 1
		return time.Since(t)
	}
	var da, db, diff []time.Duration
	for i := range n + 2 {
		var ta, tb time.Duration
		if i%2 == 0 {
			ta, tb = runOnce(a), runOnce(b)
		} else {
			tb, ta = runOnce(b), runOnce(a)
		}
		if i < 2 {
			continue
		}
		da, db, diff = append(da, ta), append(db, tb), append(diff, ta-tb)
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "fork→exit, %d runs each, ms\tp10\tmedian\tp90\t\n", n)
	for _, r := range []struct {
		name string
		ds   []time.Duration
	}{{a, da}, {b, db}, {"A - B, paired", diff}} {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", r.name, ms(quantile(r.ds, 0.1)), ms(quantile(r.ds, 0.5)), ms(quantile(r.ds, 0.9)))
	}
	return tw.Flush()
}

func runChild(self string, args, env []string) ([]phase, error) {
	cmd := exec.Command(self, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.Env = append(env, envExecNs+"="+strconv.FormatInt(time.Now().UnixNano(), 10))
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("child: %w: %s", err, strings.TrimSpace(errb.String()))
	}
	var ps []phase
	sc := bufio.NewScanner(&out)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if err := json.Unmarshal(sc.Bytes(), &ps); err != nil {
			return nil, fmt.Errorf("child output: %w", err)
		}
	}
	return ps, sc.Err()
}
