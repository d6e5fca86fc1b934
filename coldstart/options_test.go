package coldstart

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// WithEnv wins over the tree's env file whatever the order of the options.
func TestOptionsOrder(t *testing.T) {
	t.Parallel()
	dir := writeTree(t, map[string]string{"env": "AWS_LAMBDA_INITIALIZATION_TYPE=snap-start\n"})
	env := envOf(map[string]string{"AWS_LAMBDA_INITIALIZATION_TYPE": "provisioned-concurrency"})
	tests := []struct {
		name string
		opts []Option
		want string
	}{
		{"root only", []Option{WithRoot(dir)}, InitTypeSnapStart},
		{"root then env", []Option{WithRoot(dir), WithEnv(env)}, InitTypeProvisioned},
		{"env then root", []Option{WithEnv(env), WithRoot(dir)}, InitTypeProvisioned},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, New(tt.opts...).Observe().InitType)
		})
	}
}
