package hostinfo

import (
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/internal/ec2data"
	"github.com/faasprobe/faasprobe/internal/procfile"
)

// Real captures; each names its public source.
var (
	// ThreatResponse/python-lambda-inspector @a916506 sample/output.json:
	// Lambda, Xen era, eu-central-1, 2017-03-11. 2 × E5-2666 v3, MemTotal
	// 3857864 kB, dmesg "DMI: Xen HVM domU, BIOS 4.2.amazon 11/11/2016".
	lambdaXenCPU = CPU{Vendor: "GenuineIntel", ModelName: "Intel(R) Xeon(R) CPU E5-2666 v3 @ 2.90GHz", Count: 2,
		MHz: 2900.098, CacheKB: 25600, Family: 6, Model: 63, Stepping: 2, HypervisorFlag: true}
	lambdaXenMem = uint64(3857864) * 1024
	lambdaXenDMI = DMI{SysVendor: "Xen", ProductName: "HVM domU", BIOSVendor: "Xen", BIOSVersion: "4.2.amazon"}
	lambdaXenEnv = Platform{Provider: "aws", Service: "lambda", Region: "eu-central-1", MemoryLimitMB: 128, Runtime: "AWS_Lambda_python2.7"}

	// BenjiTrapp/smashing-aws-lambda @258bd65 data/proc_cpuinfo.txt: Lambda,
	// Firecracker era, us-west-1, 2022-02-24. T2 template tuple 6/63/2.
	benjiCPU = CPU{Vendor: "GenuineIntel", ModelName: "Intel(R) Xeon(R) Processor @ 2.50GHz", Count: 2,
		MHz: 2500.012, CacheKB: 33792, Family: 6, Model: 63, Stepping: 2, HypervisorFlag: true}
	benjiEnv = Platform{Provider: "aws", Service: "lambda", Region: "us-west-1", MemoryLimitMB: 128, Runtime: "AWS_Lambda_nodejs12.x"}

	// pydemo/pyshell @4292721 README.md: Lambda, Firecracker era, us-east-2,
	// ~2020-11. C3 template tuple 6/62/4, nproc 2.
	pydemoCPU = CPU{Vendor: "GenuineIntel", ModelName: "Intel(R) Xeon(R) Processor @ 2.50GHz", Count: 2,
		MHz: 2500.010, CacheKB: 36608, Family: 6, Model: 62, Stepping: 4, HypervisorFlag: true}
	pydemoEnv = Platform{Provider: "aws", Service: "lambda", Region: "us-east-2", MemoryLimitMB: 128, Runtime: "AWS_Lambda_python3.7"}

	// github.com/amazonlinux/amazon-linux-2023/issues/455: t4g.small (Graviton2) cpuinfo; no model name.
	gravitonCPU = CPU{Vendor: "ARM", ModelName: "Neoverse-N1", Count: 2, ARMImplementer: "0x41", ARMPart: "0xd0c",
		CoreName: "Neoverse-N1", Graviton: 2}

	// This build machine (a Firecracker microVM): /proc/cpuinfo "AMD EPYC",
	// family 25 model 17, cache size 1024 KB, 2 CPUs.
	liveCPU = CPU{Vendor: "AuthenticAMD", ModelName: "AMD EPYC", Count: 2, MHz: 2596.128, CacheKB: 1024, Family: 25, Model: 17, Stepping: 1, HypervisorFlag: true}

	// The same build machine recorded again on a later boot, on a Zen 5
	// host (testdata/scenarios/this-build-vm-zen5): family 26 model 2.
	zen5CPU = CPU{Vendor: "AuthenticAMD", ModelName: "AMD EPYC", Count: 2, MHz: 2694.879, CacheKB: 1024, Family: 26, Model: 2, Stepping: 1, HypervisorFlag: true}

	// gVisor (google/gvisor sources, a Cloud Run/Cloud Functions capture):
	// model name "unknown", cache size 8192 KB.
	gvisorCPU = CPU{Vendor: "GenuineIntel", ModelName: "unknown", Count: 2, CacheKB: 8192, Family: 6, Model: 85}
)

const gib = uint64(1) << 30

