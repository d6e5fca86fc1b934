package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/faasprobe/faasprobe/internal/excerpt"
	"github.com/faasprobe/faasprobe/internal/sysroot"
)

// metadataPath is the Lambda metadata API's execution-environment resource
// (aws-lambda-runtime-interface-emulator internal/lmds/handler.go URIPath).
const metadataPath = "/2026-01-15/metadata/execution-environment"

// maxMetadataBody bounds the answer read: the real one is ~40 bytes.
const maxMetadataBody = 64 << 10

// metadataSource names metadata API problems.
const metadataSource = "metadata_api"

// metadataAnswer is the API's JSON answer.
type metadataAnswer struct {
	AvailabilityZoneID string `json:"AvailabilityZoneID"`
}

// queryMetadata asks the Lambda metadata API for the availability-zone id.
// It returns "" without a problem when AWS_LAMBDA_METADATA_API is unset
// (not on Lambda). It never takes longer than timeout, and the token
// appears in no error.
func queryMetadata(root sysroot.Root, client *http.Client, timeout time.Duration, probs *problems) string {
	api := root.Getenv("AWS_LAMBDA_METADATA_API")
	if api == "" {
		return ""
	}
	token := root.Getenv("AWS_LAMBDA_METADATA_TOKEN")
	if token == "" {
		probs.add("AWS_LAMBDA_METADATA_TOKEN", errors.New("unset while AWS_LAMBDA_METADATA_API is set"))
		return ""
	}
	host, port, err := net.SplitHostPort(api)
	if err != nil || host == "" || !isDigits(port) || strings.ContainsAny(api, "/?#@ ") {
		probs.add("AWS_LAMBDA_METADATA_API", fmt.Errorf("%q: want HOST:PORT", excerpt.Clip(scrub(api, token))))
		return ""
	}
	az, err := getAZ(api, token, client, timeout)
	if err != nil {
		probs.add(metadataSource, errors.New(scrub(err.Error(), token)))
		return ""
	}
	return az
}

// getAZ does the request under a context bounded by timeout.
func getAZ(api, token string, client *http.Client, timeout time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	u := url.URL{Scheme: "http", Host: api, Path: metadataPath}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "", fmt.Errorf("GET %s: %w", u.String(), err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	c := metadataClient(client)
	resp, err := c.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return "", fmt.Errorf("GET %s: no answer within %v", u.String(), timeout)
		}
		return "", fmt.Errorf("GET %s: %w", u.String(), unwrapURLError(err))
	}
	defer resp.Body.Close()
	if client == nil {
		defer c.CloseIdleConnections()
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxMetadataBody+1))
	if err != nil {
		if ctx.Err() != nil {
			return "", fmt.Errorf("GET %s: answer not complete within %v", u.String(), timeout)
		}
		return "", fmt.Errorf("GET %s: read answer: %w", u.String(), err)
	}
	shown := excerpt.Clip(scrub(string(body), token)) // scrub before clipping: no token halves
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET %s: status %d %q", u.String(), resp.StatusCode, shown)
	}
	if len(body) > maxMetadataBody {
		return "", fmt.Errorf("GET %s: answer over %d bytes", u.String(), maxMetadataBody)
	}
	var a metadataAnswer
	if err := json.Unmarshal(body, &a); err != nil {
		return "", fmt.Errorf("GET %s: answer %q: %w", u.String(), shown, err)
	}
	if !validAZID(a.AvailabilityZoneID) {
		return "", fmt.Errorf("GET %s: answer %q: want AvailabilityZoneID like \"use1-az1\"", u.String(), shown)
	}
	return a.AvailabilityZoneID, nil
}

// metadataClient returns the caller's client with redirects disabled, or a
// private one that ignores HTTP_PROXY (the token must not travel to a
// proxy) and keeps no idle connections.
func metadataClient(client *http.Client) *http.Client {
	var c http.Client
	if client != nil {
		c = *client
	} else {
		c.Transport = &http.Transport{Proxy: nil, DisableKeepAlives: true}
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

// unwrapURLError drops url.Error's "Get \"…\":" prefix (the URL is already
// in our message).
func unwrapURLError(err error) error {
	if ue, ok := errors.AsType[*url.Error](err); ok {
		return ue.Err
	}
	return err
}

// validAZID accepts AZ ids such as "use1-az1" and Local Zone ids such as
// "use1-lax1-az1": lowercase letters, digits and "-", with an "-az" part.
func validAZID(s string) bool {
	if len(s) < 4 || len(s) > 64 || !strings.Contains(s, "-az") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}

// scrub removes every occurrence of the secret from s.
func scrub(s, secret string) string {
	if secret == "" {
		return s
	}
	return strings.ReplaceAll(s, secret, "<redacted>")
}
