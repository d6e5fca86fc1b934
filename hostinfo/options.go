package hostinfo

import "github.com/faasprobe/faasprobe/internal/sysroot"

// Option changes how Detect reads.
type Option interface{ apply(*config) }

type config struct {
	dir    string                          // WithRoot; "" = the live machine
	lookup func(key string) (string, bool) // WithEnv; nil = the root's own
	root   sysroot.Root                    // from dir and lookup, after every option
	err    error                           // from WithRoot: a malformed env file
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// WithRoot reads a recorded tree instead of the live machine: dir/proc,
// dir/sys, dir/etc, and the environment from dir/env (one KEY=VALUE per
// line; absent = empty environment). Default: "/" and the process
// environment.
func WithRoot(dir string) Option {
	return optionFunc(func(c *config) { c.dir = dir })
}

// WithEnv replaces the environment lookup (for tests, or to hide variables);
// it wins over the env file of WithRoot whatever the order of the options.
// Default: os.LookupEnv, or the tree's env file with WithRoot.
func WithEnv(lookup func(key string) (string, bool)) Option {
	return optionFunc(func(c *config) { c.lookup = lookup })
}

// newConfig applies the options in order, then opens the root they name.
func newConfig(opts []Option) config {
	var c config
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	c.root, c.err = sysroot.Open(c.dir, c.lookup)
	return c
}