func TestInferInstanceScenarios(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		cpu            CPU
		mem            uint64
		dmi            DMI
		hypervisor     HypervisorKind
		platform       Platform
		wantTypes      []string
		wantFamilies   []string
		wantHosts      []string
		wantConfidence Confidence
		wantBasis      []string // substrings, each in some basis sentence
	}{
		{
			name: "Lambda 2017 Xen: whole VM is a c4.large",
			cpu:  lambdaXenCPU, mem: lambdaXenMem, dmi: lambdaXenDMI, hypervisor: HypervisorXen, platform: lambdaXenEnv,
			wantTypes: []string{"c4.large"}, wantFamilies: []string{"c4"},
			wantHosts:      []string{"Intel(R) Xeon(R) CPU E5-2666 v3 @ 2.90GHz"},
			wantConfidence: ConfidenceHigh,
			wantBasis:      []string{"4.2.amazon", "used by family c4 only", "Xen era", "c4.large"},
		},
		{
			name: "Lambda 2017 Xen CPU and memory, nothing showing AWS",
			cpu:  lambdaXenCPU, mem: lambdaXenMem, hypervisor: HypervisorKVM,
			wantTypes: []string{"c4.large"}, wantFamilies: []string{"c4"},
			wantHosts:      []string{"Intel(R) Xeon(R) CPU E5-2666 v3 @ 2.90GHz"},
			wantConfidence: ConfidenceMedium,
			wantBasis:      []string{"Nothing else shows this is AWS"},
		},
		{
			name: "E5-2666 v3 with a size no c4 has",
			cpu:  withCount(lambdaXenCPU, 4), mem: lambdaXenMem, dmi: lambdaXenDMI, hypervisor: HypervisorXen, platform: lambdaXenEnv,
			wantTypes: []string{}, wantFamilies: []string{"c4"},
			wantHosts:      []string{"Intel(R) Xeon(R) CPU E5-2666 v3 @ 2.90GHz"},
			wantConfidence: ConfidenceLow,
			wantBasis:      []string{"No observed type with this CPU has 4 vCPUs"},
		},
		{
			name: "E5-2686 v4 with 2 vCPUs and 8 GiB: m4.large or t2.large",
			cpu:  CPU{Vendor: "GenuineIntel", ModelName: "Intel(R) Xeon(R) CPU E5-2686 v4 @ 2.30GHz", Count: 2, CacheKB: 46080},
			mem:  7960 << 20, dmi: DMI{SysVendor: "Xen", ProductName: "HVM domU", BIOSVersion: "4.11.amazon"}, hypervisor: HypervisorXen,
			// Both observed at 7930 MiB: equally close, so by name.
			wantTypes:      []string{"m4.large", "t2.large"},
			wantFamilies:   []string{"m4", "t2", "f1", "g3", "h1", "i3", "p2", "p3", "r4"},
			wantHosts:      []string{"Intel(R) Xeon(R) CPU E5-2686 v4 @ 2.30GHz"},
			wantConfidence: ConfidenceMedium,
			wantBasis:      []string{"m4.large (7930 MiB), t2.large (7930 MiB)"},
		},
		{
			name: "BenjiTrapp 2022 Lambda Firecracker: 33792 KB is a Platinum 8175M",
			cpu:  benjiCPU, mem: 3 * gib, hypervisor: HypervisorFirecracker, platform: benjiEnv,
			wantTypes:      []string{},
			wantFamilies:   []string{"i3en", "m5", "m5d", "p3dn", "r5", "r5d", "t3"},
			wantHosts:      []string{"Intel(R) Xeon(R) Platinum 8175M CPU @ 2.50GHz"},
			wantConfidence: ConfidenceLow,
			wantBasis:      []string{"Firecracker writes in place", "cpu family 6, model 63 is not used", "33792 KB", "not observable", "no instance type is inferred"},
		},
		{
			name: "pydemo 2020 Lambda Firecracker: 36608 KB is a Platinum 8259CL",
			cpu:  pydemoCPU, mem: 3 * gib, hypervisor: HypervisorFirecracker, platform: pydemoEnv,
			wantTypes:      []string{},
			wantFamilies:   []string{"d3", "d3en", "dl2q", "g4dn", "i3en", "m5", "m5d", "m5n", "r5", "r5b", "r5d", "r5n", "t3", "vt1"},
			wantHosts:      []string{"Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz"},
			wantConfidence: ConfidenceLow,
			wantBasis:      []string{"cpu family 6, model 62 is not used", "8259CL"},
		},
		{
			name: "masked 3.40GHz: one host, one family, on Lambda",
			cpu:  CPU{Vendor: "GenuineIntel", ModelName: "Intel(R) Xeon(R) Processor @ 3.40GHz", Count: 2, CacheKB: 25344},
			mem:  512 << 20, hypervisor: HypervisorFirecracker, platform: benjiEnv,
			wantTypes: []string{}, wantFamilies: []string{"z1d"},
			wantHosts:      []string{"Intel(R) Xeon(R) Platinum 8151 CPU @ 3.40GHz"},
			wantConfidence: ConfidenceMedium,
		},
		{
			name: "masked 3.40GHz without AWS evidence",
			cpu:  CPU{Vendor: "GenuineIntel", ModelName: "Intel(R) Xeon(R) Processor @ 3.40GHz", Count: 2, CacheKB: 25344},
			mem:  512 << 20, hypervisor: HypervisorFirecracker,
			wantTypes: []string{}, wantFamilies: []string{"z1d"},
			wantHosts:      []string{"Intel(R) Xeon(R) Platinum 8151 CPU @ 3.40GHz"},
			wantConfidence: ConfidenceLow,
			wantBasis:      []string{"Nothing shows this is AWS"},
		},
		{
			name: "masked 3.00GHz 25344 KB: Skylake or Cascade Lake",
			cpu:  CPU{Vendor: "GenuineIntel", ModelName: "Intel(R) Xeon(R) Processor @ 3.00GHz", Count: 2, CacheKB: 25344},
			mem:  2 * gib, hypervisor: HypervisorFirecracker, platform: benjiEnv,
			wantTypes:      []string{},
			wantFamilies:   []string{"c5", "c5d", "c5n"},
			wantHosts:      []string{"Intel(R) Xeon(R) Platinum 8124M CPU @ 3.00GHz", "Intel(R) Xeon(R) Platinum 8223CL CPU @ 3.00GHz"},
			wantConfidence: ConfidenceLow,
			wantBasis:      []string{"8124M CPU @ 3.00GHz or Intel(R) Xeon(R) Platinum 8223CL"},
		},
		{
			name: "build machine recorded on a Zen 4 host (family 25 model 17): 9R14 only",
			cpu:  liveCPU, mem: 24684092 * 1024, hypervisor: HypervisorFirecracker,
			wantTypes:      []string{},
			wantFamilies:   []string{"c7a", "hpc7a", "m7a", "r7a"},
			wantHosts:      []string{"AMD EPYC 9R14"},
			wantConfidence: ConfidenceLow,
			wantBasis:      []string{"Nothing shows this is AWS", "cpu family 25, model 17 is trusted", "names Zen 4", "rules out AMD EPYC 9R05 (Zen 5), AMD EPYC 9R45 (Zen 5)"},
		},
		{
			name: "build machine live on a Zen 5 host (family 26 model 2): 9R45 or 9R05, never 9R14",
			cpu:  zen5CPU, mem: 24683748 * 1024, hypervisor: HypervisorFirecracker,
			wantTypes:      []string{},
			wantFamilies:   []string{"c8a", "m8a", "r8a", "x8aedz"},
			wantHosts:      []string{"AMD EPYC 9R05", "AMD EPYC 9R45"},
			wantConfidence: ConfidenceLow,
			wantBasis:      []string{"cpu family 26, model 2 is trusted", "rules out AMD EPYC 9R14 (Zen 4)"},
		},
		{
			name: "AMD EPYC under the T2A template (6/63): Zen 4/5 hosts all remain",
			cpu:  CPU{Vendor: "AuthenticAMD", ModelName: "AMD EPYC", Count: 2, CacheKB: 1024, Family: 6, Model: 63, Stepping: 2},
			mem:  gib, hypervisor: HypervisorFirecracker, platform: benjiEnv,
			wantTypes:      []string{},
			wantFamilies:   []string{"c7a", "c8a", "hpc7a", "m7a", "m8a", "r7a", "r8a", "x8aedz"},
			wantHosts:      []string{"AMD EPYC 9R05", "AMD EPYC 9R14", "AMD EPYC 9R45"},
			wantConfidence: ConfidenceLow,
			wantBasis:      []string{"T2A template writes family 6 model 63"},
		},
		{
			name: "masked 3.00GHz 25344 KB, model 85 stepping 4 (no template): Skylake 8124M",
			cpu:  CPU{Vendor: "GenuineIntel", ModelName: "Intel(R) Xeon(R) Processor @ 3.00GHz", Count: 2, CacheKB: 25344, Family: 6, Model: 85, Stepping: 4},
			mem:  2 * gib, hypervisor: HypervisorFirecracker, platform: benjiEnv,
			wantTypes:      []string{},
			wantFamilies:   []string{"c5", "c5d", "c5n"},
			wantHosts:      []string{"Intel(R) Xeon(R) Platinum 8124M CPU @ 3.00GHz"},
			wantConfidence: ConfidenceLow,
			wantBasis:      []string{"model 85 and stepping 4 are trusted", "rules out Intel(R) Xeon(R) Platinum 8223CL CPU @ 3.00GHz (Cascade Lake-SP)"},
		},
		{
			name: "Fly.io machine: AMD EPYC but not AWS",
			cpu:  liveCPU, mem: 256 << 20, hypervisor: HypervisorFirecracker, platform: Platform{Provider: "fly", Service: "machines"},
			wantTypes: []string{}, wantFamilies: []string{}, wantHosts: []string{},
			wantConfidence: ConfidenceNone,
			wantBasis:      []string{"provider \"fly\", not AWS"},
		},
		{
			name: "masked brand, cache size matching no host",
			cpu:  CPU{ModelName: "Intel(R) Xeon(R) Processor @ 2.50GHz", Count: 2, CacheKB: 12345},
			mem:  gib, hypervisor: HypervisorFirecracker, platform: benjiEnv,
			wantTypes:      []string{},
			wantFamilies:   []string{"d3", "d3en", "dl2q", "g4dn", "i2", "i3en", "m3", "m5", "m5d", "m5n", "p3dn", "r3", "r5", "r5b", "r5d", "r5n", "t1", "t3", "vt1"},
			wantHosts:      []string{"Intel(R) Xeon(R) CPU E5-2670 v2 @ 2.50GHz", "Intel(R) Xeon(R) Platinum 8175M CPU @ 2.50GHz", "Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz"},
			wantConfidence: ConfidenceLow,
			wantBasis:      []string{"12345 KB matches no host CPU"},
		},
		{
			name: "masked brand of an unknown host",
			cpu:  CPU{ModelName: "Intel(R) Xeon(R) Processor @ 2.60GHz", Count: 2, CacheKB: 36608},
			mem:  gib, hypervisor: HypervisorFirecracker, platform: benjiEnv,
			wantTypes: []string{}, wantFamilies: []string{}, wantHosts: []string{},
			wantConfidence: ConfidenceNone,
			wantBasis:      []string{"no EC2 host CPU in the tables has that frequency"},
		},
		{
			name: "Graviton2 EC2 with Nitro DMI: exact type",
			cpu:  gravitonCPU, mem: 1846 << 20, hypervisor: HypervisorNitro,
			dmi:       DMI{SysVendor: "Amazon EC2", ProductName: "t4g.small", BIOSVendor: "Amazon EC2", BoardVendor: "Amazon EC2", BoardAssetTag: "i-0123456789abcdef0"},
			wantTypes: []string{"t4g.small"}, wantFamilies: []string{"t4g"},
			wantHosts:      []string{"AWS Graviton2"},
			wantConfidence: ConfidenceHigh,
			wantBasis:      []string{"names the instance type exactly", "2 vCPUs"},
		},
		{
			name: "Graviton2 part without DMI or AWS evidence",
			cpu:  gravitonCPU, mem: 1846 << 20, hypervisor: HypervisorKVM,
			wantTypes:      []string{},
			wantFamilies:   []string{"c6g", "c6gd", "c6gn", "g5g", "i4g", "im4gn", "is4gen", "m6g", "m6gd", "r6g", "r6gd", "t4g", "x2gd"},
			wantHosts:      []string{"AWS Graviton2"},
			wantConfidence: ConfidenceLow,
			wantBasis:      []string{"Neoverse-N1", "Ampere Altra"},
		},
		{
			name: "Lambda arm64",
			cpu:  CPU{Vendor: "ARM", ModelName: "Neoverse-N1", Count: 2, ARMImplementer: "0x41", ARMPart: "0xd0c"},
			mem:  1 * gib, hypervisor: HypervisorFirecracker, platform: Platform{Provider: "aws", Service: "lambda", Region: "us-east-1"},
			wantTypes:      []string{},
			wantFamilies:   []string{"c6g", "c6gd", "c6gn", "g5g", "i4g", "im4gn", "is4gen", "m6g", "m6gd", "r6g", "r6gd", "t4g", "x2gd"},
			wantHosts:      []string{"AWS Graviton2"},
			wantConfidence: ConfidenceLow,
			wantBasis:      []string{"Graviton2 (AWS Lambda docs", "not observable"},
		},
		{
			name: "Graviton1 on AWS: one family",
			cpu:  CPU{ARMImplementer: "0x41", ARMPart: "0xd08", Count: 2},
			mem:  3743 << 20, hypervisor: HypervisorNitro, platform: Platform{Provider: "aws", Service: "ec2"},
			wantTypes: []string{}, wantFamilies: []string{"a1"}, wantHosts: []string{"AWS Graviton1"},
			wantConfidence: ConfidenceMedium,
		},
		{
			name:      "arm64 core that is no Graviton",
			cpu:       CPU{ARMImplementer: "0x41", ARMPart: "0xd03", Count: 4},
			mem:       gib,
			wantTypes: []string{}, wantFamilies: []string{}, wantHosts: []string{},
			wantConfidence: ConfidenceNone,
			wantBasis:      []string{"Cortex-A53 is not one AWS Graviton uses"},
		},
		{
			name: "Nitro x86: c5.large on a Platinum 8275CL",
			cpu:  CPU{Vendor: "GenuineIntel", ModelName: "Intel(R) Xeon(R) Platinum 8275CL CPU @ 3.00GHz", Count: 2, CacheKB: 36608, Family: 6, Model: 85, Stepping: 7},
			mem:  3700 << 20, hypervisor: HypervisorNitro,
			dmi:       DMI{SysVendor: "Amazon EC2", ProductName: "c5.large", BIOSVendor: "Amazon EC2"},
			wantTypes: []string{"c5.large"}, wantFamilies: []string{"c5"},
			wantHosts:      []string{"Intel(R) Xeon(R) Platinum 8275CL CPU @ 3.00GHz"},
			wantConfidence: ConfidenceHigh,
		},
		{
			name:      "Nitro, board vendor only, metal type not in the observed table, CPU not in the tables",
			cpu:       CPU{Vendor: "GenuineIntel", ModelName: "Intel(R) Xeon(R) 6985P-C", Count: 4},
			mem:       16 * gib,
			dmi:       DMI{BoardVendor: "Amazon EC2", ProductName: "c9i.metal-48xl"},
			wantTypes: []string{"c9i.metal-48xl"}, wantFamilies: []string{"c9i"},
			wantHosts:      []string{"Intel(R) Xeon(R) 6985P-C"},
			wantConfidence: ConfidenceHigh,
			wantBasis:      []string{"not in the observed table", "is not in the EC2 tables"},
		},
		{
			name:      "Nitro with CPU options: fewer vCPUs than the table",
			cpu:       CPU{Vendor: "AuthenticAMD", ModelName: "AMD EPYC 9R14", Count: 1, CacheKB: 1024},
			mem:       7 * gib,
			dmi:       DMI{SysVendor: "Amazon EC2", ProductName: "m7a.large"},
			wantTypes: []string{"m7a.large"}, wantFamilies: []string{"m7a"},
			wantHosts:      []string{"AMD EPYC 9R14"},
			wantConfidence: ConfidenceHigh,
			wantBasis:      []string{"this VM sees 1 CPUs"},
		},
		{
			name: "Lambda Managed Instances on Nitro",
			cpu:  CPU{Vendor: "GenuineIntel", ModelName: "Intel(R) Xeon(R) Platinum 8488C", Count: 2, CacheKB: 107520},
			mem:  7800 << 20, hypervisor: HypervisorNitro,
			dmi:       DMI{SysVendor: "Amazon EC2", ProductName: "m7i.large"},
			platform:  Platform{Provider: "aws", Service: "lambda_managed_instances"},
			wantTypes: []string{"m7i.large"}, wantFamilies: []string{"m7i"},
			wantHosts:      []string{"Intel(R) Xeon(R) Platinum 8488C"},
			wantConfidence: ConfidenceHigh,
			wantBasis:      []string{"Lambda Managed Instances"},
		},
		{
			name: "DMI Amazon EC2 with a product name that is no type falls back to the CPU",
			cpu:  lambdaXenCPU, mem: lambdaXenMem,
			dmi:       DMI{SysVendor: "Amazon EC2", ProductName: "Not Specified"},
			wantTypes: []string{"c4.large"}, wantFamilies: []string{"c4"},
			wantHosts:      []string{"Intel(R) Xeon(R) CPU E5-2666 v3 @ 2.90GHz"},
			wantConfidence: ConfidenceHigh,
		},
		{
			name: "gVisor (Cloud Run gen1 without platform env)",
			cpu:  gvisorCPU, mem: 512 << 20, hypervisor: HypervisorGVisor,
			wantTypes: []string{}, wantFamilies: []string{}, wantHosts: []string{},
			wantConfidence: ConfidenceNone,
			wantBasis:      []string{"gVisor hides the CPU"},
		},
		{
			name: "gVisor on Cloud Run",
			cpu:  gvisorCPU, mem: 512 << 20, hypervisor: HypervisorGVisor, platform: Platform{Provider: "gcp", Service: "cloud_run"},
			wantTypes: []string{}, wantFamilies: []string{}, wantHosts: []string{},
			wantConfidence: ConfidenceNone,
			wantBasis:      []string{"not AWS"},
		},
		{
			name: "Azure DMI",
			cpu:  CPU{Vendor: "AuthenticAMD", ModelName: "AMD EPYC 7763 64-Core Processor", Count: 2},
			mem:  4 * gib, hypervisor: HypervisorHyperV, dmi: DMI{SysVendor: "Microsoft Corporation", ProductName: "Virtual Machine"},
			wantTypes: []string{}, wantFamilies: []string{}, wantHosts: []string{},
			wantConfidence: ConfidenceNone,
			wantBasis:      []string{"Microsoft"},
		},
		{
			name:      "hook.io 2017: E5-2650L v3 is not an EC2 CPU",
			cpu:       CPU{Vendor: "GenuineIntel", ModelName: "Intel(R) Xeon(R) CPU E5-2650L v3 @ 1.80GHz", Count: 2, CacheKB: 30720},
			mem:       2 * gib,
			wantTypes: []string{}, wantFamilies: []string{}, wantHosts: []string{},
			wantConfidence: ConfidenceNone,
			wantBasis:      []string{"is not one the EC2 tables list"},
		},
		{
			name:      "nothing known",
			wantTypes: []string{}, wantFamilies: []string{}, wantHosts: []string{},
			wantConfidence: ConfidenceNone,
			wantBasis:      []string{"No CPU model name is known"},
		},
		{
			name: "real model, CPU count negative",
			cpu:  withCount(lambdaXenCPU, -2), mem: lambdaXenMem, dmi: lambdaXenDMI, hypervisor: HypervisorXen, platform: lambdaXenEnv,
			wantTypes: []string{}, wantFamilies: []string{"c4"},
			wantHosts:      []string{"Intel(R) Xeon(R) CPU E5-2666 v3 @ 2.90GHz"},
			wantConfidence: ConfidenceLow,
			wantBasis:      []string{"unknown, so no instance size"},
		},
		{
			name: "real model, memory huge",
			cpu:  lambdaXenCPU, mem: math.MaxUint64, dmi: lambdaXenDMI, hypervisor: HypervisorXen, platform: lambdaXenEnv,
			wantTypes: []string{}, wantFamilies: []string{"c4"},
			wantHosts:      []string{"Intel(R) Xeon(R) CPU E5-2666 v3 @ 2.90GHz"},
			wantConfidence: ConfidenceLow,
		},
		{
			name: "real model inside Firecracker: no size",
			cpu:  lambdaXenCPU, mem: lambdaXenMem, hypervisor: HypervisorFirecracker, platform: benjiEnv,
			wantTypes: []string{}, wantFamilies: []string{"c4"},
			wantHosts:      []string{"Intel(R) Xeon(R) CPU E5-2666 v3 @ 2.90GHz"},
			wantConfidence: ConfidenceLow,
			wantBasis:      []string{"Firecracker microVM"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := inferInstance(tt.cpu, tt.mem, tt.dmi, tt.hypervisor, tt.platform)
			assert.Equal(t, tt.wantTypes, got.TypeCandidates, "types")
			assert.Equal(t, tt.wantFamilies, got.FamilyCandidates, "families")
			assert.Equal(t, tt.wantHosts, got.HostCPUCandidates, "host CPUs")
			assert.Equal(t, tt.wantConfidence, got.Confidence, "confidence; basis: %q", got.Basis)
			basis := strings.Join(got.Basis, "\n")
			for _, want := range tt.wantBasis {
				assert.Contains(t, basis, want)
			}
			checkInstanceInvariants(t, got)
		})
	}
}

