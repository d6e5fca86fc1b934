//go:build linux

package hostinfo

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/faasprobe/faasprobe/internal/ec2data"
)

// TestGenerationLive: on the machine the tests run on, a trusted
// family/model never leaves a host CPU candidate of another generation
// (this build machine, AuthenticAMD family 26, is Zen 5: never the Zen 4
// EPYC 9R14).
func TestGenerationLive(t *testing.T) {
	h, _ := Detect()
	cpu := h.Machine.CPU
	gen, _ := trustedX86(cpu)
	t.Logf("cpu %s family %d model %d: trusted %q, microarchitecture %q, hosts %v",
		cpu.Vendor, cpu.Family, cpu.Model, gen, cpu.Microarchitecture, h.Machine.Instance.HostCPUCandidates)
	if gen == "" {
		t.Skip("no trusted family/model on this machine")
	}
	assert.Equal(t, gen, cpu.Microarchitecture)
	assert.NotEmpty(t, cpu.MicroarchitectureEvidence)
	if cpu.Vendor == "AuthenticAMD" && cpu.Family == 26 {
		assert.NotContains(t, h.Machine.Instance.HostCPUCandidates, "AMD EPYC 9R14")
	}
	for _, c := range h.Machine.Instance.HostCPUCandidates {
		if row, ok := ec2data.LookupModel(c); ok && !row.Masked {
			assert.True(t, sameGeneration(gen, row.Microarchitecture), "candidate %s is %s, not %s", c, row.Microarchitecture, gen)
		}
	}
}
