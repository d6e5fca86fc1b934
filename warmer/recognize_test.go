package warmer

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRecognizePings(t *testing.T) {
	t.Parallel()
	scheduled := readFixture(t, "eventbridge-scheduled.json")
	tests := []struct {
		name        string
		payload     string
		custom      map[string]string // client context custom
		format      string
		requested   int
		fanOut      bool
		correlation string
	}{
		{name: "ours, single", payload: string(concurrentPing(1, 1, "c0ffee")), format: FormatFaasprobe, requested: 1, correlation: "c0ffee"},
		{name: "ours, 2 of 3", payload: string(concurrentPing(2, 3, "c0ffee")), format: FormatFaasprobe, requested: 3, correlation: "c0ffee"},
		{name: "ours, fan-out request", payload: string(fanOutPing(4, "abc")), format: FormatFaasprobe, requested: 4, fanOut: true, correlation: "abc"},
		{name: "lambda-warmer scheduled", payload: `{"warmer":true,"concurrency":3}`, format: FormatLambdaWarmer, requested: 3, fanOut: true},
		{name: "lambda-warmer bare", payload: `{"warmer":true}`, format: FormatLambdaWarmer, requested: 1},
		{name: "lambda-warmer concurrency 1 does not fan out", payload: `{"warmer":true,"concurrency":1}`, format: FormatLambdaWarmer, requested: 1},
		{name: "lambda-warmer numeric string", payload: `{"warmer":true,"concurrency":"5"}`, format: FormatLambdaWarmer, requested: 5, fanOut: true},
		{name: "lambda-warmer fraction truncated", payload: `{"warmer":true,"concurrency":2.9}`, format: FormatLambdaWarmer, requested: 2, fanOut: true},
		{name: "lambda-warmer negative is 1", payload: `{"warmer":true,"concurrency":-4}`, format: FormatLambdaWarmer, requested: 1},
		{name: "lambda-warmer garbage count is 1", payload: `{"warmer":true,"concurrency":"many"}`, format: FormatLambdaWarmer, requested: 1},
		{name: "lambda-warmer test flag: no fan-out", payload: `{"warmer":true,"concurrency":3,"test":true}`, format: FormatLambdaWarmer, requested: 3},
		{name: "lambda-warmer test flag false", payload: `{"warmer":true,"concurrency":3,"test":false}`, format: FormatLambdaWarmer, requested: 3, fanOut: true},
		{
			name:    "lambda-warmer fanned",
			payload: `{"warmer":true,"__WARMER_INVOCATION__":2,"__WARMER_CONCURRENCY__":3,"__WARMER_CORRELATIONID__":"1700000000000-0042"}`,
			format:  FormatLambdaWarmer, requested: 3, correlation: "1700000000000-0042",
		},
		{
			name:    "forged: fanned marker and concurrency never fans out",
			payload: `{"warmer":true,"concurrency":50,"__WARMER_INVOCATION__":1}`,
			format:  FormatLambdaWarmer, requested: 50,
		},
		{name: "lambda-warmer pretty-printed", payload: "\n  {\n\t\"warmer\" : true ,\n  \"concurrency\" : 2 }\n", format: FormatLambdaWarmer, requested: 2, fanOut: true},
		{name: "huge requested count saturates", payload: `{"warmer":true,"concurrency":1e300}`, format: FormatLambdaWarmer, requested: maxRequested, fanOut: true},
		{name: "unprintable correlation id not echoed", payload: `{"warmer":true,"__WARMER_CORRELATIONID__":"a\nb"}`, format: FormatLambdaWarmer, requested: 1},
		{name: "plugin payload", payload: `{"source":"serverless-plugin-warmup"}`, format: FormatPluginWarmup, requested: 1},
		{name: "plugin payload with concurrency", payload: `{"source":"serverless-plugin-warmup","concurrency":4}`, format: FormatPluginWarmup, requested: 4},
		{name: "plugin client context, other payload", payload: `{"order":42}`, custom: map[string]string{"source": "serverless-plugin-warmup"}, format: FormatPluginWarmup, requested: 1},
		{name: "plugin client context, empty payload", payload: ``, custom: map[string]string{"source": "serverless-plugin-warmup"}, format: FormatPluginWarmup, requested: 1},
		{name: "scheduled event from a marked rule", payload: string(scheduled), format: FormatScheduledEvent, requested: 1},
		{
			name:    "scheduled event, rule on a custom bus",
			payload: `{"detail-type":"Scheduled Event","source":"aws.events","resources":["arn:aws:events:eu-west-1:123456789012:rule/my-bus/faasprobe-warm-api"],"detail":{}}`,
			format:  FormatScheduledEvent, requested: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, ok := recognize(lambdaCtx("", tt.custom), []byte(tt.payload))
			require.True(t, ok, "not recognised: %s", tt.payload)
			assert.Equal(t, tt.format, p.format)
			assert.Equal(t, tt.requested, p.requested)
			assert.Equal(t, tt.fanOut, p.fanOut)
			assert.Equal(t, tt.correlation, p.correlation)
		})
	}
}