func withCount(c CPU, n int) CPU {
	c.Count = n
	return c
}

// TestInferInstanceTypeCap: more matches than maxTypeCandidates are cut,
// closest memory first, and the basis says so; every matched family stays.
// The instances are every observed 2-vCPU type, as if one CPU ran them
// all: around 3800 MiB (the compute families' .large) far more than
// maxTypeCandidates match.
func TestInferInstanceTypeCap(t *testing.T) {
	t.Parallel()
	const memMB = 3800
	row := ec2data.CPUModel{Name: "Test CPU", Families: []string{"zz"}}
	var insts []ec2data.Instance
	matched := 0
	for _, in := range ec2data.AllInstances() {
		if in.VCPUs() != 2 {
			continue
		}
		insts = append(insts, in)
		row.Families = append(row.Families, in.Family())
		if d := memMB - in.MemMB(); max(d, -d) <= max(in.MemMB()*memTolerancePercent/100, memToleranceFloorMB) {
			matched++
		}
	}
	require.Greater(t, matched, maxTypeCandidates)
	slices.Sort(row.Families)
	row.Families = slices.Compact(row.Families)
	var inf inference
	inf.TypeCandidates, inf.FamilyCandidates, inf.HostCPUCandidates = []string{}, []string{}, []string{}
	inf.realX86(row, insts, CPU{Count: 2}, memMB<<20, HypervisorKVM, Platform{Provider: "aws"}, true)
	require.Len(t, inf.TypeCandidates, maxTypeCandidates)
	prevDiff, prevType := -1, ""
	for _, typ := range inf.TypeCandidates {
		in, ok := ec2data.LookupType(typ)
		require.True(t, ok, typ)
		d := max(memMB-in.MemMB(), in.MemMB()-memMB)
		assert.True(t, d > prevDiff || d == prevDiff && typ > prevType, "closest memory first, then by type: %v", inf.TypeCandidates)
		prevDiff, prevType = d, typ
		assert.Contains(t, inf.FamilyCandidates, in.Family())
	}
	assert.Equal(t, len(row.Families), len(inf.FamilyCandidates), "every family once: the matched ones, then the CPU's others")
	assert.Equal(t, "zz", inf.FamilyCandidates[len(inf.FamilyCandidates)-1])
	assert.Equal(t, ConfidenceMedium, inf.Confidence)
	assert.Contains(t, strings.Join(inf.Basis, "\n"), "the first 12 of "+strconv.Itoa(matched)+",")
}

