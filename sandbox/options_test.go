package sandbox

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/hostinfo"
)

// WithEnv wins over the tree's env file whatever the order of the options.
func TestOptionsOrder(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{"env": "AWS_LAMBDA_FUNCTION_NAME=fn\nAWS_LAMBDA_FUNCTION_MEMORY_SIZE=128\n"})
	env := mapEnv(map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "fn", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "1024"})
	host := WithHost(hostinfo.Host{})
	tests := []struct {
		name string
		opts []Option
		want int
	}{
		{"root only", []Option{WithRoot(dir), host}, 128},
		{"root then env", []Option{WithRoot(dir), WithEnv(env), host}, 1024},
		{"env then root", []Option{WithEnv(env), WithRoot(dir), host}, 1024},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, err := Detect(tt.opts...)
			require.NoError(t, err)
			assert.Equal(t, tt.want, s.Limits.MemoryLimitMB)
		})
	}
}
