package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/warmer"
)

func envOf(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestPlanFromEnv(t *testing.T) {
	t.Parallel()
	plan, err := planFromEnv(envOf(map[string]string{
		envTargets: " orders:live=3, api\narn:aws:lambda:us-east-1:123456789012:function:img=2 ",
		envFanOut:  "1",
		envTimeout: "2500",
		envEvery:   "90s",
	}))
	require.NoError(t, err)
	assert.Equal(t, []warmer.Target{
		{Function: "orders", Qualifier: "live", Concurrency: 3, FanOut: true},
		{Function: "api", Concurrency: 1, FanOut: true},
		{Function: "arn:aws:lambda:us-east-1:123456789012:function:img", Concurrency: 2, FanOut: true},
	}, plan.Targets)
	assert.Equal(t, 2500*time.Millisecond, plan.Timeout)
	assert.Equal(t, 90*time.Second, plan.Every)
}

func TestPlanFromEnvErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{name: "no targets", env: map[string]string{}, want: envTargets + " is empty"},
		{name: "bad target", env: map[string]string{envTargets: "my.fn=3"}, want: "only letters"},
		{name: "bad N", env: map[string]string{envTargets: "fn=0"}, want: "concurrency"},
		{name: "bad fan-out", env: map[string]string{envTargets: "fn", envFanOut: "maybe"}, want: envFanOut},
		{name: "bad timeout", env: map[string]string{envTargets: "fn", envTimeout: "0"}, want: envTimeout},
		{name: "bad every", env: map[string]string{envTargets: "fn", envEvery: "5"}, want: envEvery},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := planFromEnv(envOf(tt.env))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestRunRejectsABadConfiguration(t *testing.T) {
	t.Parallel()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), envOf(map[string]string{}), &stdout, &stderr)
	assert.Equal(t, 2, code)
	assert.True(t, strings.HasPrefix(stderr.String(), "warmer: "+envTargets+" is empty"), stderr.String())
	assert.Empty(t, stdout.String())
}

func TestLogRound(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	logger := newTestLogger(&buf)
	logRound(logger, warmer.Report{Requested: 2, Reached: 1, Summary: "best-effort: reached 1 of 2"}, assert.AnError)
	lines := roundLines(t, buf.String())
	require.Len(t, lines, 1)
	assert.Equal(t, "WARN", lines[0].Level)
	assert.Equal(t, 1, lines[0].Report.Reached)
	assert.Equal(t, assert.AnError.Error(), lines[0].Error)
	assert.Equal(t, 1, strings.Count(buf.String(), "\n"), "one line")
}