func TestIsInstanceType(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"c5.large", "m7g.metal", "u-6tb1.112xlarge", "c8i.metal-48xl", "mac2-m2pro.metal", "t2.nano", "p6-b200.48xlarge"} {
		assert.True(t, isInstanceType(ok), ok)
	}
	for _, bad := range []string{"", "c5", ".large", "c5.", "C5.large", "c5.Large", "c5..large", "c5.large.x", "HVM domU", "Not Specified",
		"c5.large\n", "5c.large", "c5 .large", strings.Repeat("a", 62) + ".xl"} {
		assert.False(t, isInstanceType(bad), bad)
	}
}

// TestMemoryTolerance pins the window: 10% of the table's total, at least
// 128 MiB, both sides.
func TestMemoryTolerance(t *testing.T) {
	t.Parallel()
	// c4.large: 3716 MiB observed; 10% = 371 MiB.
	for _, tc := range []struct {
		memMB uint64
		want  bool
	}{
		{3716, true}, {3716 + 371, true}, {3716 - 371, true}, {3716 + 372, false}, {3716 - 372, false},
		{3767, true}, // the 2017 Lambda VM
	} {
		got := inferInstance(withCount(lambdaXenCPU, 2), tc.memMB<<20, lambdaXenDMI, HypervisorXen, lambdaXenEnv)
		assert.Equal(t, tc.want, slices.Contains(got.TypeCandidates, "c4.large"), "%d MiB", tc.memMB)
	}
	// t2.nano: 446 MiB observed; the 128 MiB floor applies.
	cpu := CPU{ModelName: "Intel(R) Xeon(R) CPU E5-2686 v4 @ 2.30GHz", Count: 1}
	for _, tc := range []struct {
		memMB uint64
		want  bool
	}{{446 + 128, true}, {446 + 129, false}, {446 - 128, true}} {
		got := inferInstance(cpu, tc.memMB<<20, DMI{BIOSVersion: "4.11.amazon"}, HypervisorXen, Platform{})
		assert.Equal(t, tc.want, slices.Contains(got.TypeCandidates, "t2.nano"), "%d MiB", tc.memMB)
	}
}

