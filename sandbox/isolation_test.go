package sandbox

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/faasprobe/faasprobe/hostinfo"
)

func TestDecideIsolation(t *testing.T) {
	t.Parallel()
	lambda := platform{Provider: "aws", Service: "lambda", OnLambda: true}
	tests := []struct {
		name       string
		s          signals
		kind       Isolation
		confidence hostinfo.Confidence
	}{
		{"gvisor (cloud run gen1)", signals{Hypervisor: hostinfo.HypervisorGVisor, Platform: platform{Provider: "gcp", Service: "cloud_run"}},
			IsolationGVisor, hostinfo.ConfidenceHigh},
		{"gvisor wins over container", signals{Hypervisor: hostinfo.HypervisorGVisor, Container: true},
			IsolationGVisor, hostinfo.ConfidenceHigh},
		{"xen-era lambda (2017 capture)", signals{Hypervisor: hostinfo.HypervisorXen, Platform: lambda, LambdaGUID: true, User: "sbx_user1051"},
			IsolationSharedVM, hostinfo.ConfidenceHigh},
		{"xen without lambda is a plain VM", signals{Hypervisor: hostinfo.HypervisorXen},
			IsolationProcess, hostinfo.ConfidenceMedium},
		{"lambda slot 10, host unknown", signals{Platform: lambda, User: "sbx_user1061"},
			IsolationSharedVM, hostinfo.ConfidenceMedium},
		{"lambda slot 0, host unknown, guid", signals{Platform: lambda, User: "sbx_user1051", LambdaGUID: true},
			IsolationMicroVM, hostinfo.ConfidenceMedium},
		{"sandbox-root cgroups in a nitro VM", signals{Hypervisor: hostinfo.HypervisorNitro, Platform: lambda, SandboxRoot: "uPxa7U"},
			IsolationSharedVM, hostinfo.ConfidenceMedium},
		{"sandbox-root cgroups in firecracker (2022 capture)", signals{Hypervisor: hostinfo.HypervisorFirecracker, Platform: lambda, SandboxRoot: "uPxa7U", LambdaGUID: true},
			IsolationMicroVM, hostinfo.ConfidenceHigh},
		{"firecracker lambda also shows a container layer", signals{Hypervisor: hostinfo.HypervisorFirecracker, Container: true, Platform: lambda},
			IsolationMicroVM, hostinfo.ConfidenceHigh},
		{"firecracker, not lambda (this build machine)", signals{Hypervisor: hostinfo.HypervisorFirecracker},
			IsolationMicroVM, hostinfo.ConfidenceHigh},
		{"lambda on kvm-looking host", signals{Hypervisor: hostinfo.HypervisorKVM, Platform: lambda, LambdaGUID: true},
			IsolationMicroVM, hostinfo.ConfidenceMedium},
		{"emulator in docker on a laptop", signals{Hypervisor: hostinfo.HypervisorNone, Container: true, Platform: lambda},
			IsolationContainer, hostinfo.ConfidenceMedium},
		{"emulator on bare metal", signals{Hypervisor: hostinfo.HypervisorNone, Platform: lambda},
			IsolationProcess, hostinfo.ConfidenceMedium},
		{"emulator, host unknown", signals{Platform: lambda},
			IsolationUnknown, hostinfo.ConfidenceNone},
		{"fly machine", signals{Platform: platform{Provider: "fly", Service: "machines"}},
			IsolationMicroVM, hostinfo.ConfidenceMedium},
		{"lambda managed instances", signals{Hypervisor: hostinfo.HypervisorNitro, Platform: platform{Provider: "aws", Service: "lambda_managed_instances"}},
			IsolationContainer, hostinfo.ConfidenceMedium},
		{"ecs fargate: a microVM per task, as documented", signals{Hypervisor: hostinfo.HypervisorKVM, Container: true, Platform: platform{Provider: "aws", Service: "ecs", LaunchType: "fargate"}},
			IsolationMicroVM, hostinfo.ConfidenceMedium},
		{"ecs fargate with firecracker files: the files speak", signals{Hypervisor: hostinfo.HypervisorFirecracker, Platform: platform{Provider: "aws", Service: "ecs", LaunchType: "fargate"}},
			IsolationMicroVM, hostinfo.ConfidenceHigh},
		{"ecs on ec2: containers on a shared instance", signals{Hypervisor: hostinfo.HypervisorNitro, Platform: platform{Provider: "aws", Service: "ecs", LaunchType: "ec2"}},
			IsolationContainer, hostinfo.ConfidenceMedium},
		{"cloud run job: second generation, a microVM", signals{Hypervisor: hostinfo.HypervisorKVM, Platform: platform{Provider: "gcp", Service: "cloud_run_job", ExecutionEnvironment: "gen2"}},
			IsolationMicroVM, hostinfo.ConfidenceMedium},
		{"cloud run service, generation unknown, plain KVM files", signals{Hypervisor: hostinfo.HypervisorKVM, Platform: platform{Provider: "gcp", Service: "cloud_run"}},
			IsolationProcess, hostinfo.ConfidenceMedium},
		{"azure functions container", signals{Hypervisor: hostinfo.HypervisorHyperV, Container: true, Platform: platform{Provider: "azure", Service: "functions"}},
			IsolationContainer, hostinfo.ConfidenceMedium},
		{"plain EC2 instance", signals{Hypervisor: hostinfo.HypervisorNitro},
			IsolationProcess, hostinfo.ConfidenceMedium},
		{"unidentified machine", signals{Hypervisor: hostinfo.HypervisorUnknown},
			IsolationProcess, hostinfo.ConfidenceLow},
		{"nothing known", signals{}, IsolationUnknown, hostinfo.ConfidenceNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			kind, conf, ev := decideIsolation(tt.s)
			assert.Equal(t, tt.kind, kind)
			assert.Equal(t, tt.confidence, conf)
			assert.NotNil(t, ev)
			if kind != IsolationUnknown {
				assert.NotEmpty(t, ev, "a decision names its evidence")
			}
			if tt.s.Hypervisor != "" {
				assert.Contains(t, ev, "hypervisor: "+string(tt.s.Hypervisor))
			}
		})
	}
}

