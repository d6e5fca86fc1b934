package otel

import (
	"github.com/faasprobe/faasprobe/coldstart"
	"github.com/faasprobe/faasprobe/hostinfo"
	"github.com/faasprobe/faasprobe/sandbox"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"
)

// Option changes how NewDetector reads or how Wrap records. Each option
// says which of the two it applies to; the other ignores it.
type Option interface{ apply(*config) }

type config struct {
	root      string                          // "" = live machine
	lookupEnv func(key string) (string, bool) // nil = the root's environment
	tracker   *coldstart.Tracker              // nil = the process-wide tracker
	meters    metric.MeterProvider            // nil = the global provider
	tracers   trace.TracerProvider            // nil = the global provider
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

func newConfig(opts []Option) config {
	var c config
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	return c
}

// WithRoot makes the detector read a recorded tree (as hostinfo.WithRoot
// and sandbox.WithRoot) instead of the live machine. Detector only.
// Default: "/" and the process environment.
func WithRoot(dir string) Option {
	return optionFunc(func(c *config) { c.root = dir })
}

// WithEnv replaces the detector's environment lookup (as hostinfo.WithEnv
// and sandbox.WithEnv); it wins over the env file of WithRoot. Detector
// only. Default: os.LookupEnv, or the tree's env file with WithRoot.
func WithEnv(lookup func(key string) (string, bool)) Option {
	return optionFunc(func(c *config) { c.lookupEnv = lookup })
}

// WithTracker makes Wrap observe invocations on t (coldstart.WrapWith).
// Wrap only. Default: the process-wide tracker (coldstart.Wrap).
func WithTracker(t *coldstart.Tracker) Option {
	return optionFunc(func(c *config) { c.tracker = t })
}

// WithMeterProvider sets where Wrap records faas.coldstarts and
// faasprobe.coldstart.init_gap. Wrap only. Default: the global provider
// (otel.GetMeterProvider), read when Wrap is called.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return optionFunc(func(c *config) { c.meters = mp })
}

// WithTracerProvider sets the provider Wrap starts the invocation span
// with when the context carries none (no otellambda around it). Wrap only.
// Default: the global provider (otel.GetTracerProvider), read when Wrap is
// called; it makes no spans until the application sets one.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return optionFunc(func(c *config) { c.tracers = tp })
}

// hostOptions and sandboxOptions pass the detector's inputs on.
func (c config) hostOptions() []hostinfo.Option {
	var o []hostinfo.Option
	if c.root != "" {
		o = append(o, hostinfo.WithRoot(c.root))
	}
	if c.lookupEnv != nil {
		o = append(o, hostinfo.WithEnv(c.lookupEnv))
	}
	return o
}

func (c config) sandboxOptions(h hostinfo.Host) []sandbox.Option {
	o := []sandbox.Option{sandbox.WithHost(h)}
	if c.root != "" {
		o = append(o, sandbox.WithRoot(c.root))
	}
	if c.lookupEnv != nil {
		o = append(o, sandbox.WithEnv(c.lookupEnv))
	}
	return o
}