// TestInferInstanceFromParsedCapture runs a real capture through the
// cpuinfo parser first (BenjiTrapp/smashing-aws-lambda, first processor
// block, verbatim layout).
func TestInferInstanceFromParsedCapture(t *testing.T) {
	t.Parallel()
	const benji = "processor   : 0\nvendor_id   : GenuineIntel\ncpu family  : 6\nmodel       : 63\n" +
		"model name  : Intel(R) Xeon(R) Processor @ 2.50GHz\nstepping    : 2\nmicrocode   : 0x1\n" +
		"cpu MHz     : 2500.012\ncache size  : 33792 KB\nphysical id : 0\nsiblings    : 2\n" +
		"processor   : 1\nvendor_id   : GenuineIntel\nmodel name  : Intel(R) Xeon(R) Processor @ 2.50GHz\ncache size  : 33792 KB\n"
	ci, err := procfile.ParseCPUInfo([]byte(benji))
	require.NoError(t, err)
	cpu := cpuOf(ci)
	got := inferInstance(cpu, 190<<20, DMI{}, HypervisorFirecracker, benjiEnv)
	assert.Equal(t, []string{"Intel(R) Xeon(R) Platinum 8175M CPU @ 2.50GHz"}, got.HostCPUCandidates)
	assert.Empty(t, got.TypeCandidates)
	assert.Equal(t, ConfidenceLow, got.Confidence)
	assert.Equal(t, "Skylake-SP", microarchitecture(cpu))
}

