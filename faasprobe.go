package faasprobe

import (
	"context"
	"errors"
	"log/slog"
	"reflect"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/faasprobe/faasprobe/coldstart"
	"github.com/faasprobe/faasprobe/hostinfo"
	"github.com/faasprobe/faasprobe/internal/logline"
	"github.com/faasprobe/faasprobe/internal/vmstat"
	"github.com/faasprobe/faasprobe/sandbox"
	"github.com/faasprobe/faasprobe/warmer"
)

// Facts is everything detected about the machine and the sandbox: the
// document `faasprobe --json` prints and the startup line carries
// (docs/schema.md). Lists are never null.
type Facts struct {
	Platform hostinfo.Platform `json:"platform"`
	Host     hostinfo.Machine  `json:"host"`
	Sandbox  sandbox.Sandbox   `json:"sandbox"`
	// Problems lists every source that could not be read or parsed, the
	// host's and the sandbox's, once.
	Problems []hostinfo.Problem `json:"problems"`
}

// Detect detects the facts once (hostinfo.Detect, then sandbox.Detect with
// the same host, root and environment) and logs nothing. The error joins
// the problems, if any; the facts are complete either way.
func Detect(opts ...Option) (Facts, error) {
	c := newConfig(opts)
	f, _ := detect(c)
	return f, problemsError(f.Problems)
}

// detect runs the detectors and says how long they took.
func detect(c config) (Facts, time.Duration) {
	start := time.Now()
	var hopts []hostinfo.Option
	sopts := make([]sandbox.Option, 0, 4)
	if c.dir != "" {
		hopts = append(hopts, hostinfo.WithRoot(c.dir))
		sopts = append(sopts, sandbox.WithRoot(c.dir))
	}
	if c.lookup != nil {
		hopts = append(hopts, hostinfo.WithEnv(c.lookup))
		sopts = append(sopts, sandbox.WithEnv(c.lookup))
	}
	if c.metadata >= 0 {
		sopts = append(sopts, sandbox.WithMetadataAPI(c.metadata))
	}
	host, _ := hostinfo.Detect(hopts...) // the error repeats host.Problems
	sb, _ := sandbox.Detect(append(sopts, sandbox.WithHost(host))...)
	problems := make([]hostinfo.Problem, 0, len(c.problems)+len(host.Problems)+len(sb.Problems))
	problems = append(append(append(problems, c.problems...), host.Problems...), sb.Problems...)
	return Facts{Platform: host.Platform, Host: host.Machine, Sandbox: sb, Problems: problems}, time.Since(start)
}

// problemsError joins the problems into one error, or nil.
func problemsError(ps []hostinfo.Problem) error {
	if len(ps) == 0 {
		return nil
	}
	errs := make([]error, len(ps))
	for i, p := range ps {
		errs[i] = errors.New("faasprobe: " + p.Source + ": " + p.Error)
	}
	return errors.Join(errs...)
}

// quietStart is how long after init's end (Handler) detection waits for
// a first invocation before it starts anyway: long enough that a cold
// start's own request, which Lambda sends as soon as the runtime asks for
// it, always comes first; short enough that a sandbox initialised ahead of
// its traffic (provisioned concurrency, proactive initialisation) writes
// its startup line while it waits.
const quietStart = 50 * time.Millisecond

// Probe holds what New detected, and the tracker and logger its handlers
// use. Safe for concurrent use.
type Probe struct {
	// ready is closed when detection has ended and the startup line is
	// written; detected says so without a channel operation. begin starts
	// detection once.
	ready    chan struct{}
	detected atomic.Bool
	begin    sync.Once
	cfg      config    // what detection reads
	created  time.Time // when New was called: the startup line's time
	facts    Facts     // set before ready is closed

	logger   *slog.Logger
	tracker  *coldstart.Tracker
	warm     []warmer.Option
	noPings  bool
	shutdown bool
	vm       *vmstat.Sampler // nil: WithVMStats is off
}

// New returns the probe whose Start or Handler runs the function. Call it
// at init: it never fails (what could not be read is a problem in the
// startup line). It detects the facts in the background, out of the
// function's init, when the CPU is the function's least: at the first
// invocation, beside the handler (that invocation's line is written when
// the handler returns, after the startup line); or 50 ms after init ended
// (Handler, Start) if no invocation has come by then, as in a sandbox
// initialised ahead of its traffic; or at the first call of Facts, which
// waits for it. The startup line is stamped with the time New was called,
// and every invocation line comes after it. Each file is read once.
func New(opts ...Option) *Probe {
	c := newConfig(opts)
	p := &Probe{ready: make(chan struct{}), cfg: c, created: time.Now(), logger: c.logger, tracker: c.tracker, warm: c.warm, noPings: c.noPings, shutdown: c.shutdown}
	if p.tracker == nil && (len(c.cold) > 0 || c.dir != "" || c.lookup != nil) {
		cold := make([]coldstart.Option, 0, len(c.cold)+2)
		if c.dir != "" {
			cold = append(cold, coldstart.WithRoot(c.dir))
		}
		if c.lookup != nil {
			cold = append(cold, coldstart.WithEnv(c.lookup))
		}
		p.tracker = coldstart.New(append(cold, c.cold...)...)
	}
	if p.tracker == nil {
		p.tracker = coldstart.Default()
	}
	if c.vmStats {
		p.vm = vmstat.Open(c.dir) // its baseline, now; a bad tree is the detectors' problem to report
	}
	return p
}

// start starts detection in the background, once.
func (p *Probe) start() { p.begin.Do(func() { go p.detect() }) }

