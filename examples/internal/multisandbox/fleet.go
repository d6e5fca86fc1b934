package multisandbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/faasprobe/faasprobe/internal/rietest"
)

// Config says how many sandboxes to run and how.
type Config struct {
	// Sandboxes is the number of emulators (sandboxes). Required, 1 to 16.
	Sandboxes int
	// Emulator is the configuration of every emulator (Bootstrap
	// required); each gets its own copy of Env.
	Emulator rietest.Config
	// EndpointEnv, when set, names an environment variable that every
	// emulator (and so every function) gets with the dispatcher's URL: a
	// function that invokes itself (a warmer fan-out) can then be routed
	// by the same dispatcher. Default: none.
	EndpointEnv string
	// WaitIdle bounds how long a request waits for an idle sandbox before
	// it is throttled (429). Default: 30s.
	WaitIdle time.Duration
	// RequestTimeout bounds one forwarded invocation. Default: 60s.
	RequestTimeout time.Duration
}

// Limits and defaults.
const (
	maxSandboxes          = 16
	defaultWaitIdle       = 30 * time.Second
	defaultRequestTimeout = 60 * time.Second
	maxPayload            = 6 << 20 // Lambda's synchronous payload limit
)

// invokePattern is the Invoke API route.
const invokePattern = "POST /2015-03-31/functions/{name}/invocations"

// Fleet is a running dispatcher and its emulators.
type Fleet struct {
	cfg    Config
	srv    *httptest.Server
	emus   []*rietest.Emulator
	client *http.Client

	mu     sync.Mutex
	busy   []bool
	served []int
	idle   chan struct{} // a token per release, to wake waiters

	stopOnce sync.Once
	stopErr  error
}

// Start launches the fleet for a test and registers Stop with t.Cleanup
// (failing the test if a process could not be stopped). It skips or fails
// the test as rietest.Require does when the emulator is missing.
func Start(t testing.TB, cfg Config) *Fleet {
	t.Helper()
	if cfg.Emulator.RIE == "" {
		cfg.Emulator.RIE = rietest.Require(t)
	}
	f, err := Launch(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := f.Stop(); err != nil {
			t.Error(err)
		}
		if t.Failed() {
			for i, e := range f.emus {
				t.Logf("sandbox %d output:\n%s", i, e.Output())
			}
		}
	})
	return f
}

// Launch starts the dispatcher, then the emulators. The caller must call
// Stop.
func Launch(ctx context.Context, cfg Config) (*Fleet, error) {
	if cfg.Sandboxes < 1 || cfg.Sandboxes > maxSandboxes {
		return nil, fmt.Errorf("multisandbox: Sandboxes %d: want 1 to %d", cfg.Sandboxes, maxSandboxes)
	}
	if cfg.WaitIdle <= 0 {
		cfg.WaitIdle = defaultWaitIdle
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = defaultRequestTimeout
	}
	f := &Fleet{
		cfg:    cfg,
		busy:   make([]bool, cfg.Sandboxes),
		served: make([]int, cfg.Sandboxes),
		idle:   make(chan struct{}, cfg.Sandboxes),
		client: &http.Client{Transport: &http.Transport{DisableKeepAlives: true}},
	}
	mux := http.NewServeMux()
	mux.HandleFunc(invokePattern, f.invoke)
	f.srv = httptest.NewServer(mux) // 127.0.0.1, a free port

	var errs []error
	for i := range cfg.Sandboxes {
		ec := cfg.Emulator
		ec.Env = maps.Clone(cfg.Emulator.Env)
		if ec.Env == nil {
			ec.Env = map[string]string{}
		}
		if cfg.EndpointEnv != "" {
			ec.Env[cfg.EndpointEnv] = f.srv.URL
		}
		e, err := rietest.Launch(ctx, ec)
		if err != nil {
			errs = append(errs, fmt.Errorf("multisandbox: sandbox %d: %w", i, err))
			break
		}
		f.emus = append(f.emus, e)
	}
	if len(errs) > 0 {
		return nil, errors.Join(append(errs, f.Stop())...)
	}
	return f, nil
}

