package hostinfo

import (
	"time"

	"github.com/faasprobe/faasprobe/internal/sysroot"
)

// Option changes how Detect reads.
type Option interface{ apply(*config) }

type config struct {
	root sysroot.Root
	now  func() time.Time
	err  error // from WithRoot: a malformed env file
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// WithRoot reads a recorded tree instead of the live machine: dir/proc,
// dir/sys, dir/etc, and the environment from dir/env (one KEY=VALUE per
// line; absent = empty environment). Default: "/" and the process
// environment.
func WithRoot(dir string) Option {
	return optionFunc(func(c *config) {
		r, err := sysroot.Recorded(dir)
		if r.Dir == "" {
			r = sysroot.FromEnv(dir, nil)
		}
		c.root, c.err = r, err
	})
}

// WithEnv replaces the environment lookup (for tests, or to hide variables).
// Default: os.LookupEnv, or the tree's env file with WithRoot.
func WithEnv(lookup func(key string) (string, bool)) Option {
	return optionFunc(func(c *config) { c.root.LookupEnv = lookup; c.root.EnvSource = "given environment" })
}

// WithClock sets the clock used for time-derived facts. Default: time.Now.
func WithClock(now func() time.Time) Option {
	return optionFunc(func(c *config) { c.now = now })
}

// withSysroot is used by sibling packages' tests through export_test files.
func newConfig(opts []Option) config {
	c := config{root: sysroot.Live(), now: time.Now}
	for _, o := range opts {
		o.apply(&c)
	}
	return c
}
