package faasprobe

import (
	"log/slog"
	"os"
	"time"

	"github.com/faasprobe/faasprobe/coldstart"
	"github.com/faasprobe/faasprobe/hostinfo"
	"github.com/faasprobe/faasprobe/internal/envswitch"
	"github.com/faasprobe/faasprobe/internal/logline"
	"github.com/faasprobe/faasprobe/warmer"
)

// Option changes what New detects and logs.
type Option interface{ apply(*config) }

type config struct {
	logger    *slog.Logger
	loggerSet bool
	dir       string
	lookup    func(key string) (string, bool)
	metadata  time.Duration // < 0: off
	cold      []coldstart.Option
	problems  []hostinfo.Problem // from the environment switches
	tracker   *coldstart.Tracker
	warm      []warmer.Option
	noPings   bool
	shutdown  bool
	vmStats   bool
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

func newConfig(opts []Option) config {
	c := config{metadata: -1}
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	if !c.loggerSet {
		c.logger = logline.NewLogger(os.Stdout)
	}
	lookup := c.lookup
	if lookup == nil && c.dir == "" {
		lookup = os.LookupEnv
	}
	if c.envBool(lookup, EnvMetadata) && c.metadata < 0 {
		c.metadata = 0
	}
	if c.envBool(lookup, EnvShutdownStats) {
		c.shutdown = true
	}
	if c.envBool(lookup, EnvVMStats) {
		c.vmStats = true
	}
	return c
}

// envBool reads a boolean switch (internal/envswitch, the decoder the
// extension uses too); a bad value is off plus a problem naming the
// variable.
func (c *config) envBool(lookup func(string) (string, bool), name string) bool {
	on, bad := envswitch.Bool(lookup, name)
	if bad {
		c.problems = append(c.problems, hostinfo.Problem{Source: name, Error: envswitch.Problem})
	}
	return on
}

// WithLogger writes the lines to l; nil writes none. Default: JSON lines on
// stdout in Lambda's JSON log format ("timestamp", "level", "message").
func WithLogger(l *slog.Logger) Option {
	return optionFunc(func(c *config) { c.logger, c.loggerSet = l, true })
}

// WithRoot reads a recorded tree (dir/proc, dir/sys, dir/etc, dir/env)
// instead of the live machine, for the facts and the cold-start tracker.
// Default: "/" and the process environment.
func WithRoot(dir string) Option {
	return optionFunc(func(c *config) { c.dir = dir })
}

// WithEnv replaces the environment lookup; it wins over the env file of
// WithRoot whatever the order of the options. Default: os.LookupEnv, or the
// tree's env file with WithRoot.
func WithEnv(lookup func(key string) (string, bool)) Option {
	return optionFunc(func(c *config) { c.lookup = lookup })
}

// Environment switches New reads (from WithEnv's lookup when given, else
// from the process environment on the live machine; never from a recorded
// tree): an operator turns a feature on without a code change.
// Unset or empty is off; a value strconv.ParseBool rejects is off and a
// problem naming the variable (never its value).
const (
	// EnvMetadata=1 is WithMetadataAPI(0).
	EnvMetadata = "FAASPROBE_METADATA"
	// EnvShutdownStats=1 is WithShutdownLine().
	EnvShutdownStats = "FAASPROBE_SHUTDOWN_STATS"
	// EnvVMStats=1 is WithVMStats(); the Lambda extension reads it too.
	EnvVMStats = "FAASPROBE_VM_STATS"
)

// WithMetadataAPI also asks the Lambda metadata API for the
// availability-zone id (sandbox.WithMetadataAPI), waiting at most timeout
// (≤ 0: sandbox.DefaultMetadataTimeout). Default: off (it is a network call
// inside the cold start).
func WithMetadataAPI(timeout time.Duration) Option {
	return optionFunc(func(c *config) { c.metadata = max(timeout, 0) })
}

// WithColdStart sets the cold-start tracker up with coldstart's options
// (coldstart.WithDefinition for Powertools' meaning of cold,
// WithProactiveThreshold, WithEMF…), on a tracker of its own (coldstart.New,
// reading the same root and environment). Default: coldstart's process-wide
// tracker (coldstart.Default), which coldstart.Observe and Stats also use.
func WithColdStart(opts ...coldstart.Option) Option {
	return optionFunc(func(c *config) { c.cold = append(c.cold, opts...) })
}

// WithTracker counts invocations on t (made by the caller with
// coldstart.New); it wins over WithColdStart. Default: see WithColdStart.
func WithTracker(t *coldstart.Tracker) Option {
	return optionFunc(func(c *config) { c.tracker = t })
}

// WithWarmer passes options to the keep-warm ping handling (warmer.WithFanOut,
// WithMaxConcurrency, WithHold). The tracker, sandbox and logger are
// always the probe's. Default: warmer's defaults (no fan-out).
func WithWarmer(opts ...warmer.Option) Option {
	return optionFunc(func(c *config) { c.warm = append(c.warm, opts...) })
}

// WithoutPings passes every payload to the handler: nothing is answered
// as a keep-warm ping (invocations are still counted and logged). For a
// function whose own trigger looks like a ping, such as a keep-warm
// scheduler run by a "faasprobe-warm" EventBridge rule
// (examples/warmer). It wins over WithWarmer.
func WithoutPings() Option {
	return optionFunc(func(c *config) { c.noPings = true })
}

// WithShutdownLine logs the shutdown line (the sandbox's lifetime stats)
// when Lambda shuts the sandbox down: Start then adds
// lambda.WithEnableSIGTERM, which registers an internal extension and keeps
// a goroutine. Default: off.
func WithShutdownLine() Option {
	return optionFunc(func(c *config) { c.shutdown = true })
}

// WithVMStats adds the VM's state to every invocation line the handler
// writes, as its "vm" object (docs/schema.md): the memory available
// (/proc/meminfo MemAvailable) and the CPU time of the whole VM since the
// previous invocation (the aggregate "cpu" line of /proc/stat: user,
// system, idle, iowait and steal, in ms summed over the CPUs, and the
// steal share). Steal is time the hypervisor gave the VM's CPUs to someone
// else while they had work: other tenants of the host. New reads the
// baseline; each invocation reads the two files again (about 10–20 µs on a
// 2-vCPU VM, docs/performance.md). Counters that went backwards (a restored
// snapshot, a new boot) start a new baseline, and the line says so in
// "vm.reset". A keep-warm ping's line carries no "vm". Default: off.
func WithVMStats() Option {
	return optionFunc(func(c *config) { c.vmStats = true })
}
