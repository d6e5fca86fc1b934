package hostinfo

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestClassifyHypervisor(t *testing.T) {
	t.Parallel()
	fcCmdline := "console=ttyS0 reboot=k panic=1 pci=off nomodule swiotlb=noforce virtio_mmio.device=4K@0xd0000000:5"
	tests := []struct {
		name     string
		s        signals
		want     HypervisorKind
		evidence string // one evidence line must contain this
	}{
		{"gvisor sentry-meminfo", signals{sentryMeminfo: true, hasDMI: true, dmi: DMI{ProductName: "Google Compute Engine"}}, HypervisorGVisor, "sentry-meminfo"},
		{"gvisor banner", signals{banner: "Linux version 4.4.0 #1 SMP Sun Jan 10 15:06:54 PST 2016", release: "4.4.0"}, HypervisorGVisor, "synthetic"},
		{"gvisor release", signals{release: "4.19.0-gvisor"}, HypervisorGVisor, "gVisor"},
		{"nitro", signals{hasDMI: true, dmi: DMI{SysVendor: "Amazon EC2", ProductName: "c5.large"}, cpu: CPU{HypervisorFlag: true}}, HypervisorNitro, "c5.large"},
		{"ec2 metal", signals{hasDMI: true, dmi: DMI{SysVendor: "Amazon EC2", ProductName: "m5.metal"}}, HypervisorNone, "bare metal"},
		{"xen dmi 2017", signals{hasDMI: true, dmi: DMI{SysVendor: "Xen", ProductName: "HVM domU", BIOSVersion: "4.2.amazon"}, cpu: CPU{HypervisorFlag: true}}, HypervisorXen, "HVM domU"},
		{"xen sysfs only", signals{sysHypervisor: "xen", hypervisorUUID: "ec2e1916-9099-7caf-fd21-012345678901"}, HypervisorXen, "ec2"},
		{"hyperv azure", signals{hasDMI: true, dmi: DMI{SysVendor: "Microsoft Corporation", ProductName: "Virtual Machine", ChassisAssetTag: azureAssetTag}}, HypervisorHyperV, "Azure"},
		{"vmware", signals{hasDMI: true, dmi: DMI{SysVendor: "VMware, Inc.", ProductName: "VMware Virtual Platform"}}, HypervisorVMware, "VMware"},
		{"gce kvm", signals{hasDMI: true, dmi: DMI{SysVendor: "Google", ProductName: "Google Compute Engine"}}, HypervisorKVM, "Compute Engine"},
		{"qemu tcg", signals{hasDMI: true, dmi: DMI{SysVendor: "QEMU", ProductName: "Standard PC (i440FX + PIIX, 1996)"}, clocksource: "tsc"}, HypervisorQEMU, "QEMU"},
		{"qemu kvm", signals{hasDMI: true, dmi: DMI{SysVendor: "QEMU", ProductName: "Standard PC (Q35 + ICH9, 2009)"}, clocksource: "kvm-clock"}, HypervisorKVM, "QEMU"},
		{"firecracker brand intel", signals{cpu: CPU{ModelName: "Intel(R) Xeon(R) Processor @ 2.50GHz", HypervisorFlag: true}}, HypervisorFirecracker, "normalised brand"},
		{"firecracker brand amd", signals{cpu: CPU{ModelName: "AMD EPYC", HypervisorFlag: true}, clocksource: "tsc"}, HypervisorFirecracker, "normalised brand"},
		{"firecracker acpi", signals{acpiOEM: "FIRECK", cpu: CPU{ModelName: "Intel(R) Xeon(R) Platinum 8488C"}}, HypervisorFirecracker, "FIRECK"},
		{"firecracker cmdline + no dmi + flag", signals{cmdline: fcCmdline, cpu: CPU{ModelName: "Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz", HypervisorFlag: true}}, HypervisorFirecracker, "reboot=k"},
		{"lambda arm64 graviton", signals{arch: "arm64", lambda: true, cpu: CPU{ARMImplementer: "0x41", ARMPart: "0xd0c"}}, HypervisorFirecracker, "Lambda"},
		{"one cmdline token is not firecracker", signals{hasDMI: true, cmdline: "ro panic=1", cpu: CPU{Vendor: "GenuineIntel", HypervisorFlag: true}, clocksource: "kvm-clock"}, HypervisorKVM, "kvm-clock"},
		{"kvm flag + clock", signals{hasDMI: true, cpu: CPU{Vendor: "AuthenticAMD", ModelName: "AMD EPYC 7R13 Processor", HypervisorFlag: true}, clocksource: "kvm-clock"}, HypervisorKVM, "kvm-clock"},
		{"hyperv clocksource", signals{hasDMI: true, cpu: CPU{Vendor: "GenuineIntel", HypervisorFlag: true}, clocksource: "hyperv_clocksource_tsc_page"}, HypervisorHyperV, "hyperv"},
		{"flag, unknown clock", signals{hasDMI: true, cpu: CPU{Vendor: "GenuineIntel", HypervisorFlag: true}, clocksource: "tsc"}, HypervisorUnknown, "names no hypervisor"},
		{"bare metal x86", signals{hasDMI: true, dmi: DMI{SysVendor: "Dell Inc."}, cpu: CPU{Vendor: "GenuineIntel", ModelName: "Intel(R) Core(TM) i7"}}, HypervisorNone, "without the hypervisor flag"},
		{"arm64 silent", signals{arch: "arm64", hasDMI: true, cpu: CPU{ARMImplementer: "0x41", ARMPart: "0xd0c"}}, HypervisorUnknown, "no decisive"},
		{"nothing", signals{}, HypervisorUnknown, "no decisive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := classifyHypervisor(tt.s)
			assert.Equal(t, tt.want, got.Kind, "evidence: %v", got.Evidence)
			assert.True(t, containsSub(got.Evidence, tt.evidence), "evidence %q lacks %q", got.Evidence, tt.evidence)
		})
	}
}