func TestRecognizeNotPings(t *testing.T) {
	t.Parallel()
	big := `{"warmer":true,"pad":"` + strings.Repeat("x", MaxPingBytes) + `"}`
	scheduled := string(readFixture(t, "eventbridge-scheduled.json"))
	tests := []struct {
		name    string
		payload string
		custom  map[string]string
	}{
		{name: "empty"},
		{name: "API Gateway event", payload: string(readFixture(t, "apigw-http-v2.json"))},
		{name: "warmer false", payload: `{"warmer":false,"concurrency":3}`},
		{name: "warmer string true", payload: `{"warmer":"true"}`},
		{name: "warmer 1", payload: `{"warmer":1}`},
		{name: "key case differs", payload: `{"Warmer":true}`},
		{name: "ping inside an API Gateway body", payload: `{"body":"{\"warmer\":true,\"concurrency\":10000}","isBase64Encoded":false}`},
		{name: "ping nested one level", payload: `{"detail":{"warmer":true}}`},
		{name: "plugin source nested", payload: `{"detail":{"source":"serverless-plugin-warmup"}}`},
		{name: "plugin-like source", payload: `{"source":"serverless-plugin-warmupX"}`},
		{name: "scheduled event, unmarked rule", payload: strings.Replace(scheduled, "faasprobe-warm-orders", "nightly-report", 1)},
		{name: "marker outside the rule", payload: `{"detail-type":"Scheduled Event","source":"aws.events","resources":[],"detail":{"name":"faasprobe-warm"}}`},
		{name: "marked rule, not a scheduled event", payload: strings.Replace(scheduled, "Scheduled Event", "Object Created", 1)},
		{name: "array", payload: `[{"warmer":true}]`},
		{name: "string", payload: `"warmer"`},
		{name: "invalid JSON with the marker", payload: `{"warmer":true`},
		{name: "trailing garbage", payload: `{"warmer":true} {}`},
		{name: "text about warm weather", payload: `{"forecast":"warm and sunny","warmest":31}`},
		{name: "ping padded over 4 KiB", payload: big},
		{name: "client context with another source", payload: `{}`, custom: map[string]string{"source": "my-app"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, ok := recognize(lambdaCtx("", tt.custom), []byte(tt.payload))
			assert.False(t, ok)
		})
	}
}

func TestRecognizeNilContext(t *testing.T) {
	t.Parallel()
	//nolint:staticcheck // a nil context must not panic
	_, ok := recognize(nil, []byte(`{}`))
	assert.False(t, ok)
	p, ok := recognize(context.Background(), []byte(`{"warmer":true}`))
	assert.True(t, ok)
	assert.Equal(t, FormatLambdaWarmer, p.format)
}

func TestMayBePingFiltersCheaply(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		payload string
		want    bool
	}{
		{name: "key warmer", payload: `{"warmer":true}`, want: true},
		{name: "plugin value", payload: `{"source":"serverless-plugin-warmup"}`, want: true},
		{name: "rule marker", payload: `{"resources":["rule/faasprobe-warm"]}`, want: true},
		{name: "warm in prose", payload: `{"note":"a warm welcome, warmer than ever"}`, want: false},
		{name: "warmer as a value: the filter lets decoding decide", payload: `{"k":"warmer"}`, want: true},
		{name: "not an object", payload: ` ["warmer"]`, want: false},
		{name: "leading white space", payload: " \r\n\t{\"warmer\":true}", want: true},
		{name: "over the bound", payload: `{"warmer":true,"x":"` + strings.Repeat(" ", MaxPingBytes) + `"}`, want: false},
		{name: "marker at the very end", payload: `{"x":1,"warmer"`, want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, mayBePing([]byte(tt.payload)))
		})
	}
}

// FuzzRecognize: recognition never panics, the filter never drops a ping
// that decodes (except through escaped keys, which it does not read), and
// a recognised ping always asks for at least one sandbox.
func FuzzRecognize(f *testing.F) {
	for _, s := range []string{
		`{"warmer":true,"concurrency":3}`,
		`{"warmer":true,"__WARMER_INVOCATION__":2,"__WARMER_CONCURRENCY__":3,"__WARMER_CORRELATIONID__":"x"}`,
		`{"source":"serverless-plugin-warmup"}`,
		`{"detail-type":"Scheduled Event","source":"aws.events","resources":["arn:aws:events:us-east-1:1:rule/faasprobe-warm"]}`,
		`{"\u0077armer":true}`,
		`{"warmer":true,"concurrency":"1e9"}`,
		`[]`, ``, `{}`,
	} {
		f.Add([]byte(s))
	}
	f.Add(readFixture(f, "apigw-http-v2.json"))
	f.Add(readFixture(f, "eventbridge-scheduled.json"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, ok := recognize(context.Background(), b)
		if ok {
			assert.GreaterOrEqual(t, p.requested, 1)
			assert.LessOrEqual(t, p.requested, maxRequested)
			assert.NotEmpty(t, p.format)
			assert.True(t, p.correlation == "" || printableID(p.correlation))
			assert.True(t, mayBePing(b), "recognised but filtered out: %q", b)
		}
		if len(b) <= MaxPingBytes {
			if _, dec := decodePing(b); dec && !mayBePing(b) {
				assert.True(t, bytes.Contains(b, []byte(`\`)), "a decodable ping without escapes was filtered out: %q", b)
			}
		}
	})
}