// TestIsolationRuleOrder pins the table's order: gVisor and the Xen-era
// shared VMs first, then microVMs the files show, then what a platform's
// documentation says (medium confidence), then the generic rows.
func TestIsolationRuleOrder(t *testing.T) {
	t.Parallel()
	var names []string
	for _, r := range isolationRules {
		names = append(names, r.Name)
	}
	assert.Equal(t, []string{
		"gvisor", "xen-lambda", "sbx-slot", "sandbox-root-vm", "firecracker", "lambda-microvm", "fly",
		"ecs-fargate", "cloud-run-gen2", "lambda-managed-instances", "ecs-ec2",
		"container", "process", "process-unknown-vm",
	}, names)
}

func TestIsolationRulesAreWellFormed(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, r := range isolationRules {
		assert.False(t, seen[r.Name], "duplicate rule %s", r.Name)
		seen[r.Name] = true
		assert.Contains(t, []Isolation{IsolationSharedVM, IsolationMicroVM, IsolationGVisor, IsolationContainer, IsolationProcess}, r.Kind, r.Name)
		assert.Contains(t, []hostinfo.Confidence{hostinfo.ConfidenceHigh, hostinfo.ConfidenceMedium, hostinfo.ConfidenceLow}, r.Confidence, r.Name)
		assert.NotEmpty(t, r.Why, r.Name)
		assert.False(t, r.Match(signals{}), "rule %s must not fire on no evidence", r.Name)
	}
}

func TestEstimateCoTenants(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		isolation  Isolation
		confidence hostinfo.Confidence
		memTotal   uint64
		memoryMB   int
		perVM      int
		conf       hostinfo.Confidence
	}{
		// Wang et al. / the 2017 capture: c4.large, MemTotal 3857664 kB,
		// 128 MB functions: 3857664 / 131072 = 29.43.
		{"xen c4.large 128 MB", IsolationSharedVM, hostinfo.ConfidenceHigh, 3857664 << 10, 128, 29, hostinfo.ConfidenceMedium},
		{"xen c4.large 1536 MB", IsolationSharedVM, hostinfo.ConfidenceHigh, 3857664 << 10, 1536, 2, hostinfo.ConfidenceMedium}, // 2.45
		{"shared vm, memory unknown", IsolationSharedVM, hostinfo.ConfidenceHigh, 3857664 << 10, 0, 0, hostinfo.ConfidenceNone},
		{"shared vm, MemTotal unknown", IsolationSharedVM, hostinfo.ConfidenceHigh, 0, 128, 0, hostinfo.ConfidenceNone},
		{"shared vm, function larger than VM", IsolationSharedVM, hostinfo.ConfidenceHigh, 1 << 30, 3008, 0, hostinfo.ConfidenceNone},
		{"microvm firecracker", IsolationMicroVM, hostinfo.ConfidenceHigh, 200 << 20, 128, 1, hostinfo.ConfidenceHigh},
		{"microvm inferred", IsolationMicroVM, hostinfo.ConfidenceMedium, 0, 0, 1, hostinfo.ConfidenceMedium},
		{"gvisor", IsolationGVisor, hostinfo.ConfidenceHigh, 512 << 20, 512, 0, hostinfo.ConfidenceNone},
		{"container", IsolationContainer, hostinfo.ConfidenceMedium, 16 << 30, 128, 0, hostinfo.ConfidenceNone},
		{"process", IsolationProcess, hostinfo.ConfidenceMedium, 16 << 30, 0, 0, hostinfo.ConfidenceNone},
		{"unknown", IsolationUnknown, hostinfo.ConfidenceNone, 16 << 30, 128, 0, hostinfo.ConfidenceNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := estimateCoTenants(tt.isolation, tt.confidence, tt.memTotal, tt.memoryMB)
			assert.Equal(t, tt.perVM, got.PerVM)
			assert.Equal(t, tt.conf, got.Confidence)
			assert.NotEmpty(t, got.Basis)
		})
	}
}
