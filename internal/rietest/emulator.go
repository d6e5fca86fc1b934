package rietest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// InvokePath is the emulator's invoke endpoint (function name "function").
const InvokePath = "/2015-03-31/functions/function/invocations"

// MetadataPath is the Lambda metadata API endpoint, served by the emulator
// on the Runtime API address.
const MetadataPath = "/2026-01-15/metadata/execution-environment"

// Config says how to run the emulator.
type Config struct {
	// Bootstrap is the path of the handler binary (see Build). Required.
	Bootstrap string
	// Env is the emulator's whole environment besides PATH: nothing is
	// inherited from the calling process. The emulator forwards all of it to
	// the function (credentials included), except the variables it sets
	// itself (see the package doc). Default: empty.
	Env map[string]string
	// PATH for the emulator and the function. Default: "/usr/bin:/bin".
	PATH string
	// FunctionTimeout sets AWS_LAMBDA_FUNCTION_TIMEOUT (whole seconds,
	// rounded up) when not zero. Default: the emulator's 300 s.
	FunctionTimeout time.Duration
	// Dir is the working directory of the emulator and so of the function.
	// Default: the directory of Bootstrap.
	Dir string
	// RIE is the path of aws-lambda-rie. Default: Find().
	RIE string
	// StartTimeout bounds the wait for the emulator's two listeners.
	// Default: 10 s.
	StartTimeout time.Duration
	// Opt, when set, is a directory the emulator sees as /opt: it is
	// bind-mounted over /opt in a private mount namespace of the emulator
	// alone (so the executables in Opt/extensions run as Lambda extensions
	// for this emulator and no other). Needs root on Linux. Default: none,
	// the machine's /opt.
	Opt string
}

// Emulator is one running aws-lambda-rie process: one sandbox.
type Emulator struct {
	cmd         *exec.Cmd
	invokeAddr  string // 127.0.0.1:port of the invoke API
	runtimeAddr string // 127.0.0.1:port of the Runtime API (and metadata API)
	client      *http.Client
	transport   *http.Transport

	out         *lineLog
	pipes       []*os.File    // read ends of stdout and stderr
	readersDone chan struct{} // both readers finished
	exited      chan struct{} // the emulator process was waited for
	waitErr     error         // its exit status (valid after exited)

	mu      sync.Mutex
	runtime procStat // the bootstrap process, once seen (PID 0 before)

	// invokeMu serialises Invoke: the classic emulator crashes on a
	// concurrent invocation (see the package doc).
	invokeMu sync.Mutex

	stopOnce sync.Once
	stopErr  error
}

// Invocation is the outcome of one Invoke.
type Invocation struct {
	RequestID string        // sent as X-Amzn-RequestId
	Status    int           // HTTP status from the emulator
	Body      []byte        // the function's response (or the emulator's error body)
	Elapsed   time.Duration // request round trip as seen by the caller
	// Report is this request's REPORT line; HasReport is false when the
	// emulator printed none (it prints none for failed inits and some
	// errors).
	Report    Report
	HasReport bool
	// InitDuration is the runtime's init, from the emulator's
	// "INIT REPORT(durationMs: …)" log line, on the invocation that ran the
	// init (Report.HasInit); 0 otherwise. Use it, not Report.InitDuration:
	// the emulator's REPORT line times only its asynchronous Init call
	// (internal/lambda/rie/handlers.go InitHandler → rapidcore Server.Init,
	// which returns at once), a fraction of a millisecond whatever the
	// function does at init.
	InitDuration time.Duration
}

// InvokeOption adjusts one Invoke.
type InvokeOption interface{ apply(*invokeConfig) }

type invokeConfig struct {
	requestID     string
	clientContext []byte
}

type invokeOptionFunc func(*invokeConfig)

func (f invokeOptionFunc) apply(c *invokeConfig) { f(c) }

