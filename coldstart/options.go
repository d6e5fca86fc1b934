package coldstart

import (
	"io"
	"time"

	"github.com/faasprobe/faasprobe/internal/sysroot"
)

// Option changes how New sets a Tracker up.
type Option interface{ apply(*config) }

type config struct {
	dir        string                          // WithRoot; "" = the live machine
	lookup     func(key string) (string, bool) // WithEnv; nil = the root's own
	root       sysroot.Root                    // from dir and lookup, after every option
	rootErr    error                           // from WithRoot: a malformed env file or a missing tree
	clock      func() time.Time                // nil: time.Now, read through its monotonic fast path
	threshold  time.Duration                   // proactive-init rule; <= 0 turns it off
	definition Definition                      // what Cold means
	initDone   time.Time                       // zero: not given
	emf        io.Writer                       // nil: no EMF record
	namespace  string                          // "": POWERTOOLS_METRICS_NAMESPACE, else "default_namespace"
	service    string                          // "": POWERTOOLS_SERVICE_NAME, else "service_undefined"
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// DefaultProactiveThreshold is the gap between init end and the first
// invocation above which the first invocation counts as proactive-init (the
// rule the Datadog libraries and the OTel JS instrumentation use).
const DefaultProactiveThreshold = 10 * time.Second

func newConfig(opts []Option) config {
	c := config{threshold: DefaultProactiveThreshold}
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	c.root, c.rootErr = sysroot.Open(c.dir, c.lookup)
	return c
}

// WithRoot reads a recorded tree instead of the live machine:
// dir/proc/self/stat, dir/proc/uptime, dir/proc/stat, and the environment
// from dir/env (one KEY=VALUE per line; absent = empty environment). A tree
// that cannot be read is listed in SandboxStats.Problems and the tracker falls back
// as on a machine without /proc. Default: "/" and the process environment.
func WithRoot(dir string) Option {
	return optionFunc(func(c *config) { c.dir = dir })
}

// WithEnv replaces the environment lookup (tests, or to hide variables); it
// wins over the env file of WithRoot whatever the order of the options.
// Default: os.LookupEnv, or the tree's env file with WithRoot.
func WithEnv(lookup func(key string) (string, bool)) Option {
	return optionFunc(func(c *config) { c.lookup = lookup })
}

// WithClock sets the clock every duration and time is read from. Durations
// are differences of its readings (monotonic when the clock's times carry a
// monotonic reading, as time.Now's do). A clock that steps back yields 0
// durations flagged Clamped, never negative ones. Default: time.Now.
func WithClock(now func() time.Time) Option {
	return optionFunc(func(c *config) { c.clock = now })
}

// WithProactiveThreshold sets the gap between init end and the first
// invocation above which the first invocation is "proactive-init" (the
// sandbox was initialised ahead of demand; the caller did not wait). A
// threshold <= 0 turns the rule off. Default: 10s.
func WithProactiveThreshold(d time.Duration) Option {
	return optionFunc(func(c *config) { c.threshold = d })
}

// WithInitDone states when initialisation ended, as if InitDone had been
// called at that time. Default: none (see InitDone for the fallbacks).
func WithInitDone(t time.Time) Option {
	return optionFunc(func(c *config) { c.initDone = t })
}

// WithEMF turns on the CloudWatch Embedded Metric Format record: on the cold
// invocation only (at most once per tracker), one JSON line is written to w,
// shaped as AWS Lambda Powertools' ColdStart metric. Write errors are listed
// in SandboxStats.Problems. The library never opens a file; in Lambda, pass
// os.Stdout. Default: nil (no record).
func WithEMF(w io.Writer) Option {
	return optionFunc(func(c *config) { c.emf = w })
}

// WithMetricsNamespace sets the EMF namespace. Default: the
// POWERTOOLS_METRICS_NAMESPACE variable, else "default_namespace" (as
// Powertools).
func WithMetricsNamespace(ns string) Option {
	return optionFunc(func(c *config) { c.namespace = ns })
}

// WithServiceName sets the EMF "service" dimension. Default: the
// POWERTOOLS_SERVICE_NAME variable, else "service_undefined" (as Powertools).
func WithServiceName(name string) Option {
	return optionFunc(func(c *config) { c.service = name })
}

// Definition is what Invocation.Cold means.
type Definition string

// Definitions of a cold invocation.
const (
	// DefinitionFaasprobe: the first invocation, when its caller waited for
	// the init: not provisioned concurrency, not managed instances, not
	// proactive init (a first invocation more than the proactive threshold
	// after init end). A keep-warm ping counted on the same tracker can be
	// that first invocation, and then no user request is cold.
	DefinitionFaasprobe Definition = "faasprobe"
	// DefinitionPowertools: AWS Lambda Powertools' cold_start (Python's
	// rule): the first invocation of the process, unless
	// AWS_LAMBDA_INITIALIZATION_TYPE is provisioned-concurrency. Proactive
	// initialisation and managed instances still count as cold. Reason
	// still says what faasprobe's own rule found.
	DefinitionPowertools Definition = "powertools"
)

// WithDefinition sets what Invocation.Cold (and the Cold stats, the EMF
// ColdStart metric, the log lines) means: DefinitionFaasprobe or
// DefinitionPowertools, so that dashboards built on either agree. An
// unknown value means DefinitionFaasprobe. Default: DefinitionFaasprobe.
func WithDefinition(d Definition) Option {
	return optionFunc(func(c *config) {
		if d != DefinitionPowertools {
			d = DefinitionFaasprobe
		}
		c.definition = d
	})
}
