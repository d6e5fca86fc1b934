package lambdainvoke

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/warmer"
)

// fakeClient records the input and answers with out or err.
type fakeClient struct {
	in  *lambda.InvokeInput
	out *lambda.InvokeOutput
	err error
}

func (f *fakeClient) Invoke(_ context.Context, in *lambda.InvokeInput, _ ...func(*lambda.Options)) (*lambda.InvokeOutput, error) {
	f.in = in
	return f.out, f.err
}

func TestInvoke(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("e", 1000)
	tests := []struct {
		name    string
		req     warmer.Request
		out     *lambda.InvokeOutput
		err     error
		want    string
		wantErr string
	}{
		{
			name: "success", req: warmer.Request{Function: "api", Qualifier: "live", Payload: []byte(`{"warmer":true}`)},
			out: &lambda.InvokeOutput{StatusCode: 200, Payload: []byte(`{"warmer":true,"sandbox_id":"x"}`)}, want: `{"warmer":true,"sandbox_id":"x"}`,
		},
		{
			name: "function error", req: warmer.Request{Function: "api"},
			out:     &lambda.InvokeOutput{StatusCode: 200, FunctionError: aws.String("Unhandled"), Payload: []byte(`{"errorMessage":"boom"}`)},
			wantErr: `lambdainvoke: invoke api: function error Unhandled: "{\"errorMessage\":\"boom\"}"`,
		},
		{
			name: "unexpected status", req: warmer.Request{Function: "api"},
			out: &lambda.InvokeOutput{StatusCode: 202}, wantErr: "status 202",
		},
		{
			name: "API error", req: warmer.Request{Function: "api", Qualifier: "7"},
			err: errors.New("TooManyRequestsException"), wantErr: "lambdainvoke: invoke api:7: TooManyRequestsException",
		},
		{
			name: "long error payloads are clipped", req: warmer.Request{Function: "api"},
			out: &lambda.InvokeOutput{StatusCode: 200, FunctionError: aws.String("Handled"), Payload: []byte(long)}, wantErr: strings.Repeat("e", maxErrorPayload) + "…",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := &fakeClient{out: tt.out, err: tt.err}
			got, err := New(c).Invoke(context.Background(), tt.req)
			require.NotNil(t, c.in)
			assert.Equal(t, tt.req.Function, aws.ToString(c.in.FunctionName))
			assert.Equal(t, types.InvocationTypeRequestResponse, c.in.InvocationType, "synchronous: the reply is the point")
			assert.Equal(t, types.LogTypeNone, c.in.LogType)
			assert.Equal(t, tt.req.Payload, c.in.Payload)
			if tt.req.Qualifier == "" {
				assert.Nil(t, c.in.Qualifier)
			} else {
				assert.Equal(t, tt.req.Qualifier, aws.ToString(c.in.Qualifier))
			}
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				assert.LessOrEqual(t, len(err.Error()), maxErrorPayload+200)
				if tt.err != nil {
					assert.ErrorIs(t, err, tt.err)
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(got))
		})
	}
}

func TestNilClient(t *testing.T) {
	t.Parallel()
	_, err := New(nil).Invoke(context.Background(), warmer.Request{Function: "f"})
	assert.ErrorContains(t, err, "nil client")
	var nilInv *Invoker
	_, err = nilInv.Invoke(context.Background(), warmer.Request{Function: "f"})
	assert.ErrorContains(t, err, "nil client")
}

// The SDK client against a local endpoint: the request is the Invoke API's
// (path, qualifier, invocation type) and a function error becomes an error.
func TestInvokeWithTheSDK(t *testing.T) {
	t.Parallel()
	srv := newLambdaStub(t)
	client := lambda.New(lambda.Options{
		Region:       "us-east-1",
		Credentials:  aws.AnonymousCredentials{},
		BaseEndpoint: aws.String(srv.URL),
	})
	inv := New(client)

	got, err := inv.Invoke(context.Background(), warmer.Request{Function: "api", Qualifier: "live", Payload: []byte(`{"warmer":true}`)})
	require.NoError(t, err)
	assert.Equal(t, `{"echo":{"warmer":true}}`, string(got))
	last := srv.last()
	assert.Equal(t, "/2015-03-31/functions/api/invocations", last.URL.Path)
	assert.Equal(t, "live", last.URL.Query().Get("Qualifier"))
	assert.Equal(t, "RequestResponse", last.Header.Get("X-Amz-Invocation-Type"))

	_, err = inv.Invoke(context.Background(), warmer.Request{Function: "failing", Payload: []byte(`{}`)})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "function error Unhandled")
	assert.Equal(t, http.MethodPost, srv.last().Method)
}