// URL is the dispatcher's base URL: the Lambda endpoint to give a client
// (aws-sdk-go-v2 lambda.Options.BaseEndpoint).
func (f *Fleet) URL() string { return f.srv.URL }

// Emulators returns the sandboxes, in dispatch order (index 0 first).
func (f *Fleet) Emulators() []*rietest.Emulator { return f.emus }

// Served returns how many requests each sandbox has served (completed or
// not), by index.
func (f *Fleet) Served() []int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]int(nil), f.served...)
}

// Stop closes the dispatcher (waiting for the requests in flight) and stops
// every emulator. Safe to call more than once; every call returns the
// first call's result.
func (f *Fleet) Stop() error {
	f.stopOnce.Do(func() {
		f.srv.Close()
		var errs []error
		for i, e := range f.emus {
			if err := e.Stop(); err != nil {
				errs = append(errs, fmt.Errorf("multisandbox: sandbox %d: %w", i, err))
			}
		}
		f.client.CloseIdleConnections()
		f.stopErr = errors.Join(errs...)
	})
	return f.stopErr
}

// acquire marks the lowest-numbered idle sandbox busy and returns it,
// waiting while all are busy until ctx ends.
func (f *Fleet) acquire(ctx context.Context) (int, error) {
	for {
		f.mu.Lock()
		for i, b := range f.busy {
			if !b && i < len(f.emus) {
				f.busy[i] = true
				f.served[i]++
				f.mu.Unlock()
				return i, nil
			}
		}
		f.mu.Unlock()
		select {
		case <-f.idle:
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
}

func (f *Fleet) release(i int) {
	f.mu.Lock()
	f.busy[i] = false
	f.mu.Unlock()
	select {
	case f.idle <- struct{}{}:
	default: // enough wake-ups pending already
	}
}

// invoke serves one Invoke request.
func (f *Fleet) invoke(w http.ResponseWriter, r *http.Request) {
	payload, err := io.ReadAll(io.LimitReader(r.Body, maxPayload+1))
	if err != nil || len(payload) > maxPayload {
		lambdaError(w, http.StatusRequestEntityTooLarge, "RequestTooLargeException", "payload unreadable or over 6 MB")
		return
	}
	wctx, cancel := context.WithTimeout(r.Context(), f.cfg.WaitIdle)
	i, err := f.acquire(wctx)
	cancel()
	if err != nil {
		lambdaError(w, http.StatusTooManyRequests, "TooManyRequestsException", "Rate Exceeded: no idle sandbox")
		return
	}
	defer f.release(i)

	ctx, cancel := context.WithTimeout(r.Context(), f.cfg.RequestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.emus[i].InvokeURL(), bytes.NewReader(payload))
	if err != nil {
		lambdaError(w, http.StatusInternalServerError, "ServiceException", err.Error())
		return
	}
	req.Header.Set("Content-Type", "application/json")
	if cc := r.Header.Get("X-Amz-Client-Context"); cc != "" {
		req.Header.Set("X-Amz-Client-Context", cc)
	}
	resp, err := f.client.Do(req)
	if err != nil {
		lambdaError(w, http.StatusBadGateway, "ServiceException", fmt.Sprintf("sandbox %d: %v", i, err))
		return
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxPayload+1))
	resp.Body.Close()
	if err != nil {
		lambdaError(w, http.StatusBadGateway, "ServiceException", fmt.Sprintf("sandbox %d: read response: %v", i, err))
		return
	}
	for k, vs := range resp.Header {
		if k == "Content-Length" {
			continue
		}
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.Header().Set("X-Faasprobe-Sandbox", fmt.Sprint(i))
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(body)
}

// lambdaError answers as the Lambda API does for a service-side error.
func lambdaError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-Errortype", typ)
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"Type":"User","message":%q}`, msg)
}
