package record

import (
	"runtime/debug"
	"time"
)

// Option changes how Collect records.
type Option interface{ apply(*config) }

type config struct {
	environ    []string // nil: os.Environ() for a live root, the tree's env file for a recorded one
	hasEnviron bool
	now        func() time.Time
	version    string
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// WithEnviron records env (KEY=VALUE strings, as os.Environ returns them)
// as the tree's environment. Default: os.Environ() for a live root, the
// root's env file for a recorded tree.
func WithEnviron(env []string) Option {
	return optionFunc(func(c *config) { c.environ, c.hasEnviron = env, true })
}

// WithClock sets the clock that dates the recording. Default: time.Now.
func WithClock(now func() time.Time) Option {
	return optionFunc(func(c *config) {
		if now != nil {
			c.now = now
		}
	})
}

// WithVersion sets the faasprobe version written in the note. Default: the
// main module's version from the build info, or "devel" (with the VCS
// revision when the build recorded one).
func WithVersion(v string) Option {
	return optionFunc(func(c *config) { c.version = v })
}

func newConfig(opts []Option) config {
	c := config{now: time.Now}
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	if c.version == "" {
		c.version = buildVersion()
	}
	return c
}

// buildVersion is the main module's version, or "devel" plus the VCS
// revision when the binary was built from a checkout.
func buildVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = ", modified"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev == "" {
		return "devel"
	}
	return "devel (" + rev + modified + ")"
}