// checkInstanceInvariants asserts what must hold for any input.
func checkInstanceInvariants(t testing.TB, got Instance) {
	t.Helper()
	if got.TypeCandidates == nil || got.FamilyCandidates == nil || got.HostCPUCandidates == nil || got.Basis == nil {
		t.Fatalf("nil list in %+v", got)
	}
	switch got.Confidence {
	case ConfidenceHigh, ConfidenceMedium, ConfidenceLow, ConfidenceNone:
	default:
		t.Fatalf("confidence %q", got.Confidence)
	}
	if len(got.Basis) == 0 {
		t.Fatalf("no basis for %+v", got)
	}
	if len(got.TypeCandidates) > maxTypeCandidates {
		t.Fatalf("%d type candidates", len(got.TypeCandidates))
	}
	for _, typ := range got.TypeCandidates {
		family, _, ok := strings.Cut(typ, ".")
		if !ok || !slices.Contains(got.FamilyCandidates, family) {
			t.Fatalf("type %q: family not among %q", typ, got.FamilyCandidates)
		}
	}
	if got.Confidence == ConfidenceNone && len(got.TypeCandidates)+len(got.FamilyCandidates)+len(got.HostCPUCandidates) > 0 {
		t.Fatalf("confidence none with candidates: %+v", got)
	}
	if len(got.TypeCandidates) > 0 && got.Confidence != ConfidenceHigh && got.Confidence != ConfidenceMedium {
		t.Fatalf("type candidates at confidence %q", got.Confidence)
	}
	if got.Confidence == ConfidenceHigh && len(got.TypeCandidates) != 1 {
		t.Fatalf("high confidence with %d types", len(got.TypeCandidates))
	}
	if got.Confidence != ConfidenceNone && len(got.FamilyCandidates) == 0 {
		t.Fatalf("confidence %q without a family", got.Confidence)
	}
	for _, list := range [][]string{got.TypeCandidates, got.FamilyCandidates, got.HostCPUCandidates} {
		seen := map[string]bool{}
		for _, s := range list {
			if s == "" || seen[s] {
				t.Fatalf("empty or repeated candidate %q in %q", s, list)
			}
			seen[s] = true
		}
	}
}

