package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe"
	"github.com/faasprobe/faasprobe/internal/logline"
	"github.com/faasprobe/faasprobe/sandbox"
)

// fakeAPI is an Extensions API on loopback: register answers with
// registerStatus, event/next hands out events in order (a string is sent
// as the body; "" closes the connection), exit/error is recorded.
type fakeAPI struct {
	registerStatus int
	events         []string
	registerHang   bool
	stop           chan struct{} // closed at cleanup: a hung handler returns

	mu         sync.Mutex
	served     int
	exitErrors []http.Header
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case apiPrefix + "/register":
		if f.registerHang {
			select {
			case <-r.Context().Done():
			case <-f.stop:
			}
			return
		}
		if r.Header.Get(headerName) == "" || !strings.Contains(readAll(r), `"INVOKE"`) {
			http.Error(w, "bad register", http.StatusBadRequest)
			return
		}
		if f.registerStatus != http.StatusOK {
			http.Error(w, `{"errorMessage":"refused"}`, f.registerStatus)
			return
		}
		w.Header().Set(headerID, "ext-id-1")
		_, _ = w.Write([]byte(`{"functionName":"f"}`))
	case apiPrefix + "/event/next":
		if r.Header.Get(headerID) != "ext-id-1" {
			http.Error(w, "no id", http.StatusForbidden)
			return
		}
		f.mu.Lock()
		i := f.served
		f.served++
		f.mu.Unlock()
		if i >= len(f.events) || f.events[i] == "" {
			hj, ok := w.(http.Hijacker)
			if ok {
				if c, _, err := hj.Hijack(); err == nil {
					c.Close()
				}
			}
			return
		}
		_, _ = w.Write([]byte(f.events[i]))
	case apiPrefix + "/exit/error", apiPrefix + "/init/error":
		f.mu.Lock()
		f.exitErrors = append(f.exitErrors, r.Header.Clone())
		f.mu.Unlock()
		_, _ = w.Write([]byte(`{"status":"OK"}`))
	default:
		http.NotFound(w, r)
	}
}

func readAll(r *http.Request) string {
	var b bytes.Buffer
	_, _ = b.ReadFrom(r.Body)
	return b.String()
}

// runAgainst runs the extension against api (nil: no AWS_LAMBDA_RUNTIME_API)
// and returns the exit code, stdout and stderr lines, and how long it took.
func runAgainst(t *testing.T, api *fakeAPI, vars ...string) (int, []map[string]any, []map[string]any, time.Duration) {
	t.Helper()
	env := map[string]string{}
	for i := 0; i+1 < len(vars); i += 2 {
		env[vars[i]] = vars[i+1]
	}
	if api != nil {
		api.stop = make(chan struct{})
		srv := httptest.NewServer(api)
		t.Cleanup(srv.Close)
		t.Cleanup(func() { close(api.stop) }) // runs before srv.Close
		env["AWS_LAMBDA_RUNTIME_API"] = strings.TrimPrefix(srv.URL, "http://")
	}
	var stdout, stderr syncBuffer
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Now()
	code := run(ctx, runConfig{
		name: "faasprobe", lookup: lookup, stdout: &stdout, stderr: &stderr,
		detect: func() faasprobe.Facts {
			return faasprobe.Facts{Sandbox: sandbox.Sandbox{ID: "sb-test"}}
		},
	})
	took := time.Since(start)
	return code, jsonLines(t, stdout.String()), jsonLines(t, stderr.String()), took
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func jsonLines(t *testing.T, s string) []map[string]any {
	t.Helper()
	var out []map[string]any
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &m), "line %q", sc.Text())
		out = append(out, m)
	}
	return out
}

func invokeEvent(id string) string {
	return `{"eventType":"INVOKE","deadlineMs":1,"requestId":"` + id + `","invokedFunctionArn":"arn:aws:lambda:us-east-1:1:function:f","tracing":{"type":"X-Amzn-Trace-Id","value":"Root=1"}}`
}