// detect detects the facts, logs the startup line and marks the probe
// ready.
func (p *Probe) detect() {
	f, took := detect(p.cfg)
	p.facts = f
	logline.StartupAt(p.logger, p.created, hostinfo.Host{Platform: f.Platform, Machine: f.Host}, f.Sandbox, f.Problems, took)
	close(p.ready)
	p.detected.Store(true)
}

// wait starts detection if it has not started, and returns when it has
// ended.
func (p *Probe) wait() {
	if !p.detected.Load() {
		p.start()
		<-p.ready
	}
}

// Facts returns what New detected, once detection has ended (it starts
// detection if it has not started).
func (p *Probe) Facts() Facts {
	p.wait()
	return p.facts
}

// Start runs handler as lambda.StartWithOptions(handler, options...) would,
// through Handler: every invocation is counted and logged, pings are
// answered. It does not return (outside Lambda it logs a fatal error, as
// aws-lambda-go does).
func Start(handler any, options ...lambda.Option) {
	New().Start(handler, options...)
}

// Start is the package's Start on this probe: its init ends here.
func (p *Probe) Start(handler any, options ...lambda.Option) {
	if p.shutdown {
		options = append(options, lambda.WithEnableSIGTERM(p.logShutdown))
	}
	h := p.Handler(handler, options...) // applies every option, SIGTERM's once
	lambda.StartWithOptions(h, loopOptions(options)...)
}

// logShutdown writes the shutdown line.
func (p *Probe) logShutdown() {
	p.wait()
	logline.Shutdown(p.logger, p.facts.Sandbox.ID, p.tracker.Stats())
}

// Handler returns handler as a byte-level lambda.Handler that answers
// keep-warm pings itself (warmer.Wrap) and, for every other payload,
// counts the invocation once on the probe's tracker, puts its facts in the
// context (coldstart.FromContext), writes the invocation line and calls
// handler. handler is any shape lambda.Start accepts, made a handler with
// lambda.NewHandlerWithOptions(handler, options...): aws-lambda-go's JSON
// options (WithDisallowUnknownFields, WithUseNumber, WithSetEscapeHTML,
// WithSetIndent) shape its decoding and encoding exactly as with
// lambda.StartWithOptions, and WithEnableSIGTERM is set up here, once.
// Options that shape the runtime loop (WithContext, WithContextValue) are
// Start's to pass on. Calling Handler marks init end: detection starts at
// the first invocation, or 50 ms from now if none has come (see New).
func (p *Probe) Handler(handler any, options ...lambda.Option) lambda.Handler {
	inner := lambda.NewHandlerWithOptions(handler, options...)
	time.AfterFunc(quietStart, p.start)
	logged := handlerFunc(func(ctx context.Context, payload []byte) ([]byte, error) {
		inv, _ := coldstart.FromContext(ctx)
		at := time.Now()
		var vm []slog.Attr
		if p.vm != nil && p.logger != nil && p.logger.Enabled(ctx, slog.LevelInfo) {
			vm = []slog.Attr{logline.VM(p.vm.Sample())} // at the invocation's start
		}
		if !p.detected.Load() {
			// Detection runs beside the handler; the line, stamped now,
			// follows the startup line when both have ended, also when
			// the handler panics.
			p.start()
			defer func() {
				p.wait()
				logline.InvocationAt(ctx, p.logger, slog.LevelInfo, at, p.facts.Sandbox.ID, inv, vm...)
			}()
			return inner.Invoke(ctx, payload)
		}
		logline.InvocationAt(ctx, p.logger, slog.LevelInfo, at, p.facts.Sandbox.ID, inv, vm...)
		return inner.Invoke(ctx, payload)
	})
	if p.noPings {
		return p.tracker.WrapHandler(logged)
	}
	opts := make([]warmer.Option, 0, len(p.warm)+3)
	opts = append(opts, p.warm...)
	opts = append(opts, warmer.WithTracker(p.tracker), warmer.WithSandboxFunc(func() sandbox.Sandbox { return p.Facts().Sandbox }), warmer.WithLogger(p.logger))
	return warmer.Wrap(logged, opts...)
}

// handlerFunc adapts a function to lambda.Handler.
type handlerFunc func(ctx context.Context, payload []byte) ([]byte, error)

func (f handlerFunc) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	return f(ctx, payload)
}

// loopOptions is options less those that turn SIGTERM handling on, which
// Handler has set up already: given twice, aws-lambda-go would register its
// internal extension twice and run every callback twice.
func loopOptions(options []lambda.Option) []lambda.Option {
	out := make([]lambda.Option, 0, len(options))
	for _, o := range options {
		if o != nil && !enablesSIGTERM(o) {
			out = append(out, o)
		}
	}
	return out
}

// enablesSIGTERM reports whether o turns aws-lambda-go's SIGTERM handling
// on. An Option is an opaque function of an unexported struct: o is applied
// to a fresh zero struct (made by reflection: applying an option only sets
// fields) and the field it would set is read. An option that panics on a
// zero struct (WithContextValue writes a map) does not turn SIGTERM on. A
// test pins the field's name against the aws-lambda-go in go.mod.
func enablesSIGTERM(o lambda.Option) (on bool) {
	defer func() {
		if recover() != nil {
			on = false
		}
	}()
	fn := reflect.ValueOf(o)
	arg := reflect.New(fn.Type().In(0).Elem())
	fn.Call([]reflect.Value{arg})
	f := arg.Elem().FieldByName("enableSIGTERM")
	return f.IsValid() && f.Kind() == reflect.Bool && f.Bool()
}
