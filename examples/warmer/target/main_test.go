package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestOptions(t *testing.T) {
	t.Parallel()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	tests := []struct {
		name    string
		env     map[string]string
		options int
		stderr  string
	}{
		{name: "defaults", env: nil, options: 1},
		{name: "hold and cap", env: map[string]string{envHold: "20", envMaxConcurrency: "3"}, options: 3},
		{name: "bad hold", env: map[string]string{envHold: "-1"}, options: 1, stderr: envHold + ": want a whole number from 0 to 10000; default kept"},
		{name: "bad cap", env: map[string]string{envMaxConcurrency: "lots"}, options: 1, stderr: envMaxConcurrency + ": want a whole number from 1 to 1000"},
		{name: "fan-out through an endpoint", env: map[string]string{envFanOutEndpoint: "http://127.0.0.1:1", "AWS_REGION": "us-east-1"}, options: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stderr bytes.Buffer
			lookup := func(k string) (string, bool) { v, ok := tt.env[k]; return v, ok }
			opts := options(context.Background(), lookup, &stderr, logger)
			assert.Len(t, opts, tt.options)
			if tt.stderr == "" {
				assert.Empty(t, stderr.String())
			} else {
				assert.Contains(t, stderr.String(), tt.stderr)
			}
		})
	}
}