func containsSub(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func TestClassifyContainer(t *testing.T) {
	t.Parallel()
	assert.False(t, classifyContainer(containerSignals{cgroup: []byte("0::/\n")}).Detected)
	assert.Equal(t, []string{}, classifyContainer(containerSignals{}).Evidence)
	c := classifyContainer(containerSignals{dockerenv: true, cgroup: []byte("12:memory:/docker/0123abcd\n")})
	assert.True(t, c.Detected)
	assert.Len(t, c.Evidence, 2)
	c = classifyContainer(containerSignals{cgroup: []byte("11:cpu:/sandbox-root-AbCdEf/sandbox-service-GhIjKl\n")})
	assert.True(t, c.Detected)
	assert.Contains(t, c.Evidence[0], "sandbox-root-")
	c = classifyContainer(containerSignals{cgroup: []byte("garbage\x00\n::\n")})
	assert.False(t, c.Detected)
}

func TestDetectPlatform(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		env           map[string]string
		want          Platform // compared on provider/service/runs_on/region/name/memory
		wantProblemOn string
	}{
		{"lambda", map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "fn", "AWS_REGION": "eu-central-1", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128", "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST"},
			Platform{Provider: "aws", Service: "lambda", Region: "eu-central-1", FunctionName: "fn", FunctionVersion: "$LATEST", MemoryLimitMB: 128}, ""},
		{"lambda managed instances", map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "fn", "AWS_LAMBDA_INITIALIZATION_TYPE": "lambda-managed-instances"},
			Platform{Provider: "aws", Service: "lambda_managed_instances", FunctionName: "fn", InitializationType: "lambda-managed-instances"}, ""},
		{"garbage memory", map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "fn", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "12x"},
			Platform{Provider: "aws", Service: "lambda", FunctionName: "fn"}, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE"},
		{"vercel on lambda", map[string]string{"VERCEL": "1", "VERCEL_REGION": "iad1", "AWS_LAMBDA_FUNCTION_NAME": "fn", "AWS_REGION": "us-east-1"},
			Platform{Provider: "vercel", Service: "functions", RunsOn: "aws_lambda", Region: "iad1", FunctionName: "fn"}, ""},
		{"netlify on lambda", map[string]string{"SITE_ID": "x", "SITE_NAME": "y", "AWS_LAMBDA_FUNCTION_NAME": "fn"},
			Platform{Provider: "netlify", Service: "functions", RunsOn: "aws_lambda", FunctionName: "fn"}, ""},
		{"cloud functions", map[string]string{"FUNCTION_TARGET": "Hello", "K_SERVICE": "hello", "K_REVISION": "hello-00001"},
			Platform{Provider: "gcp", Service: "cloud_functions", FunctionName: "hello", FunctionVersion: "hello-00001"}, ""},
		{"cloud run job", map[string]string{"CLOUD_RUN_JOB": "j", "CLOUD_RUN_EXECUTION": "j-1"},
			Platform{Provider: "gcp", Service: "cloud_run_job", FunctionName: "j", FunctionVersion: "j-1", ExecutionEnvironment: "gen2"}, ""},
		{"ecs fargate", map[string]string{"AWS_EXECUTION_ENV": "AWS_ECS_FARGATE", "ECS_CONTAINER_METADATA_URI_V4": "http://169.254.170.2/v4/x", "AWS_REGION": "us-east-1"},
			Platform{Provider: "aws", Service: "ecs", LaunchType: "fargate", Region: "us-east-1"}, ""},
		{"memory with white space around it", map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "fn", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": " 2048"},
			Platform{Provider: "aws", Service: "lambda", FunctionName: "fn", MemoryLimitMB: 2048}, ""},
		{"knative until refined", map[string]string{"K_SERVICE": "s", "K_REVISION": "s-1"},
			Platform{Provider: "knative", Service: "service", FunctionName: "s", FunctionVersion: "s-1"}, ""},
		{"azure functions", map[string]string{"FUNCTIONS_WORKER_RUNTIME": "custom", "WEBSITE_SITE_NAME": "app", "REGION_NAME": "West Europe", "WEBSITE_MEMORY_LIMIT_MB": "1536"},
			Platform{Provider: "azure", Service: "functions", FunctionName: "app", Region: "West Europe", Runtime: "custom", MemoryLimitMB: 1536}, ""},
		{"stray CONTAINER_NAME is not azure", map[string]string{"CONTAINER_NAME": "also-whale"}, Platform{}, ""},
		{"fly", map[string]string{"FLY_MACHINE_ID": "m", "FLY_APP_NAME": "a", "FLY_REGION": "ams", "FLY_VM_MEMORY_MB": "256"},
			Platform{Provider: "fly", Service: "machines", FunctionName: "a", Region: "ams", MemoryLimitMB: 256}, ""},
		{"alibaba", map[string]string{"FC_FUNCTION_NAME": "f", "FC_REGION": "cn-hangzhou"},
			Platform{Provider: "alibaba", Service: "function_compute", FunctionName: "f", Region: "cn-hangzhou"}, ""},
		{"openfaas", map[string]string{"fprocess": "./handler"}, Platform{Provider: "openfaas", Service: "functions"}, ""},
		{"nothing", map[string]string{}, Platform{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, probs := detectPlatform(func(k string) string { return tt.env[k] })
			got.Evidence = nil
			assert.Equal(t, tt.want, got)
			if tt.wantProblemOn == "" {
				assert.Empty(t, probs)
			} else if assert.Len(t, probs, 1) {
				assert.Equal(t, tt.wantProblemOn, probs[0].Source)
				assert.NotContains(t, probs[0].Error, "\n")
			}
		})
	}
}

