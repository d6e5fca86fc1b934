package warmer

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/faasprobe/faasprobe/coldstart"
	"github.com/faasprobe/faasprobe/sandbox"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// sb is a sandbox identity for WithSandbox.
func sb(id string) sandbox.Sandbox { return sandbox.Sandbox{ID: id, IDScope: sandbox.ScopeSandbox} }

// readFixture reads a testdata file.
func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	return b
}

// compact removes insignificant white space from JSON.
func compact(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, json.Compact(&buf, b))
	return buf.Bytes()
}

// event1KB is the compacted API Gateway event (1,162 bytes).
func event1KB(t testing.TB) []byte { return compact(t, readFixture(t, "apigw-http-v2.json")) }

// event100KB is an SQS-shaped batch whose record bodies are the API
// Gateway event, at least 100 KiB.
func event100KB(t testing.TB) []byte {
	body, err := json.Marshal(string(event1KB(t)))
	require.NoError(t, err)
	var b bytes.Buffer
	b.WriteString(`{"Records":[`)
	for i := 0; b.Len() < 100<<10; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"messageId":"059f36b4-87a3-44ab-83d2-%012d","receiptHandle":"AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a","body":%s,"attributes":{"ApproximateReceiveCount":"1","SentTimestamp":"1545082649183"},"messageAttributes":{},"md5OfBody":"e4e68fb7bd0e697a0ae8f1bb342846b3","eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:us-east-1:123456789012:my-queue","awsRegion":"us-east-1"}`, i, body)
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

// recorder is a user handler that records what it was given.
type recorder struct {
	mu    sync.Mutex
	calls [][]byte
	reply []byte
	err   error
}

func (r *recorder) Invoke(_ context.Context, payload []byte) ([]byte, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, payload)
	return r.reply, r.err
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.calls)
}

// lambdaCtx is a context as aws-lambda-go builds it for an invocation.
func lambdaCtx(arn string, custom map[string]string) context.Context {
	lc := &lambdacontext.LambdaContext{AwsRequestID: "req-1", InvokedFunctionArn: arn}
	lc.ClientContext.Custom = custom
	return lambdacontext.NewContext(context.Background(), lc)
}

// quietTracker is a tracker that reads no /proc and no environment.
func quietTracker(t testing.TB) *coldstart.Tracker {
	t.Helper()
	return coldstart.New(coldstart.WithRoot(t.TempDir()))
}

// decodeReply decodes a reply and requires it to be one.
func decodeReply(t testing.TB, b []byte) Reply {
	t.Helper()
	r, err := parseReply(b)
	require.NoError(t, err, "%s", b)
	return r
}

// sandboxFleet is an in-process stand-in for Lambda: n wrapped handlers
// ("sandboxes"), and an Invoker that sends each request to the first idle
// one (waiting while all are busy), the way Lambda routes to an idle
// execution environment.
type sandboxFleet struct {
	handlers []*wrapper
	mu       sync.Mutex
	busy     []bool
	free     chan struct{} // signalled when a sandbox becomes idle
	invoked  atomic.Int64
	arn      string
}

func newFleet(t testing.TB, n int, opts ...Option) *sandboxFleet {
	f := &sandboxFleet{busy: make([]bool, n), free: make(chan struct{}, n), arn: "arn:aws:lambda:us-east-1:123456789012:function:fleet"}
	for i := range n {
		o := append([]Option{WithSandbox(sb(fmt.Sprintf("sandbox-%d", i))), WithTracker(quietTracker(t))}, opts...)
		f.handlers = append(f.handlers, Wrap(&recorder{reply: []byte(`{"user":true}`)}, o...).(*wrapper))
	}
	return f
}

// withFanOut makes every sandbox fan out through the fleet itself.
func (f *sandboxFleet) withFanOut() {
	for _, h := range f.handlers {
		h.cfg.fanOut = f
	}
}

func (f *sandboxFleet) acquire(ctx context.Context) (int, error) {
	for {
		f.mu.Lock()
		for i, b := range f.busy {
			if !b {
				f.busy[i] = true
				f.mu.Unlock()
				return i, nil
			}
		}
		f.mu.Unlock()
		select {
		case <-f.free:
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
}

func (f *sandboxFleet) release(i int) {
	f.mu.Lock()
	f.busy[i] = false
	f.mu.Unlock()
	select {
	case f.free <- struct{}{}:
	default:
	}
}

func (f *sandboxFleet) Invoke(ctx context.Context, req Request) ([]byte, error) {
	f.invoked.Add(1)
	i, err := f.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer f.release(i)
	arn := req.Function
	if !strings.HasPrefix(arn, "arn:") {
		arn = f.arn
	}
	return f.handlers[i].Invoke(lambdaCtx(arn, nil), req.Payload)
}