func FuzzInferInstance(f *testing.F) {
	seeds := []struct {
		cpu  CPU
		mem  uint64
		dmi  DMI
		hyp  HypervisorKind
		plat Platform
	}{
		{lambdaXenCPU, lambdaXenMem, lambdaXenDMI, HypervisorXen, lambdaXenEnv},
		{benjiCPU, 3 * gib, DMI{}, HypervisorFirecracker, benjiEnv},
		{pydemoCPU, 3 * gib, DMI{}, HypervisorFirecracker, pydemoEnv},
		{gravitonCPU, 2 * gib, DMI{SysVendor: "Amazon EC2", ProductName: "t4g.small"}, HypervisorNitro, Platform{}},
		{liveCPU, 24684092 * 1024, DMI{}, HypervisorFirecracker, Platform{}},
		{gvisorCPU, 512 << 20, DMI{ProductName: "Google Compute Engine"}, HypervisorGVisor, Platform{Provider: "gcp", Service: "cloud_run"}},
		{CPU{}, 0, DMI{}, "", Platform{}},
	}
	for _, s := range seeds {
		f.Add(s.cpu.Vendor, s.cpu.ModelName, s.cpu.Count, s.cpu.CacheKB, s.cpu.Family, s.cpu.Model, s.cpu.Stepping,
			s.cpu.ARMImplementer, s.cpu.ARMPart, s.mem, s.dmi.SysVendor, s.dmi.ProductName, s.dmi.BIOSVersion,
			string(s.hyp), s.plat.Provider, s.plat.Service)
	}
	f.Fuzz(func(t *testing.T, vendor, model string, count, cacheKB, family, cpuModel, stepping int,
		armImpl, armPart string, mem uint64, sysVendor, product, biosVersion, hyp, provider, service string) {
		cpu := CPU{Vendor: vendor, ModelName: model, Count: count, CacheKB: cacheKB, Family: family, Model: cpuModel,
			Stepping: stepping, ARMImplementer: armImpl, ARMPart: armPart}
		dmi := DMI{SysVendor: sysVendor, ProductName: product, BIOSVersion: biosVersion}
		plat := Platform{Provider: provider, Service: service}
		got := inferInstance(cpu, mem, dmi, HypervisorKind(hyp), plat)
		checkInstanceInvariants(t, got)
		// Firecracker-masked brands never give a type.
		if row, ok := ec2data.LookupModel(strings.TrimSpace(model)); ok && row.Masked && armImpl == "" && armPart == "" &&
			!isInstanceType(strings.TrimSpace(product)) && len(got.TypeCandidates) > 0 {
			t.Fatalf("masked brand %q gave types %q", model, got.TypeCandidates)
		}
		// Deterministic.
		again := inferInstance(cpu, mem, dmi, HypervisorKind(hyp), plat)
		if !slices.Equal(got.TypeCandidates, again.TypeCandidates) || !slices.Equal(got.Basis, again.Basis) {
			t.Fatalf("not deterministic")
		}
		_ = microarchitecture(cpu)
	})
}