func TestRefinePlatform(t *testing.T) {
	t.Parallel()
	p := Platform{Provider: "knative", Service: "service"}
	refinePlatform(&p, Machine{Hypervisor: Hypervisor{Kind: HypervisorGVisor}})
	assert.Equal(t, "gcp", p.Provider)
	assert.Equal(t, "cloud_run", p.Service)
	assert.Equal(t, "gen1", p.ExecutionEnvironment, "Cloud Run's first generation is gVisor")

	p = Platform{Provider: "knative", Service: "service"}
	refinePlatform(&p, Machine{DMI: DMI{ProductName: "Google Compute Engine"}, Hypervisor: Hypervisor{Kind: HypervisorKVM}})
	assert.Equal(t, "cloud_run", p.Service)
	assert.Empty(t, p.ExecutionEnvironment, "a Google machine without gVisor does not show the generation")

	p = Platform{}
	refinePlatform(&p, Machine{DMI: DMI{SysVendor: "Amazon EC2", ProductName: "c5.large"}, Hypervisor: Hypervisor{Kind: HypervisorNitro}})
	assert.Equal(t, "aws", p.Provider)
	assert.Equal(t, "ec2", p.Service)
	assert.Equal(t, "aws_ec2", p.CloudPlatform())

	p = Platform{Provider: "knative", Service: "service"}
	refinePlatform(&p, Machine{})
	assert.Equal(t, "knative", p.Provider, "Knative elsewhere stays Knative")
}

