package hostinfo

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// WithEnv wins over the tree's env file whatever the order of the options.
func TestOptionsOrder(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{"env": "AWS_LAMBDA_FUNCTION_NAME=from-tree\n"})
	env := func(k string) (string, bool) {
		if k == "AWS_LAMBDA_FUNCTION_NAME" {
			return "from-env", true
		}
		return "", false
	}
	tests := []struct {
		name string
		opts []Option
		want string
	}{
		{"root only", []Option{WithRoot(dir)}, "from-tree"},
		{"root then env", []Option{WithRoot(dir), WithEnv(env)}, "from-env"},
		{"env then root", []Option{WithEnv(env), WithRoot(dir)}, "from-env"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h, err := Detect(tt.opts...)
			require.NoError(t, err)
			assert.Equal(t, tt.want, h.Platform.FunctionName)
		})
	}
}
