package warmer

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseTarget(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want Target
	}{
		{in: "api", want: Target{Function: "api", Concurrency: 1}},
		{in: "api=3", want: Target{Function: "api", Concurrency: 3}},
		{in: "api:live=3", want: Target{Function: "api", Qualifier: "live", Concurrency: 3}},
		{in: "api:7", want: Target{Function: "api", Qualifier: "7", Concurrency: 1}},
		{in: "api:$LATEST=2", want: Target{Function: "api", Qualifier: "$LATEST", Concurrency: 2}},
		{in: "my_fn-2=1000", want: Target{Function: "my_fn-2", Concurrency: 1000}},
		{in: "123456789012:function:api:live=2", want: Target{Function: "123456789012:function:api", Qualifier: "live", Concurrency: 2}},
		{in: "123456789012:function:api", want: Target{Function: "123456789012:function:api", Concurrency: 1}},
		{in: "arn:aws:lambda:us-east-1:123456789012:function:api=4", want: Target{Function: "arn:aws:lambda:us-east-1:123456789012:function:api", Concurrency: 4}},
		{in: "arn:aws-cn:lambda:cn-north-1:123456789012:function:api:prod=2", want: Target{Function: "arn:aws-cn:lambda:cn-north-1:123456789012:function:api", Qualifier: "prod", Concurrency: 2}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseTarget(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			again, err := ParseTarget(got.String())
			require.NoError(t, err)
			assert.Equal(t, got, again, "String reads back")
		})
	}
}

func TestParseTargetErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{in: "", want: "function name"},
		{in: "=3", want: "function name"},
		{in: "api=0", want: "concurrency"},
		{in: "api=1001", want: "concurrency"},
		{in: "api=three", want: "concurrency"},
		{in: "api=", want: "concurrency"},
		{in: "my api", want: "only letters"},
		{in: "api:", want: "qualifier"},
		{in: "api:a.b", want: "qualifier"},
		{in: "api:live:extra", want: "too many"},
		{in: strings.Repeat("f", 65), want: "1 to 64"},
		{in: "api:" + strings.Repeat("q", 129), want: "qualifier"},
		{in: "arn:aws:s3:::bucket", want: "not a Lambda function ARN"},
		{in: "arn:aws:lambda:us-east-1:12345:function:api", want: "not a Lambda function ARN"},
		{in: "12345:function:api", want: "not a partial function ARN"},
		{in: "api=3\n", want: "concurrency"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			_, err := ParseTarget(tt.in)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.True(t, strings.HasPrefix(err.Error(), "warmer: target "))
		})
	}
}

// FuzzParseTarget: never panics; what parses is valid for a plan and reads
// back from its String.
func FuzzParseTarget(f *testing.F) {
	for _, s := range []string{"api=3", "api:live", "arn:aws:lambda:us-east-1:123456789012:function:api:7=2", "123456789012:function:x", "a:$LATEST=1000", "=", ":"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tg, err := ParseTarget(s)
		if err != nil {
			assert.Equal(t, Target{}, tg)
			return
		}
		assert.GreaterOrEqual(t, tg.Concurrency, 1)
		assert.LessOrEqual(t, tg.Concurrency, MaxTargetConcurrency)
		_, err = Plan{Targets: []Target{tg}}.check()
		assert.NoError(t, err)
		again, err := ParseTarget(tg.String())
		require.NoError(t, err)
		assert.Equal(t, tg, again)
	})
}
