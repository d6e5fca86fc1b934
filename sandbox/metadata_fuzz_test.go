package sandbox

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/internal/excerpt"
)

// answer is a RoundTripper that answers every request with one status and
// body, without a network.
type answer struct {
	status int
	body   []byte
}

func (a answer) RoundTrip(*http.Request) (*http.Response, error) {
	return &http.Response{
		StatusCode: a.status,
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       io.NopCloser(bytes.NewReader(a.body)),
	}, nil
}

// FuzzMetadataAnswer: whatever the metadata API answers, the AZ id is a
// valid one taken from the answer, or the error is bounded, printable and
// never holds the bearer token.
func FuzzMetadataAnswer(f *testing.F) {
	f.Add(200, []byte(`{"AvailabilityZoneID":"use1-az1"}`), "123")
	f.Add(200, []byte(`{"AvailabilityZoneID":"use1-lax1-az1","Other":1}`), "")
	f.Add(200, []byte(`{"AvailabilityZoneID":"USE1-AZ1"}`), "")
	f.Add(403, []byte(`{"message":"bad token tok~123"}`), "123")
	f.Add(200, []byte("\x1b[2J tok~"), "")
	f.Add(200, []byte(`{"AvailabilityZoneID":"tok~x-az1"}`), "x")
	f.Add(200, []byte(`{"AvailabilityZoneID":1}`), "")
	f.Fuzz(func(t *testing.T, status int, body []byte, suffix string) {
		if status < 100 || status > 999 || len(body) > maxMetadataBody+1 {
			return
		}
		// A token no fixed word of a message can hold: "tok~" and
		// letters or digits (Go's messages quote single characters only).
		token := "tok~" + strings.Map(func(r rune) rune {
			if r < '0' || r > 'z' || (r > '9' && r < 'A') || (r > 'Z' && r < 'a') {
				return -1
			}
			return r
		}, suffix)
		client := &http.Client{Transport: answer{status, body}}
		az, err := getAZ("127.0.0.1:9", token, client, time.Second)
		if err == nil {
			assert.True(t, validAZID(az), "%q", az)
			assert.True(t, bytes.Contains(body, []byte(az)), "the id comes from the answer")
			return
		}
		assert.Empty(t, az)
		msg := err.Error()
		assert.NotContains(t, msg, token, "the token never reaches an error")
		require.True(t, utf8.ValidString(msg))
		assert.False(t, strings.ContainsFunc(msg, func(r rune) bool { return r < 0x20 || r == 0x7f }), "%q", msg)
		// the URL, the status, and a quoted excerpt of at most excerpt.Max
		// bytes, each escaped in at most 6 ("\u00ad"), plus the words
		assert.LessOrEqual(t, len(msg), 200+excerpt.Max*6)
	})
}
