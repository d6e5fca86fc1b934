package faasprobe

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/internal/logline"
)

// WithVMStats and FAASPROBE_VM_STATS=1 add the "vm" object to the
// handler's invocation lines, not to a ping's; without them no line has it.
func TestVMStats(t *testing.T) {
	t.Parallel()
	on := func(k string) (string, bool) {
		if k == EnvVMStats {
			return "1", true
		}
		return "", false
	}
	tests := []struct {
		name string
		opts []Option
		want bool
	}{
		{name: "off by default"},
		{name: "option", opts: []Option{WithVMStats()}, want: true},
		{name: "environment switch", opts: []Option{WithEnv(on)}, want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, out := newProbe(t, tt.opts...)
			h := p.Handler(handle)
			for _, payload := range []string{`{"warmer":true}`, `{"id":1}`, `{"id":2}`} {
				_, err := h.Invoke(context.Background(), []byte(payload))
				require.NoError(t, err)
			}
			got := out.decoded(t)
			require.Len(t, got, 4)
			assert.NotContains(t, got[1], "vm", "a ping's line")
			for _, line := range got[2:] {
				vm, ok := line["vm"].(map[string]any)
				require.Equal(t, tt.want, ok, "%v", line)
				if !ok {
					continue
				}
				// the scenario tree holds neither file: unknown, not a problem
				assert.NotContains(t, vm, "problem")
				assert.EqualValues(t, 0, vm["cpu_ms"])
			}
		})
	}
}

// On a tree that holds both files, the sample reads them: the recorded
// VM's memory available, and a zero interval split (the files do not
// change between invocations).
func TestVMStatsRecordedTree(t *testing.T) {
	t.Parallel()
	var out lines
	p := New(WithRoot("testdata/scenarios/this-build-vm-firecracker"), WithLogger(logline.NewLogger(&out)), WithVMStats())
	_, err := p.Handler(handle).Invoke(context.Background(), []byte(`{"id":1}`))
	require.NoError(t, err)
	got := out.decoded(t)
	require.Len(t, got, 2)
	vm := got[1]["vm"].(map[string]any)
	assert.EqualValues(t, 24197440*1024, vm["memory_available_bytes"]) // MemAvailable: 24197440 kB
	assert.EqualValues(t, 0, vm["cpu_ms"])
	assert.NotContains(t, vm, "reset")
	assert.NotContains(t, vm, "problem")
}
