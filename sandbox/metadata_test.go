package sandbox

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/hostinfo"
)

// tokenCanary is the metadata token in these tests: it must never appear in
// any output.
const tokenCanary = "CANARY-metadata-token-7f3a9c1e"

// metadataServer serves the metadata API with the given handler body after
// checking the request the way the emulator does (internal/lmds/handler.go).
func metadataServer(t *testing.T, serve func(w http.ResponseWriter, r *http.Request)) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.Method != http.MethodGet || r.URL.Path != metadataPath {
			http.Error(w, "wrong request", http.StatusNotFound)
			return
		}
		if r.Header.Get("Authorization") != "Bearer "+tokenCanary {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		serve(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func metadataEnv(srv *httptest.Server, token string) func(string) (string, bool) {
	return mapEnv(map[string]string{
		"AWS_LAMBDA_FUNCTION_NAME":   "f",
		"AWS_LAMBDA_METADATA_API":    strings.TrimPrefix(srv.URL, "http://"),
		"AWS_LAMBDA_METADATA_TOKEN":  token,
		"AWS_LAMBDA_LOG_STREAM_NAME": "2026/01/15/[$LATEST]" + guid2022,
	})
}

// allOutput renders a Sandbox and its error every way it can leave the
// library: JSON, slog JSON (LogValue), Attributes, String, the error.
func allOutput(t *testing.T, s Sandbox, err error) string {
	t.Helper()
	var buf bytes.Buffer
	j, jerr := json.Marshal(s)
	require.NoError(t, jerr)
	buf.Write(j)
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("startup", "sandbox", s)
	for _, a := range s.Attributes() {
		buf.WriteString(a.String())
	}
	buf.WriteString(s.String())
	if err != nil {
		buf.WriteString(err.Error())
	}
	return buf.String()
}

func TestMetadataAPI(t *testing.T) {
	t.Parallel()
	const timeout = 150 * time.Millisecond
	tests := []struct {
		name      string
		serve     func(w http.ResponseWriter, r *http.Request)
		wantAZ    string
		wantError string
	}{
		{"good answer (the emulator's)", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"AvailabilityZoneID":"use1-az1"}`))
		}, "use1-az1", ""},
		{"junk", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("<html>oops</html>")) },
			"", "invalid character"},
		{"json without the field", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(`{"Other":1}`)) },
			"", "want AvailabilityZoneID"},
		{"a value that is not an AZ id", func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte(`{"AvailabilityZoneID":"us-east-1a; rm -rf"}`))
		}, "", "want AvailabilityZoneID"},
		{"500", func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "boom", http.StatusInternalServerError) },
			"", "status 500"},
		{"server echoes the token back", func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "bad token "+r.Header.Get("Authorization"), http.StatusForbidden)
		}, "", "status 403"},
		{"redirect is not followed", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://169.254.169.254/latest", http.StatusFound)
		}, "", "status 302"},
		{"oversized answer", func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write(bytes.Repeat([]byte(" "), maxMetadataBody+10))
		}, "", "over 65536 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, hits := metadataServer(t, tt.serve)
			start := time.Now()
			s, err := Detect(WithRoot(t.TempDir()), WithEnv(metadataEnv(srv, tokenCanary)), WithHost(hostinfo.Host{}), WithMetadataAPI(timeout))
			elapsed := time.Since(start)
			assert.Equal(t, int32(1), hits.Load())
			assert.Less(t, elapsed, timeout+time.Second)
			assert.Equal(t, tt.wantAZ, s.AvailabilityZoneID)
			if tt.wantError == "" {
				assert.NoError(t, err)
			} else {
				require.Error(t, err)
				assert.Equal(t, []string{metadataSource}, problemSources(s))
				assert.Contains(t, s.Problems[0].Error, tt.wantError)
			}
			assert.NotContains(t, allOutput(t, s, err), tokenCanary)
		})
	}
}

func TestMetadataAPIHangIsBounded(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv, _ := metadataServer(t, func(w http.ResponseWriter, r *http.Request) {
		select { // hang until the client gives up (or the test ends)
		case <-r.Context().Done():
		case <-release:
		}
	})
	defer close(release)
	const timeout = 100 * time.Millisecond
	start := time.Now()
	s, err := Detect(WithRoot(t.TempDir()), WithEnv(metadataEnv(srv, tokenCanary)), WithHost(hostinfo.Host{}), WithMetadataAPI(timeout))
	elapsed := time.Since(start)
	assert.Less(t, elapsed, timeout+150*time.Millisecond, "never beyond the timeout (plus slack for the file reads)")
	require.Error(t, err)
	assert.Equal(t, []string{metadataSource}, problemSources(s))
	assert.Contains(t, s.Problems[0].Error, "no answer within 100ms")
	assert.Empty(t, s.AvailabilityZoneID)
	assert.NotContains(t, allOutput(t, s, err), tokenCanary)
}

func TestMetadataAPIHangAfterHeadersIsBounded(t *testing.T) {
	t.Parallel()
	srv, _ := metadataServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"Availab`))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	const timeout = 100 * time.Millisecond
	start := time.Now()
	s, err := Detect(WithRoot(t.TempDir()), WithEnv(metadataEnv(srv, tokenCanary)), WithHost(hostinfo.Host{}), WithMetadataAPI(timeout))
	assert.Less(t, time.Since(start), timeout+150*time.Millisecond)
	require.Error(t, err)
	assert.Contains(t, s.Problems[0].Error, "not complete within 100ms")
}

func TestMetadataAPIOffByDefault(t *testing.T) {
	t.Parallel()
	srv, hits := metadataServer(t, func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"AvailabilityZoneID":"use1-az1"}`))
	})
	s, err := Detect(WithRoot(t.TempDir()), WithEnv(metadataEnv(srv, tokenCanary)), WithHost(hostinfo.Host{}))
	require.NoError(t, err)
	assert.Zero(t, hits.Load(), "no request without WithMetadataAPI")
	assert.Empty(t, s.AvailabilityZoneID)
}

func TestMetadataAPIEnvProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		env        map[string]string
		wantSource string
	}{
		{"not on lambda: nothing to do", map[string]string{}, ""},
		{"token missing", map[string]string{"AWS_LAMBDA_METADATA_API": "127.0.0.1:9001"}, "AWS_LAMBDA_METADATA_TOKEN"},
		{"api is a URL", map[string]string{"AWS_LAMBDA_METADATA_API": "http://127.0.0.1:9001/x", "AWS_LAMBDA_METADATA_TOKEN": tokenCanary}, "AWS_LAMBDA_METADATA_API"},
		{"api without port", map[string]string{"AWS_LAMBDA_METADATA_API": "127.0.0.1", "AWS_LAMBDA_METADATA_TOKEN": tokenCanary}, "AWS_LAMBDA_METADATA_API"},
		{"api holds the token", map[string]string{"AWS_LAMBDA_METADATA_API": tokenCanary, "AWS_LAMBDA_METADATA_TOKEN": tokenCanary}, "AWS_LAMBDA_METADATA_API"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := Detect(WithRoot(t.TempDir()), WithEnv(mapEnv(tt.env)), WithHost(hostinfo.Host{}), WithMetadataAPI(50*time.Millisecond))
			if tt.wantSource == "" {
				assert.NoError(t, err)
				assert.Empty(t, s.Problems)
			} else {
				assert.Equal(t, []string{tt.wantSource}, problemSources(s))
			}
			assert.NotContains(t, allOutput(t, s, err), tokenCanary)
		})
	}
}

func TestMetadataAPIConnectionRefused(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := strings.TrimPrefix(srv.URL, "http://")
	srv.Close() // nothing listens there any more
	env := mapEnv(map[string]string{"AWS_LAMBDA_METADATA_API": addr, "AWS_LAMBDA_METADATA_TOKEN": tokenCanary})
	s, err := Detect(WithRoot(t.TempDir()), WithEnv(env), WithHost(hostinfo.Host{}), WithMetadataAPI(0))
	require.Error(t, err)
	assert.Equal(t, []string{metadataSource}, problemSources(s))
	assert.NotContains(t, allOutput(t, s, err), tokenCanary)
}

func TestWithHTTPClient(t *testing.T) {
	t.Parallel()
	srv, hits := metadataServer(t, func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"AvailabilityZoneID":"euc1-az2"}`))
	})
	s, err := Detect(WithRoot(t.TempDir()), WithEnv(metadataEnv(srv, tokenCanary)), WithHost(hostinfo.Host{}),
		WithMetadataAPI(time.Second), WithHTTPClient(srv.Client()))
	require.NoError(t, err)
	assert.Equal(t, "euc1-az2", s.AvailabilityZoneID)
	assert.Equal(t, int32(1), hits.Load())
}
