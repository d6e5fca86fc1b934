//go:build !linux

package hostinfo

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestDetectLive on a development machine: gopsutil facts, sane ranges.
func TestDetectLive(t *testing.T) {
	h, _ := Detect()
	assert.Positive(t, h.Machine.CPU.Count)
	assert.Equal(t, runtime.GOARCH, h.Machine.Arch)
	assert.NotEmpty(t, h.Machine.Hypervisor.Kind)
}
