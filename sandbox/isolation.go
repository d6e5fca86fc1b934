package sandbox

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/faasprobe/faasprobe/hostinfo"
)

// signals is what the isolation rules look at: the host's findings plus
// sandbox's own.
type signals struct {
	Hypervisor  hostinfo.HypervisorKind // "" when the host is unknown
	Container   bool                    // hostinfo Container.Detected
	Platform    platform
	LambdaGUID  bool   // the log stream carried an execution-environment GUID (real Lambda, not the emulator)
	SandboxRoot string // cgroup "sandbox-root-XXXXXX" id, or ""
	User        string // "sbx_user1061"
}

// sbxSlot returns N-1051 for a Lambda "sbx_userN" account, or -1. In the
// Xen era each sandbox of a VM ran as its own account, sbx_user1051 being
// slot 0 (sb_log/sb10.log was opened by sbx_user1061); Firecracker-era
// sandboxes all run as sbx_user1051.
func sbxSlot(user string) int {
	n, ok := strings.CutPrefix(user, "sbx_user")
	if !ok || !isDigits(n) || len(n) > 6 {
		return -1
	}
	v, _ := strconv.Atoi(n)
	if v < 1051 {
		return -1
	}
	return v - 1051
}

// isolationRule is one row of the isolation table; rules are tried in
// order and the first that matches decides.
type isolationRule struct {
	Name       string
	Kind       Isolation
	Confidence hostinfo.Confidence // of the co-tenant estimate this kind leads to
	Match      func(s signals) bool
	Why        string // the evidence line, in words
}

// isolationRules is the table (order matters: a Lambda sandbox in
// Firecracker also shows a container layer; gVisor hides the VM; what the
// files show comes before what a platform's documentation says, and that
// before the generic container and process rows).
var isolationRules = [...]isolationRule{
	{"gvisor", IsolationGVisor, hostinfo.ConfidenceHigh,
		func(s signals) bool { return s.Hypervisor == hostinfo.HypervisorGVisor },
		"gVisor user-space kernel (hostinfo hypervisor gvisor)"},
	{"xen-lambda", IsolationSharedVM, hostinfo.ConfidenceHigh,
		func(s signals) bool { return s.Hypervisor == hostinfo.HypervisorXen && s.Platform.OnLambda },
		"AWS Lambda on a Xen VM: the pre-Firecracker design ran many sandboxes in one EC2 VM (Wang et al., USENIX ATC 2018)"},
	{"sbx-slot", IsolationSharedVM, hostinfo.ConfidenceMedium,
		func(s signals) bool {
			return s.Platform.OnLambda && sbxSlot(s.User) > 0 && s.Hypervisor != hostinfo.HypervisorFirecracker
		},
		"Lambda account sbx_userN with N > 1051: a sandbox slot beyond the first, which exists only where sandboxes share a VM"},
	{"sandbox-root-vm", IsolationSharedVM, hostinfo.ConfidenceMedium,
		func(s signals) bool {
			return s.Platform.OnLambda && s.SandboxRoot != "" && s.Hypervisor == hostinfo.HypervisorNitro
		},
		"Lambda sandbox-root cgroups directly in an EC2 (Nitro) VM: sandboxes are cgroups of one VM"},
	{"firecracker", IsolationMicroVM, hostinfo.ConfidenceHigh,
		func(s signals) bool { return s.Hypervisor == hostinfo.HypervisorFirecracker },
		"Firecracker microVM: one sandbox per microVM (Agache et al., NSDI 2020)"},
	{"lambda-microvm", IsolationMicroVM, hostinfo.ConfidenceMedium,
		func(s signals) bool {
			switch s.Hypervisor {
			case "", hostinfo.HypervisorKVM, hostinfo.HypervisorUnknown:
				return s.Platform.OnLambda && s.LambdaGUID
			}
			return false
		},
		"AWS Lambda (execution-environment GUID) without Xen: Firecracker-era Lambda runs one sandbox per microVM"},
	{"fly", IsolationMicroVM, hostinfo.ConfidenceMedium,
		func(s signals) bool { return s.Platform.Provider == "fly" },
		"Fly Machines are Firecracker microVMs"},
	{"ecs-fargate", IsolationMicroVM, hostinfo.ConfidenceMedium,
		func(s signals) bool { return s.Platform.LaunchType == "fargate" },
		"Amazon ECS task on Fargate (AWS_EXECUTION_ENV=AWS_ECS_FARGATE): AWS documents that Fargate runs each task in its own hardware-virtualised environment"},
	{"cloud-run-gen2", IsolationMicroVM, hostinfo.ConfidenceMedium,
		func(s signals) bool { return s.Platform.ExecutionEnvironment == "gen2" },
		"Cloud Run job or worker pool (CLOUD_RUN_JOB or CLOUD_RUN_WORKER_POOL set): Google documents that these run only in the second generation execution environment, a microVM"},
	{"lambda-managed-instances", IsolationContainer, hostinfo.ConfidenceMedium,
		func(s signals) bool { return s.Platform.Service == "lambda_managed_instances" },
		"Lambda Managed Instances run execution environments as containers on EC2 instances"},
	{"ecs-ec2", IsolationContainer, hostinfo.ConfidenceMedium,
		func(s signals) bool { return s.Platform.LaunchType == "ec2" },
		"Amazon ECS task on EC2 (AWS_EXECUTION_ENV=AWS_ECS_EC2): tasks are containers on an EC2 instance other tasks may share"},
	{"container", IsolationContainer, hostinfo.ConfidenceMedium,
		func(s signals) bool { return s.Container },
		"container layer (hostinfo container detected)"},
	{"process", IsolationProcess, hostinfo.ConfidenceMedium,
		func(s signals) bool {
			return s.Hypervisor != "" && s.Hypervisor != hostinfo.HypervisorUnknown
		},
		"no container, gVisor or microVM signs: a plain process on the machine"},
	{"process-unknown-vm", IsolationProcess, hostinfo.ConfidenceLow,
		func(s signals) bool { return s.Hypervisor == hostinfo.HypervisorUnknown },
		"no container, gVisor or microVM signs on an unidentified machine: a plain process"},
}

// decideIsolation applies the table. The evidence lists the deciding rule's
// reason first, then the raw signals that were present.
func decideIsolation(s signals) (kind Isolation, confidence hostinfo.Confidence, evidence []string) {
	kind, confidence = IsolationUnknown, hostinfo.ConfidenceNone
	evidence = []string{}
	for _, r := range isolationRules {
		if r.Match(s) {
			kind, confidence = r.Kind, r.Confidence
			evidence = append(evidence, r.Why)
			break
		}
	}
	if s.Hypervisor != "" {
		evidence = append(evidence, "hypervisor: "+string(s.Hypervisor))
	}
	if s.Container {
		evidence = append(evidence, "container: detected")
	}
	if s.Platform.Provider != "" {
		evidence = append(evidence, "platform: "+strings.TrimSuffix(s.Platform.Provider+" "+s.Platform.Service, " "))
	}
	if s.SandboxRoot != "" {
		evidence = append(evidence, "cgroup: sandbox-root-"+s.SandboxRoot)
	}
	if slot := sbxSlot(s.User); slot >= 0 {
		evidence = append(evidence, fmt.Sprintf("user: %s (sandbox slot %d)", s.User, slot))
	}
	return kind, confidence, evidence
}