// WithRequestID sets the request id. Default: a random UUID.
func WithRequestID(id string) InvokeOption {
	return invokeOptionFunc(func(c *invokeConfig) { c.requestID = id })
}

// WithClientContext sends clientContext (JSON, as the Invoke API's
// ClientContext) base64-encoded in X-Amz-Client-Context. Default: none.
func WithClientContext(clientContext []byte) InvokeOption {
	return invokeOptionFunc(func(c *invokeConfig) { c.clientContext = clientContext })
}

// Timeouts of the harness.
const (
	defaultStartTimeout = 10 * time.Second
	defaultInvokeLimit  = 60 * time.Second // when the caller's ctx has no deadline
	reportWait          = 5 * time.Second  // REPORT is printed before the response body
	stopGrace           = 5 * time.Second  // RIE's own shutdown waits up to 2 s for the runtime
	readerGrace         = 2 * time.Second
	maxBody             = 16 << 20
	launchAttempts      = 3 // free ports can be taken between pick and bind
)

// errPortTaken: the emulator could not bind a port picked for it.
var errPortTaken = errors.New("rietest: port taken")

// Start launches the emulator for a test, registers Stop with t.Cleanup
// (failing the test if a process could not be stopped) and logs the whole
// output when the test failed. It skips or fails the test as Require does
// when the emulator is missing.
func Start(t testing.TB, cfg Config) *Emulator {
	t.Helper()
	if cfg.RIE == "" {
		cfg.RIE = Require(t)
	}
	e, err := Launch(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := e.Stop(); err != nil {
			t.Error(err)
		}
		if t.Failed() {
			t.Logf("emulator %s output:\n%s", e.invokeAddr, e.Output())
		}
	})
	return e
}

// Launch starts the emulator and waits until both of its listeners accept
// connections. The caller must call Stop.
func Launch(ctx context.Context, cfg Config) (*Emulator, error) {
	if runtime.GOOS != "linux" {
		return nil, errNotLinux
	}
	if cfg.Bootstrap == "" {
		return nil, errors.New("rietest: Config.Bootstrap is required")
	}
	if cfg.RIE == "" {
		p, err := Find()
		if err != nil {
			return nil, err
		}
		cfg.RIE = p
	}
	var err error
	for range launchAttempts {
		var e *Emulator
		e, err = launchOnce(ctx, cfg)
		if err == nil {
			return e, nil
		}
		if !errors.Is(err, errPortTaken) {
			break
		}
	}
	return nil, err
}

func launchOnce(ctx context.Context, cfg Config) (*Emulator, error) {
	ports, err := freePorts(2)
	if err != nil {
		return nil, err
	}
	invokeAddr := net.JoinHostPort("127.0.0.1", strconv.Itoa(ports[0]))
	runtimeAddr := net.JoinHostPort("127.0.0.1", strconv.Itoa(ports[1]))

	dir := cfg.Dir
	if dir == "" {
		dir = filepath.Dir(cfg.Bootstrap)
	}
	cmd := exec.Command(cfg.RIE,
		"--runtime-interface-emulator-address", invokeAddr,
		"--runtime-api-address", runtimeAddr,
		cfg.Bootstrap)
	cmd.Dir = dir
	cmd.Env = environ(cfg)
	cmd.SysProcAttr = sysProcAttr()

	outR, outW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("rietest: pipe: %w", err)
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		outR.Close()
		outW.Close()
		return nil, fmt.Errorf("rietest: pipe: %w", err)
	}
	cmd.Stdout, cmd.Stderr = outW, errW
	exited := make(chan struct{})
	var startErr error
	if cfg.Opt != "" {
		startErr = startWithOpt(cmd, cfg.Opt, exited)
	} else {
		startErr = cmd.Start()
	}
	// The child holds its own copies of the write ends.
	outW.Close()
	errW.Close()
	if startErr != nil {
		outR.Close()
		errR.Close()
		return nil, fmt.Errorf("rietest: start %s: %w", cfg.RIE, startErr)
	}

	transport := &http.Transport{DisableKeepAlives: true}
	e := &Emulator{
		cmd:         cmd,
		invokeAddr:  invokeAddr,
		runtimeAddr: runtimeAddr,
		transport:   transport,
		client:      &http.Client{Transport: transport},
		out:         newLineLog(),
		pipes:       []*os.File{outR, errR},
		readersDone: make(chan struct{}),
		exited:      exited,
	}
	var readers sync.WaitGroup
	readers.Go(func() { readLines(outR, Stdout, e.out) })
	readers.Go(func() { readLines(errR, Stderr, e.out) })
	go func() {
		readers.Wait()
		e.out.close()
		close(e.readersDone)
	}()
	go func() {
		e.waitErr = cmd.Wait()
		close(e.exited)
	}()

	timeout := cfg.StartTimeout
	if timeout <= 0 {
		timeout = defaultStartTimeout
	}
	if err := e.awaitListening(ctx, timeout); err != nil {
		stopErr := e.Stop()
		if !errors.Is(err, errPortTaken) {
			err = fmt.Errorf("%w\nemulator output:\n%s", err, e.Output())
		}
		return nil, errors.Join(err, stopErr)
	}
	return e, nil
}