func TestRunLogsEveryEventAndExitsOnShutdown(t *testing.T) {
	t.Parallel()
	deadline := time.Now().Add(2 * time.Second).UnixMilli()
	api := &fakeAPI{registerStatus: http.StatusOK, events: []string{
		invokeEvent("r-1"), invokeEvent("r-2"), invokeEvent("r-3"),
		`{"eventType":"SHUTDOWN","shutdownReason":"spindown","deadlineMs":` + jsonInt(deadline) + `}`,
	}}
	code, out, errs, took := runAgainst(t, api)
	require.Equal(t, 0, code, "stderr: %v", errs)
	assert.Empty(t, errs)
	assert.Less(t, took, 2*time.Second)
	require.Len(t, out, 5, "startup, 3 invocations, shutdown")
	for _, l := range out {
		assert.Equal(t, "extension", l["source"])
		assert.Equal(t, "sb-test", l[logline.KeySandboxID])
	}
	assert.Equal(t, logline.MsgStartup, out[0]["message"])
	for i, id := range []string{"r-1", "r-2", "r-3"} {
		l := out[1+i]
		assert.Equal(t, logline.MsgInvocation, l["message"])
		assert.Equal(t, id, l[logline.KeyRequestID])
		inv := l["invocation"].(map[string]any)
		assert.Equal(t, float64(i+1), inv["seq"])
		assert.Equal(t, i == 0, inv["first"])
	}
	end := out[4]
	assert.Equal(t, logline.MsgShutdown, end["message"])
	sd := end["shutdown"].(map[string]any)
	assert.Equal(t, "spindown", sd["reason"])
	assert.Positive(t, sd["lifetime_ms"])
	assert.Equal(t, float64(3), end["stats"].(map[string]any)["invocations"])
	assert.Empty(t, api.exitErrors)
}

// FAASPROBE_VM_STATS=1: every invocation line carries the VM sample of
// the live machine; without it, none does.
func TestRunVMStats(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat("/proc/stat"); err != nil {
		t.Skip("no /proc/stat")
	}
	for _, on := range []bool{false, true} {
		t.Run(fmt.Sprint(on), func(t *testing.T) {
			t.Parallel()
			api := &fakeAPI{registerStatus: http.StatusOK, events: []string{
				invokeEvent("r-1"), invokeEvent("r-2"),
				`{"eventType":"SHUTDOWN","shutdownReason":"spindown","deadlineMs":` + jsonInt(time.Now().Add(2*time.Second).UnixMilli()) + `}`,
			}}
			var vars []string
			if on {
				vars = []string{faasprobe.EnvVMStats, "1"}
			}
			code, out, errs, _ := runAgainst(t, api, vars...)
			require.Equal(t, 0, code, "stderr: %v", errs)
			require.Len(t, out, 4)
			for _, l := range out[1:3] {
				vm, ok := l[logline.KeyVM].(map[string]any)
				require.Equal(t, on, ok, "%v", l)
				if ok {
					assert.Positive(t, vm["memory_available_bytes"])
					assert.NotContains(t, vm, "problem")
					assert.NotContains(t, vm, "reset")
				}
			}
		})
	}
}

func jsonInt(v int64) string { b, _ := json.Marshal(v); return string(b) }

func TestRunBadInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		api       *fakeAPI // nil: no AWS_LAMBDA_RUNTIME_API
		exitError bool     // exit/error must be posted
		wantErr   string
	}{
		{name: "no runtime API", api: nil, wantErr: "AWS_LAMBDA_RUNTIME_API"},
		{name: "registration refused", api: &fakeAPI{registerStatus: http.StatusForbidden}, wantErr: "register: status 403"},
		{name: "registration hangs", api: &fakeAPI{registerHang: true}, wantErr: "register"},
		{name: "garbage event", api: &fakeAPI{registerStatus: http.StatusOK, events: []string{"not json"}}, exitError: true, wantErr: "malformed event"},
		{name: "unknown event type", api: &fakeAPI{registerStatus: http.StatusOK, events: []string{`{"eventType":"BOOM"}`}}, exitError: true, wantErr: "eventType"},
		{name: "invoke without request id", api: &fakeAPI{registerStatus: http.StatusOK, events: []string{`{"eventType":"INVOKE"}`}}, exitError: true, wantErr: "requestId"},
		{name: "connection closed", api: &fakeAPI{registerStatus: http.StatusOK, events: []string{invokeEvent("r-1"), ""}}, exitError: true, wantErr: "event/next"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, _, errs, took := runAgainst(t, tt.api)
			assert.Equal(t, 1, code)
			assert.Less(t, took, registerTimeout+time.Second, "never holds init long")
			require.Len(t, errs, 1, "one clear line")
			assert.Equal(t, MsgError, errs[0]["message"])
			assert.Equal(t, "ERROR", errs[0]["level"])
			assert.Contains(t, errs[0]["error"], tt.wantErr)
			if tt.api == nil {
				return
			}
			tt.api.mu.Lock()
			defer tt.api.mu.Unlock()
			if tt.exitError {
				require.Len(t, tt.api.exitErrors, 1)
				assert.Equal(t, errorTypeEvent, tt.api.exitErrors[0].Get(headerErrorType))
				assert.Equal(t, "ext-id-1", tt.api.exitErrors[0].Get(headerID))
			} else {
				assert.Empty(t, tt.api.exitErrors)
			}
		})
	}
}