// TestPlatformEvidenceIsTheMatchingRulesOnly: only the rule that decided
// speaks. Regression: with NETLIFY (or SITE_ID and SITE_NAME) set on the
// Cloud Functions tree, the Netlify rule did not match (no Lambda) yet its
// variables ended up in the evidence.
func TestPlatformEvidenceIsTheMatchingRulesOnly(t *testing.T) {
	t.Parallel()
	cloudFunctions := map[string]string{"FUNCTION_TARGET": "Cheetah", "K_SERVICE": "serverless-prey-cheetah-abc123", "K_REVISION": "1", "PORT": "8080"}
	tests := []struct {
		name  string
		extra map[string]string
		want  []string
	}{
		{"cloud functions", nil, []string{"FUNCTION_TARGET"}},
		{"NETLIFY set without Lambda", map[string]string{"NETLIFY": "true"}, []string{"FUNCTION_TARGET"}},
		{"SITE_ID and SITE_NAME set without Lambda", map[string]string{"SITE_ID": "x", "SITE_NAME": "y"}, []string{"FUNCTION_TARGET"}},
		{"VERCEL_REGION without VERCEL", map[string]string{"VERCEL_REGION": "iad1"}, []string{"VERCEL_REGION"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := map[string]string{}
			for k, v := range cloudFunctions {
				env[k] = v
			}
			for k, v := range tt.extra {
				env[k] = v
			}
			got, _ := detectPlatform(func(k string) string { return env[k] })
			assert.Equal(t, tt.want, got.Evidence)
		})
	}
}

// TestRefineRuleOrder pins the refinement table's order: the gVisor row
// before the plain Google one (it also names the generation), EC2 from Nitro
// before EC2 from the BIOS strings.
func TestRefineRuleOrder(t *testing.T) {
	t.Parallel()
	var names []string
	for _, r := range refineRules {
		names = append(names, r.Name)
	}
	assert.Equal(t, []string{
		"knative-on-gvisor-is-cloud-run-gen1", "knative-on-google-is-cloud-run",
		"nitro-is-ec2", "amazon-bios-is-ec2", "google-is-compute-engine", "azure-asset-tag-is-vm",
	}, names)
}

// TestHypervisorRuleOrder pins the table's order (systemd's, for its
// reasons): gVisor hides the VM under it, so it comes first; DMI names the
// machine before /sys/hypervisor does; Firecracker's fingerprints come
// before the cpuinfo flag, which alone cannot name a hypervisor.
func TestHypervisorRuleOrder(t *testing.T) {
	t.Parallel()
	var names []string
	for _, r := range hypervisorRules {
		names = append(names, r.Name)
	}
	assert.Equal(t, []string{
		"gvisor", "ec2-metal", "nitro", "xen-dmi", "hyperv-dmi", "vmware-dmi", "google-dmi", "qemu-dmi-kvm", "qemu-dmi",
		"xen-sysfs", "firecracker", "flag-kvm-clock", "flag-hyperv-clock", "flag-xen-clock", "flag-only", "x86-no-flag",
	}, names)
}

// TestHypervisorEvidenceIsTheDecidingRulesOnly: the evidence is the lines
// of the rule that decided, not of rules tried before it or signals no rule
// used.
func TestHypervisorEvidenceIsTheDecidingRulesOnly(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		s    signals
		want []string
	}{
		{"gVisor on an Amazon machine names gVisor only",
			signals{sentryMeminfo: true, hasDMI: true, dmi: DMI{SysVendor: "Amazon EC2", ProductName: "c5.large"}},
			[]string{"/proc/sentry-meminfo exists (gVisor only)", `DMI product_name "c5.large" is the host's, passed through by gVisor`}},
		{"one weak Firecracker sign is dropped when the clocksource decides",
			signals{cmdline: "reboot=k panic=1", hasDMI: true, cpu: CPU{Vendor: "GenuineIntel", HypervisorFlag: true}, clocksource: "kvm-clock"},
			[]string{"cpuinfo flag hypervisor", "clocksource kvm-clock"}},
		{"nitro ignores the flag and clocksource",
			signals{hasDMI: true, dmi: DMI{SysVendor: "Amazon EC2", ProductName: "c5.large"}, cpu: CPU{HypervisorFlag: true}, clocksource: "kvm-clock", sysHypervisor: "xen"},
			[]string{`DMI vendor "Amazon EC2"`, `DMI product_name "c5.large" (Nitro names the instance type)`}},
		{"nothing decides",
			signals{arch: "arm64", hasDMI: true},
			[]string{"no decisive signal (arm64 has no cpuinfo hypervisor flag; DMI absent or silent)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, classifyHypervisor(tt.s).Evidence)
		})
	}
}