// awaitListening polls both addresses until they accept a connection.
func (e *Emulator) awaitListening(ctx context.Context, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	var d net.Dialer
	for _, addr := range []string{e.invokeAddr, e.runtimeAddr} {
		for {
			c, err := d.DialContext(ctx, "tcp", addr)
			if err == nil {
				c.Close()
				break
			}
			select {
			case <-e.exited:
				<-e.readersDone
				if strings.Contains(e.Output(), "address already in use") {
					return errPortTaken
				}
				return fmt.Errorf("rietest: emulator exited before listening on %s: %v", addr, e.waitErr)
			case <-ctx.Done():
				return fmt.Errorf("rietest: emulator not listening on %s after %v: %w", addr, timeout, ctx.Err())
			case <-tick.C:
			}
		}
	}
	return nil
}

// environ builds the emulator's environment from cfg, sorted.
func environ(cfg Config) []string {
	path := cfg.PATH
	if path == "" {
		path = "/usr/bin:/bin"
	}
	env := []string{"PATH=" + path}
	for _, k := range slices.Sorted(maps.Keys(cfg.Env)) {
		if k == "PATH" || k == "AWS_LAMBDA_FUNCTION_TIMEOUT" && cfg.FunctionTimeout > 0 {
			continue
		}
		env = append(env, k+"="+cfg.Env[k])
	}
	if cfg.FunctionTimeout > 0 {
		secs := (cfg.FunctionTimeout + time.Second - 1) / time.Second
		env = append(env, "AWS_LAMBDA_FUNCTION_TIMEOUT="+strconv.Itoa(int(secs)))
	}
	return env
}

// freePorts returns n distinct free ports on 127.0.0.1, holding all
// listeners until every port is chosen.
func freePorts(n int) ([]int, error) {
	var ports []int
	var lns []net.Listener
	defer func() {
		for _, ln := range lns {
			ln.Close()
		}
	}()
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("rietest: find a free port: %w", err)
		}
		lns = append(lns, ln)
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// Endpoint is the emulator's base URL ("http://127.0.0.1:port"), e.g. for
// an aws-sdk-go-v2 Lambda client's BaseEndpoint with function name
// "function".
func (e *Emulator) Endpoint() string { return "http://" + e.invokeAddr }

// InvokeURL is the full URL of the invoke endpoint.
func (e *Emulator) InvokeURL() string { return e.Endpoint() + InvokePath }

// RuntimeAPI is the Runtime API address (host:port) the function is given
// as AWS_LAMBDA_RUNTIME_API; the metadata API is served there too.
func (e *Emulator) RuntimeAPI() string { return e.runtimeAddr }