func TestShutdownLogValue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		in     shutdown
		reason string
		raw    any
		ms     float64
	}{
		{"spindown", shutdown{"spindown", 1500 * time.Millisecond}, "spindown", nil, 1500},
		{"timeout", shutdown{"timeout", time.Millisecond}, "timeout", nil, 1},
		{"failure", shutdown{"failure", 0}, "failure", nil, 0},
		{"emulator's timeout reason", shutdown{"Timeout", 0}, "timeout", nil, 0},
		{"emulator's SIGTERM reason", shutdown{"SandboxTerminated", time.Second}, "unknown", "SandboxTerminated", 1000},
		{"negative lifetime is 0", shutdown{"spindown", -time.Second}, "spindown", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			logline.Log(context.Background(), logline.NewLogger(&b), 0, "x", slogAny("shutdown", tt.in))
			var m map[string]any
			require.NoError(t, json.Unmarshal(b.Bytes(), &m))
			sd := m["shutdown"].(map[string]any)
			assert.Equal(t, tt.reason, sd["reason"])
			assert.Equal(t, tt.raw, sd["reason_raw"])
			assert.Equal(t, tt.ms, sd["lifetime_ms"])
		})
	}
}

func TestDrainWait(t *testing.T) {
	t.Parallel()
	now := time.Unix(100, 0)
	assert.Equal(t, drainLimit, drainWait(now, 0))
	assert.Equal(t, drainLimit, drainWait(now, now.Add(5*time.Second).UnixMilli()))
	assert.Equal(t, 300*time.Millisecond, drainWait(now, now.Add(500*time.Millisecond).UnixMilli()))
	assert.Equal(t, time.Duration(0), drainWait(now, now.Add(-time.Second).UnixMilli()))
}

// blockedWriter blocks every Write until release is closed.
type blockedWriter struct{ release chan struct{} }

func (w blockedWriter) Write(p []byte) (int, error) { <-w.release; return len(p), nil }

func TestLineQueueDropsWhenFullNeverBlocks(t *testing.T) {
	t.Parallel()
	w := blockedWriter{release: make(chan struct{})}
	q := newLineQueue(w, 2)
	start := time.Now()
	for range 10 {
		_, err := q.Write([]byte("line\n"))
		require.NoError(t, err)
	}
	assert.Less(t, time.Since(start), time.Second)
	// One line may be in the writer, two in the channel: the rest dropped.
	assert.GreaterOrEqual(t, q.Dropped(), uint64(7))
	assert.False(t, q.Close(10*time.Millisecond), "the writer is still blocked")
	close(w.release)
	assert.True(t, q.Close(time.Second))
	_, _ = q.Write([]byte("late\n"))
	assert.GreaterOrEqual(t, q.Dropped(), uint64(8), "a line after Close is dropped")
}

func FuzzDecodeEvent(f *testing.F) {
	f.Add([]byte(invokeEvent("r-1")))
	f.Add([]byte(`{"eventType":"SHUTDOWN","shutdownReason":"timeout","deadlineMs":1700000000000}`))
	f.Add([]byte(`{"eventType":"INVOKE","requestId":""}`))
	f.Add([]byte(`{"eventType":"SHUTDOWN","deadlineMs":-1}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, b []byte) {
		ev, err := decodeEvent(bytes.NewReader(b))
		if err != nil {
			assert.ErrorIs(t, err, errMalformed)
			assert.Equal(t, event{}, ev)
			return
		}
		assert.Contains(t, []string{eventInvoke, eventShutdown}, ev.EventType)
		assert.GreaterOrEqual(t, ev.DeadlineMs, int64(0))
		if ev.EventType == eventInvoke {
			assert.NotEmpty(t, ev.RequestID)
			assert.LessOrEqual(t, len(ev.RequestID), maxIDBytes)
		}
		assert.LessOrEqual(t, len(ev.ShutdownReason), maxReasonBytes)
	})
}

func slogAny(k string, v any) slog.Attr { return slog.Any(k, v) }
