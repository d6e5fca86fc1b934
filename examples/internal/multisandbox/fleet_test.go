package multisandbox

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/faasprobe/faasprobe/internal/rietest"
)

// The harness is exercised with examples/warmer/target: its pings hold
// their reply for a configurable time, which makes a sandbox busy on
// demand, and they answer with the sandbox's id.

const targetPkg = "github.com/faasprobe/faasprobe/examples/warmer/target"

var (
	targetDir  string
	targetOnce = sync.OnceValues(func() (string, error) {
		return rietest.BuildBootstrap(context.Background(), rietest.BuildConfig{Package: targetPkg, Dir: targetDir})
	})
)

// TestMain: nothing left behind, no goroutine and no temporary build.
func TestMain(m *testing.M) {
	var err error
	if targetDir, err = os.MkdirTemp("", "multisandbox-"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(targetDir)
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	os.Exit(code)
}

func target(t *testing.T) string {
	t.Helper()
	rietest.Require(t)
	p, err := targetOnce()
	require.NoError(t, err)
	return p
}

// reply is the part of a ping's answer the tests read.
type reply struct {
	SandboxID string `json:"sandbox_id"`
	Format    string `json:"format"`
}

// post invokes the fleet as the Lambda API would be invoked.
func post(t *testing.T, f *Fleet, payload string, clientContext string) (int, http.Header, []byte) {
	t.Helper()
	status, hdr, body, err := postE(f, payload, clientContext)
	require.NoError(t, err)
	return status, hdr, body
}

// postE is post for goroutines other than the test's: it returns its error.
func postE(f *Fleet, payload string, clientContext string) (int, http.Header, []byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.URL()+"/2015-03-31/functions/any-name/invocations?Qualifier=live", bytes.NewReader([]byte(payload)))
	if err != nil {
		return 0, nil, nil, err
	}
	if clientContext != "" {
		req.Header.Set("X-Amz-Client-Context", base64.StdEncoding.EncodeToString([]byte(clientContext)))
	}
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, body, err
}

// held asks for a hold of the fleet's configured length (N = 2).
const held = `{"warmer":true,"__WARMER_INVOCATION__":2,"__WARMER_CONCURRENCY__":2}`

func TestIdleFirstRouting(t *testing.T) {
	f := Start(t, Config{
		Sandboxes: 3,
		Emulator:  rietest.Config{Bootstrap: target(t), Env: map[string]string{"FAASPROBE_WARMER_HOLD_MS": "300"}},
	})

	// One at a time: the warm sandbox 0 serves them all.
	for range 3 {
		status, hdr, body := post(t, f, `{"warmer":true}`, "")
		require.Equal(t, http.StatusOK, status, "%s", body)
		assert.Equal(t, "0", hdr.Get("X-Faasprobe-Sandbox"))
	}
	assert.Equal(t, []int{3, 0, 0}, f.Served())

	// Three at once, each holding 300 ms: three sandboxes.
	ids := make([]string, 3)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Go(func() {
			status, _, body, err := postE(f, held, "")
			if assert.NoError(t, err) && assert.Equal(t, http.StatusOK, status, "%s", body) {
				var r reply
				assert.NoError(t, json.Unmarshal(body, &r))
				ids[i] = r.SandboxID
			}
		})
	}
	wg.Wait()
	assert.Equal(t, []int{4, 1, 1}, f.Served())
	assert.Len(t, map[string]bool{ids[0]: true, ids[1]: true, ids[2]: true}, 3, "three sandboxes, three ids")
}

func TestThrottlesWhenNoSandboxIsIdle(t *testing.T) {
	f := Start(t, Config{
		Sandboxes: 1,
		WaitIdle:  20 * time.Millisecond,
		Emulator:  rietest.Config{Bootstrap: target(t), Env: map[string]string{"FAASPROBE_WARMER_HOLD_MS": "1000"}},
	})
	status, _, body := post(t, f, `{"warmer":true}`, "") // start the sandbox first
	require.Equal(t, http.StatusOK, status, "%s", body)

	first := make(chan int, 1)
	go func() {
		status, _, _, err := postE(f, held, "")
		if err != nil {
			status = -1
		}
		first <- status
	}()
	require.Eventually(t, func() bool { return f.Served()[0] == 2 }, 10*time.Second, 5*time.Millisecond)
	status, hdr, body := post(t, f, `{"warmer":true}`, "")
	assert.Equal(t, http.StatusTooManyRequests, status)
	assert.Equal(t, "TooManyRequestsException", hdr.Get("X-Amzn-Errortype"))
	assert.Contains(t, string(body), "Rate Exceeded")
	assert.Equal(t, http.StatusOK, <-first)
}

func TestForwardsTheClientContext(t *testing.T) {
	f := Start(t, Config{Sandboxes: 1, Emulator: rietest.Config{Bootstrap: target(t)}})
	status, _, body := post(t, f, `{"order":1}`, `{"custom":{"source":"serverless-plugin-warmup"}}`)
	require.Equal(t, http.StatusOK, status, "%s", body)
	var r reply
	require.NoError(t, json.Unmarshal(body, &r), "%s", body)
	assert.Equal(t, "serverless-plugin-warmup", r.Format)
}

func TestEndpointEnv(t *testing.T) {
	f := Start(t, Config{Sandboxes: 2, EndpointEnv: "FLEET_URL", Emulator: rietest.Config{Bootstrap: target(t), Env: map[string]string{"KEEP": "1"}}})
	status, _, body := post(t, f, `{"warmer":true}`, "")
	require.Equal(t, http.StatusOK, status, "%s", body)
	env, err := f.Emulators()[0].RuntimeEnv()
	require.NoError(t, err)
	assert.Equal(t, f.URL(), env["FLEET_URL"])
	assert.Equal(t, "1", env["KEEP"], "the caller's environment is kept")
}

func TestLaunchErrors(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, -1, maxSandboxes + 1} {
		_, err := Launch(context.Background(), Config{Sandboxes: n, Emulator: rietest.Config{Bootstrap: "/nonexistent"}})
		assert.ErrorContains(t, err, "Sandboxes")
	}
	rie := rietest.Require(t)
	_, err := Launch(context.Background(), Config{Sandboxes: 2, Emulator: rietest.Config{RIE: rie}})
	assert.ErrorContains(t, err, "Bootstrap is required")
}

func TestStopIsIdempotent(t *testing.T) {
	f, err := Launch(context.Background(), Config{Sandboxes: 2, Emulator: rietest.Config{Bootstrap: target(t)}})
	require.NoError(t, err)
	require.NoError(t, f.Stop())
	require.NoError(t, f.Stop())
	for _, e := range f.Emulators() {
		select {
		case <-e.Done():
		default:
			t.Error("an emulator is still running after Stop")
		}
	}
}