// PID is the emulator's process id.
func (e *Emulator) PID() int { return e.cmd.Process.Pid }

// Done is closed when the emulator process has exited.
func (e *Emulator) Done() <-chan struct{} { return e.exited }

// Invoke sends payload to the function and returns the response and, for a
// successful invocation, its REPORT line (and the init's duration when it
// ran the init). An error means the request could not be made or its
// REPORT line never came; a function error is a non-200 Status, not an
// error. Without a deadline in ctx, it gives up after 60 s.
//
// Calls on one Emulator are serialised (one sandbox runs one invocation at
// a time, and the emulator crashes on concurrent ones): a second caller
// waits for the first.
func (e *Emulator) Invoke(ctx context.Context, payload []byte, opts ...InvokeOption) (Invocation, error) {
	e.invokeMu.Lock()
	defer e.invokeMu.Unlock()
	var c invokeConfig
	for _, o := range opts {
		o.apply(&c)
	}
	if c.requestID == "" {
		c.requestID = newUUID()
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, defaultInvokeLimit)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.InvokeURL(), bytes.NewReader(payload))
	if err != nil {
		return Invocation{}, fmt.Errorf("rietest: invoke: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Amzn-RequestId", c.requestID)
	if c.clientContext != nil {
		req.Header.Set("X-Amz-Client-Context", base64.StdEncoding.EncodeToString(c.clientContext))
	}
	inv := Invocation{RequestID: c.requestID}
	from := e.out.len()
	start := time.Now()
	resp, err := e.client.Do(req)
	if err != nil {
		return inv, fmt.Errorf("rietest: invoke %s: %w", c.requestID, err)
	}
	inv.Body, err = io.ReadAll(io.LimitReader(resp.Body, maxBody))
	resp.Body.Close()
	inv.Elapsed = time.Since(start)
	inv.Status = resp.StatusCode
	e.noteRuntime()
	if err != nil {
		return inv, fmt.Errorf("rietest: invoke %s: read response: %w", c.requestID, err)
	}
	if inv.Status != http.StatusOK {
		return inv, nil
	}
	wctx, cancel := context.WithTimeout(ctx, reportWait)
	defer cancel()
	want := reportPrefix + c.requestID + "\t"
	ln, err := e.out.wait(wctx, from, func(l Line) bool { return l.Stream == Stdout && strings.HasPrefix(l.Text, want) })
	if err != nil {
		return inv, fmt.Errorf("rietest: invoke %s: no REPORT line: %w", c.requestID, err)
	}
	inv.Report, err = ParseReport(ln.Text)
	if err != nil {
		return inv, err
	}
	inv.HasReport = true
	if !inv.Report.HasInit {
		return inv, nil
	}
	ln, err = e.out.wait(wctx, from, func(l Line) bool { return l.Stream == Stderr && IsInitReport(l.Text) })
	if err != nil {
		return inv, fmt.Errorf("rietest: invoke %s: no INIT REPORT line: %w", c.requestID, err)
	}
	inv.InitDuration, err = ParseInitReport(ln.Text)
	return inv, err
}

// newUUID returns a random (version 4) UUID, as Lambda request ids are.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go ≥ 1.24)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// Lines returns a copy of every line read so far, in arrival order (the
// order between the two streams is only as good as the pipes make it).
func (e *Emulator) Lines() []Line { return e.out.snapshot() }

// Output returns every line read so far, joined by newlines.
func (e *Emulator) Output() string {
	var b strings.Builder
	for _, l := range e.out.snapshot() {
		b.WriteString(l.Text)
		b.WriteByte('\n')
	}
	return b.String()
}

// WaitLine waits for the first line (from the start of output) that
// matches, until ctx ends or the emulator's output closes.
func (e *Emulator) WaitLine(ctx context.Context, match func(Line) bool) (Line, error) {
	return e.out.wait(ctx, 0, match)
}

