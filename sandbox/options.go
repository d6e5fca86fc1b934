package sandbox

import (
	"net/http"
	"time"

	"github.com/faasprobe/faasprobe/hostinfo"
)

// DefaultMetadataTimeout bounds the Lambda metadata API call when
// WithMetadataAPI is given a timeout ≤ 0.
const DefaultMetadataTimeout = 100 * time.Millisecond

// Option changes how Detect reads.
type Option interface{ apply(*config) }

type config struct {
	rootDir   string                                // "" = live machine
	lookupEnv func(key string) (string, bool)       // nil = the root's environment
	host      *hostinfo.Host                        // nil = call hostinfo.Detect
	metadata  bool                                  // query the Lambda metadata API
	timeout   time.Duration                         // metadata API bound
	client    *http.Client                          // nil = a private client without proxy
	trace     func(name string)                     // tests: every file read below the root
	statfs    func(path string) (Filesystem, error) // tests: replaces statfs(2)
	fsType    func(path string) (int64, error)      // tests: replaces statfs(2) f_type (cgroup layout)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// WithRoot reads a recorded tree instead of the live machine: dir/proc,
// dir/sys, dir/etc, and the environment from dir/env (one KEY=VALUE per
// line; absent = empty environment). Live-only facts (runtime.NumCPU, /tmp
// size) are then omitted. Default: "/" and the process environment.
func WithRoot(dir string) Option {
	return optionFunc(func(c *config) { c.rootDir = dir })
}

// WithEnv replaces the environment lookup (tests, or to hide variables); it
// wins over the env file of WithRoot whatever the order of the options.
// Default: os.LookupEnv, or the tree's env file with WithRoot.
func WithEnv(lookup func(key string) (string, bool)) Option {
	return optionFunc(func(c *config) { c.lookupEnv = lookup })
}

// WithHost uses the given host facts (hypervisor, container, platform,
// MemTotal, boot id, and the /proc/self/cgroup it read) instead of calling
// hostinfo.Detect with the same root and environment. Use it when the
// caller already has a Host of this process: the files it read are then
// not read again.
// Default: hostinfo.Detect.
func WithHost(h hostinfo.Host) Option {
	return optionFunc(func(c *config) { c.host = &h })
}

// WithMetadataAPI enables the one network call sandbox makes: GET
// http://$AWS_LAMBDA_METADATA_API/2026-01-15/metadata/execution-environment
// with the bearer token AWS_LAMBDA_METADATA_TOKEN, for the availability-zone
// id. The whole call is bounded by timeout (≤ 0 means
// DefaultMetadataTimeout). Nothing is sent when AWS_LAMBDA_METADATA_API is
// unset. The token is never logged nor put in any error.
// Default: off.
func WithMetadataAPI(timeout time.Duration) Option {
	return optionFunc(func(c *config) {
		if timeout <= 0 {
			timeout = DefaultMetadataTimeout
		}
		c.metadata, c.timeout = true, timeout
	})
}

// WithHTTPClient sets the client used for the metadata API (tests). Redirects
// are never followed, whatever the client says. Default: a private client
// that ignores proxy settings and keeps no idle connections.
func WithHTTPClient(client *http.Client) Option {
	return optionFunc(func(c *config) { c.client = client })
}

func newConfig(opts []Option) config {
	c := config{timeout: DefaultMetadataTimeout}
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	return c
}
