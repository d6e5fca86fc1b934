package warmer

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/internal/excerpt"
)

// FuzzParseReply: what a target function answers a ping with is read
// without a panic; anything but a warmer reply is errNotWarmer with a
// bounded excerpt of the answer, and a reply marshals back to JSON that
// reads as the same reply.
func FuzzParseReply(f *testing.F) {
	f.Add([]byte(`{"warmer":true,"sandbox_id":"2f9a","sandbox_id_scope":"sandbox","cold":true,"first":true,"reason":"on-demand","seq":1,"pings":1}`))
	f.Add([]byte(`{"warmer":true,"sandbox_id":""}`))
	f.Add([]byte(`{"warmer":false,"sandbox_id":"x"}`))
	f.Add([]byte("\x1b[2J not json \xff"))
	f.Add([]byte(`{"warmer":true,"sandbox_id":"x","seq":-1}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := parseReply(body)
		if err != nil {
			require.True(t, errors.Is(err, errNotWarmer))
			// ": " and the excerpt: at most excerpt.Max bytes of the body,
			// each escaped in at most 5 (\xNN, quoted again by %q), the
			// quotes and the ellipsis.
			require.LessOrEqual(t, len(err.Error()), len(errNotWarmer.Error())+2+excerpt.Max*5+2+len("…"))
			require.Equal(t, Reply{}, r)
			return
		}
		require.True(t, r.Warmer)
		require.NotEmpty(t, r.SandboxID)
		b, err := json.Marshal(r)
		require.NoError(t, err)
		back, err := parseReply(b)
		require.NoError(t, err, "%s", b)
		require.Equal(t, r, back)
	})
}