// Reports returns every REPORT line read so far, parsed, in order. Lines
// that do not parse are returned as errors joined in err.
func (e *Emulator) Reports() ([]Report, error) {
	var reports []Report
	var errs []error
	for _, l := range e.out.snapshot() {
		if l.Stream != Stdout || !IsReport(l.Text) {
			continue
		}
		r, err := ParseReport(l.Text)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		reports = append(reports, r)
	}
	return reports, errors.Join(errs...)
}

// noteRuntime records the bootstrap process (RIE's child) once it exists.
func (e *Emulator) noteRuntime() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.runtime.PID != 0 {
		return
	}
	kids, err := childrenOf(e.cmd.Process.Pid)
	if err == nil && len(kids) > 0 {
		e.runtime = kids[0]
	}
}

// RuntimePID is the bootstrap's process id, 0 before the first invocation
// started it.
func (e *Emulator) RuntimePID() int {
	e.noteRuntime()
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.runtime.PID
}

// RuntimeEnv returns the environment the emulator gave the running
// bootstrap, read from /proc/<pid>/environ — the only way to learn values
// RIE makes up itself, such as AWS_LAMBDA_METADATA_TOKEN. It fails before
// the first invocation.
func (e *Emulator) RuntimeEnv() (map[string]string, error) {
	pid := e.RuntimePID()
	if pid == 0 {
		return nil, errors.New("rietest: no runtime process yet (it starts at the first invocation)")
	}
	env, err := readEnviron(pid)
	if err != nil {
		return nil, fmt.Errorf("rietest: environment of runtime %d: %w", pid, err)
	}
	return env, nil
}

// Stop stops the emulator (SIGTERM to its process group, SIGKILL after 5 s),
// then kills the bootstrap's own process group if it is still there, and
// waits for the output readers. Safe to call more than once and
// concurrently; every call returns the first call's result. The error names
// any process that could not be stopped.
func (e *Emulator) Stop() error {
	e.stopOnce.Do(func() { e.stopErr = e.stop() })
	return e.stopErr
}

func (e *Emulator) stop() error {
	e.noteRuntime()
	var errs []error
	pgid := e.cmd.Process.Pid // Setpgid: the group id is RIE's pid
	select {
	case <-e.exited:
	default:
		if err := signalGroup(pgid, sigterm); err != nil {
			errs = append(errs, fmt.Errorf("rietest: SIGTERM emulator group %d: %w", pgid, err))
		}
		select {
		case <-e.exited:
		case <-time.After(stopGrace):
			if err := signalGroup(pgid, sigkill); err != nil {
				errs = append(errs, fmt.Errorf("rietest: SIGKILL emulator group %d: %w", pgid, err))
			}
			select {
			case <-e.exited:
			case <-time.After(stopGrace):
				errs = append(errs, fmt.Errorf("rietest: emulator %d did not exit after SIGKILL", pgid))
			}
		}
	}

	e.mu.Lock()
	rt := e.runtime
	e.mu.Unlock()
	if rt.PID != 0 && stillRunning(rt) {
		if err := signalGroup(rt.PGRP, sigkill); err != nil {
			errs = append(errs, fmt.Errorf("rietest: SIGKILL runtime group %d: %w", rt.PGRP, err))
		}
		deadline := time.Now().Add(stopGrace)
		for stillRunning(rt) && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if stillRunning(rt) {
			errs = append(errs, fmt.Errorf("rietest: runtime %d still running after SIGKILL", rt.PID))
		}
	}

	select {
	case <-e.readersDone:
	case <-time.After(readerGrace):
		// Something still holds the write ends; closing ours ends the readers.
		for _, p := range e.pipes {
			p.Close()
		}
		<-e.readersDone
	}
	for _, p := range e.pipes {
		p.Close()
	}
	e.transport.CloseIdleConnections()
	return errors.Join(errs...)
}
