package lambdainvoke

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// lambdaStub is a minimal Lambda Invoke API on 127.0.0.1: it echoes the
// payload, and answers a function error for the function "failing".
type lambdaStub struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []*http.Request
}

func newLambdaStub(t *testing.T) *lambdaStub {
	s := &lambdaStub{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.reqs = append(s.reqs, r.Clone(r.Context()))
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if strings.Contains(r.URL.Path, "/functions/failing/") {
			w.Header().Set("X-Amz-Function-Error", "Unhandled")
			_, _ = io.WriteString(w, `{"errorMessage":"boom","errorType":"Error"}`)
			return
		}
		_, _ = io.WriteString(w, `{"echo":`+string(body)+`}`)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *lambdaStub) last() *http.Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reqs[len(s.reqs)-1]
}
