package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"
)

// The Extensions API (version 2020-01-01), served on AWS_LAMBDA_RUNTIME_API.
const (
	apiPrefix       = "/2020-01-01/extension"
	headerName      = "Lambda-Extension-Name"
	headerID        = "Lambda-Extension-Identifier"
	headerErrorType = "Lambda-Extension-Function-Error-Type"
	maxEventBytes   = 64 << 10 // an event is a few hundred bytes
	maxIDBytes      = 256      // request and extension ids
	maxReasonBytes  = 64
)

// Event types.
const (
	eventInvoke   = "INVOKE"
	eventShutdown = "SHUTDOWN"
)

// event is one answer of event/next: an INVOKE or a SHUTDOWN.
type event struct {
	EventType      string `json:"eventType"`
	DeadlineMs     int64  `json:"deadlineMs"`
	RequestID      string `json:"requestId"`      // INVOKE
	ShutdownReason string `json:"shutdownReason"` // SHUTDOWN
}

// errMalformed: event/next answered something that is not an event.
var errMalformed = errors.New("malformed event")

// decodeEvent decodes one event, at most maxEventBytes of it, and checks
// what the extension relies on: a known type, an INVOKE's request id (non
// empty, valid UTF-8, at most maxIDBytes), a reason of at most
// maxReasonBytes, a deadline that is not negative. Unknown fields (the
// INVOKE's function ARN and tracing) are ignored.
func decodeEvent(r io.Reader) (event, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxEventBytes+1))
	if err != nil {
		return event{}, fmt.Errorf("%w: read: %w", errMalformed, err)
	}
	if len(b) > maxEventBytes {
		return event{}, fmt.Errorf("%w: more than %d bytes", errMalformed, maxEventBytes)
	}
	var ev event
	if err := json.Unmarshal(b, &ev); err != nil {
		return event{}, fmt.Errorf("%w: %w", errMalformed, err)
	}
	if ev.DeadlineMs < 0 {
		return event{}, fmt.Errorf("%w: deadlineMs %d", errMalformed, ev.DeadlineMs)
	}
	switch ev.EventType {
	case eventInvoke:
		if ev.RequestID == "" || len(ev.RequestID) > maxIDBytes || !utf8.ValidString(ev.RequestID) {
			return event{}, fmt.Errorf("%w: INVOKE requestId %q", errMalformed, clip(ev.RequestID, 64))
		}
	case eventShutdown:
		if len(ev.ShutdownReason) > maxReasonBytes || !utf8.ValidString(ev.ShutdownReason) {
			return event{}, fmt.Errorf("%w: SHUTDOWN shutdownReason %q", errMalformed, clip(ev.ShutdownReason, 64))
		}
	default:
		return event{}, fmt.Errorf("%w: eventType %q", errMalformed, clip(ev.EventType, 64))
	}
	return ev, nil
}

// clip is s cut to at most n bytes.
func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// client speaks the Extensions API.
type client struct {
	base string // http://host:port/2020-01-01/extension
	http *http.Client
	id   string // Lambda-Extension-Identifier, after register
}

func newClient(runtimeAPI string) *client {
	// One connection, kept alive: next is called once per invocation.
	return &client{
		base: "http://" + runtimeAPI + apiPrefix,
		http: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1, DisableCompression: true}},
	}
}

// apiError is an answer other than 200 from the API.
type apiError struct {
	op     string
	status int
	body   string
}

func (e *apiError) Error() string {
	return fmt.Sprintf("%s: status %d: %q", e.op, e.status, e.body)
}

// do sends one request and returns the 200 answer's body (the caller closes
// it), or an error with what the API said.
func (c *client) do(ctx context.Context, op, method, path string, header http.Header, body []byte) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if c.id != "" {
		req.Header.Set(headerID, c.id)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		resp.Body.Close()
		return nil, &apiError{op: op, status: resp.StatusCode, body: string(b)}
	}
	return resp, nil
}

// register registers the extension under name for INVOKE and SHUTDOWN and
// keeps the identifier the API gives it.
func (c *client) register(ctx context.Context, name string) error {
	h := http.Header{}
	h.Set(headerName, name)
	h.Set("Content-Type", "application/json")
	resp, err := c.do(ctx, "register", http.MethodPost, "/register", h, []byte(`{"events":["INVOKE","SHUTDOWN"]}`))
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxEventBytes))
	resp.Body.Close()
	id := resp.Header.Get(headerID)
	if id == "" || len(id) > maxIDBytes || strings.ContainsAny(id, "\r\n") {
		return fmt.Errorf("register: answer has no usable %s header", headerID)
	}
	c.id = id
	return nil
}

// next waits for the next event.
func (c *client) next(ctx context.Context) (event, error) {
	resp, err := c.do(ctx, "event/next", http.MethodGet, "/event/next", nil, nil)
	if err != nil {
		return event{}, err
	}
	defer resp.Body.Close()
	return decodeEvent(resp.Body)
}

// reportError posts the error to path ("/init/error" or "/exit/error")
// under errorType, as the API expects of an extension that gives up.
func (c *client) reportError(ctx context.Context, path, errorType string, cause error) error {
	h := http.Header{}
	h.Set(headerErrorType, errorType)
	h.Set("Content-Type", "application/json")
	body, _ := json.Marshal(struct {
		ErrorMessage string `json:"errorMessage"`
		ErrorType    string `json:"errorType"`
	}{clip(cause.Error(), 1024), errorType})
	resp, err := c.do(ctx, path, http.MethodPost, path, h, body)
	if err != nil {
		return err
	}
	resp.Body.Close()
	return nil
}