func BenchmarkInferInstance(b *testing.B) {
	cases := []struct {
		name string
		cpu  CPU
		mem  uint64
		dmi  DMI
		hyp  HypervisorKind
		plat Platform
	}{
		{"lambda-xen-c4", lambdaXenCPU, lambdaXenMem, lambdaXenDMI, HypervisorXen, lambdaXenEnv},
		{"lambda-firecracker-8259CL", pydemoCPU, 3 * gib, DMI{}, HypervisorFirecracker, pydemoEnv},
		{"nitro-graviton", gravitonCPU, 2 * gib, DMI{SysVendor: "Amazon EC2", ProductName: "t4g.small"}, HypervisorNitro, Platform{}},
		{"live-amd-epyc", liveCPU, 24684092 * 1024, DMI{}, HypervisorFirecracker, Platform{}},
		{"gvisor", gvisorCPU, 512 << 20, DMI{}, HypervisorGVisor, Platform{}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				inferInstance(c.cpu, c.mem, c.dmi, c.hyp, c.plat)
			}
		})
	}
	// Baseline for ratios: one read of /proc/cpuinfo, which Detect pays
	// anyway before it can infer anything.
	b.Run("baseline-read-proc-cpuinfo", func(b *testing.B) {
		if _, err := os.ReadFile("/proc/cpuinfo"); err != nil {
			b.Skip("no /proc/cpuinfo here")
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := os.ReadFile("/proc/cpuinfo"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("microarchitecture-masked", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			microarchitecture(liveCPU)
		}
	})
}
