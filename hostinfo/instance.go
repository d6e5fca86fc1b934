package hostinfo

import (
	"slices"
	"strconv"
	"strings"

	"github.com/faasprobe/faasprobe/internal/ec2data"
)

// maxTypeCandidates bounds Instance.TypeCandidates; the basis says when
// more matched.
const maxTypeCandidates = 12

// Memory tolerance for matching MemTotal against the observed table
// (ec2data Instance.MemMB, which is MemTotal in MiB as measured under recent
// kernels). The OS-reported total of one instance type moves with the
// kernel and its boot options: the 2017 Lambda c4.large VM (kernel
// 4.4.*.amzn1) reported 3767 MiB where the 2025 table has 3716 MiB (+1.4%),
// and totals sit 2–4% under the nominal size (kernel image, struct pages,
// crashkernel reservations of up to a few hundred MiB). Sizes that the same
// CPU and vCPU count separate differ by at least 32% in the table (c5d vs
// c5n, is4gen vs i8g; most by 2×), so 10% (with a 128 MiB floor for the
// smallest types) absorbs kernel drift and still never joins two sizes.
const (
	memTolerancePercent = 10
	memToleranceFloorMB = 128
)

// inferInstance says what the evidence carries about the EC2 instance
// beneath: exact on Nitro (DMI product_name), by CPU model plus vCPU count
// plus MemTotal where the VM is the instance (EC2, Lambda's Xen era), by
// host CPU only under Firecracker (the brand is masked, cache size tells
// hosts apart, and a microVM's size says nothing of the host's), by
// Graviton generation on arm64. It never panics and its lists are never
// nil; Basis explains every step in words.
func inferInstance(cpu CPU, memTotalBytes uint64, dmi DMI, hypervisorKind HypervisorKind, platform Platform) Instance {
	inf := inference{Instance: Instance{
		TypeCandidates:    []string{},
		FamilyCandidates:  []string{},
		HostCPUCandidates: []string{},
		Confidence:        ConfidenceNone,
		Basis:             make([]string, 0, 6),
	}}
	aws, awsWhy := awsEvidence(dmi, hypervisorKind, platform)
	if !aws {
		if other := otherCloud(dmi, platform); other != "" {
			inf.say(other + ", not AWS: the EC2 tables do not apply.")
			return inf.Instance
		}
	}
	if awsWhy != "" {
		inf.say(awsWhy)
	}

	if t, ok := nitroInstanceType(dmi); ok {
		inf.nitro(t, cpu, platform)
		return inf.Instance
	}

	model := strings.TrimSpace(cpu.ModelName)
	arm := cpu.ARMImplementer != "" || cpu.ARMPart != ""
	switch {
	case hypervisorKind == HypervisorGVisor || (!arm && model == "unknown"):
		inf.say("gVisor hides the CPU (cpuinfo model name \"unknown\") and the VM under its sandbox, so nothing can be matched against the EC2 tables.")
		return inf.Instance
	case arm:
		inf.arm(cpu, hypervisorKind, platform, aws)
		return inf.Instance
	case model == "":
		inf.say("No CPU model name is known (cpuinfo unreadable or without a \"model name\"), so nothing can be matched against the EC2 tables.")
		return inf.Instance
	}

	row, ok := ec2data.LookupModel(model)
	switch {
	case !ok && firecrackerBrand(model):
		inf.say("The CPU model " + quoteEvidence(model) + " is a brand string Firecracker writes in place of the host's, but no EC2 host CPU in the tables has that frequency suffix.")
	case !ok:
		inf.say("The CPU model " + quoteEvidence(model) + " is not one the EC2 tables list, so no EC2 family or type follows from it.")
	case row.Masked:
		inf.masked(row, cpu, platform, aws)
	default:
		inf.realX86(row, row.Instances(), cpu, memTotalBytes, hypervisorKind, platform, aws)
	}
	return inf.Instance
}

// inference accumulates the result and its basis.
type inference struct {
	Instance
}

func (inf *inference) say(s string) { inf.Basis = append(inf.Basis, s) }

// awsEvidence reports whether anything shows this runs on AWS, and says
// what.
func awsEvidence(dmi DMI, hypervisorKind HypervisorKind, p Platform) (bool, string) {
	switch {
	case isAmazonEC2(dmi.SysVendor) || isAmazonEC2(dmi.BoardVendor) || isAmazonEC2(dmi.BIOSVendor):
		return true, "DMI names the vendor \"Amazon EC2\": this is an EC2 instance or runs on one."
	case strings.HasSuffix(strings.TrimSpace(dmi.BIOSVersion), ".amazon"):
		return true, "DMI BIOS version " + quoteEvidence(strings.TrimSpace(dmi.BIOSVersion)) + " is EC2's Xen BIOS: this VM is an EC2 instance."
	case hypervisorKind == HypervisorNitro:
		return true, "The hypervisor is Nitro, so this VM is an EC2 instance."
	case p.Provider == "aws" && p.Service != "":
		return true, "The environment says AWS (service \"" + p.Service + "\")."
	case p.Provider == "aws":
		return true, "The environment says AWS."
	case p.RunsOn == "aws_lambda":
		return true, "The environment says \"" + p.Provider + "\", which runs on AWS Lambda."
	}
	return false, ""
}

// quoteEvidence quotes a raw input for the basis, clipped to 100 bytes.
func quoteEvidence(s string) string {
	if len(s) > 100 {
		s = s[:100] + "…"
	}
	return strconv.Quote(s)
}

func isAmazonEC2(s string) bool { return strings.TrimSpace(s) == "Amazon EC2" }

// otherCloud names positive evidence of a non-AWS platform, or "".
// Knative and OpenFaaS run anywhere, so they say nothing.
func otherCloud(dmi DMI, p Platform) string {
	switch p.Provider {
	case "gcp", "azure", "alibaba", "ibm", "fly":
		return "The environment says provider \"" + p.Provider + "\""
	}
	switch v := strings.TrimSpace(dmi.SysVendor); {
	case v == "Google" || strings.TrimSpace(dmi.ProductName) == "Google Compute Engine":
		return "DMI names Google Compute Engine"
	case v == "Microsoft Corporation":
		return "DMI names Microsoft (Hyper-V / Azure)"
	case v == "Alibaba Cloud":
		return "DMI names Alibaba Cloud"
	}
	return ""
}

// nitroInstanceType returns the instance type DMI names on Nitro:
// product_name ("c5.large", "m7g.metal") with sys_vendor or board_vendor
// "Amazon EC2" (awslabs/aws-c-s3 s3_platform_info.c, DataDog
// pkg/util/ec2/dmi.go).
func nitroInstanceType(dmi DMI) (string, bool) {
	if !isAmazonEC2(dmi.SysVendor) && !isAmazonEC2(dmi.BoardVendor) {
		return "", false
	}
	t := strings.TrimSpace(dmi.ProductName)
	return t, isInstanceType(t)
}

// isInstanceType checks the shape family.size: [a-z][a-z0-9-]*\.[a-z0-9-]+
// ("c5.large", "u-6tb1.112xlarge", "c8i.metal-48xl", "mac2-m2pro.metal").
func isInstanceType(s string) bool {
	if len(s) < 3 || len(s) > 64 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	dots := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '.':
			dots++
			if i == 0 || i == len(s)-1 {
				return false
			}
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-':
		default:
			return false
		}
	}
	return dots == 1
}

// nitro: DMI names the type exactly.
func (inf *inference) nitro(t string, cpu CPU, p Platform) {
	family, _, _ := strings.Cut(t, ".")
	inf.TypeCandidates = append(inf.TypeCandidates, t)
	inf.FamilyCandidates = append(inf.FamilyCandidates, family)
	inf.Confidence = ConfidenceHigh
	inf.say("DMI product_name \"" + t + "\" names the instance type exactly (Nitro exposes it to the guest); family " + family + ".")
	if p.Service == "lambda_managed_instances" {
		inf.say("Lambda Managed Instances run the function in a container on this instance.")
	}

	// The host CPU: on Nitro the guest sees the host's real CPU.
	var row ec2data.CPUModel
	var found bool
	model := strings.TrimSpace(cpu.ModelName)
	switch {
	case cpu.ARMImplementer != "" || cpu.ARMPart != "":
		row, found = ec2data.LookupPart(cpu.ARMImplementer, cpu.ARMPart)
	case model != "" && model != "unknown":
		row, found = ec2data.LookupModel(model)
		if found && row.Masked {
			found = false // a masked brand names no CPU (nested Firecracker?)
		} else if !found && !firecrackerBrand(model) {
			inf.HostCPUCandidates = append(inf.HostCPUCandidates, model)
			inf.say("The CPU " + quoteEvidence(model) + " is not in the EC2 tables; it is reported as seen.")
		}
	}
	if found {
		inf.HostCPUCandidates = append(inf.HostCPUCandidates, row.Name)
		inf.say("On Nitro the guest sees the host's CPU: " + row.Name + ".")
		if !row.HasFamily(family) {
			inf.say("The tables do not list family " + family + " for " + row.Name + "; the DMI name stands (the tables may be incomplete).")
		}
	}

	if in, ok := ec2data.LookupType(t); ok {
		s := "The observed table lists " + t + " with " + strconv.Itoa(in.VCPUs()) + " vCPUs and a MemTotal of " + strconv.Itoa(in.MemMB()) + " MiB"
		if cpu.Count > 0 && cpu.Count != in.VCPUs() {
			s += "; this VM sees " + strconv.Itoa(cpu.Count) + " CPUs (CPU options can disable threads or cores)"
		}
		inf.say(s + ".")
	} else {
		inf.say(t + " is not in the observed table (a newer or rarer type); the DMI name stands.")
	}
}

// realX86: an unmasked x86 brand from the table, insts the observed types
// using it. Where the VM is the instance (EC2; Lambda's Xen era) its vCPU
// count and MemTotal pick the size.
//
// Confidence: high when the CPU is used by one family only, exactly one
// type matches count and memory, and something shows AWS; medium when
// several types match, or the CPU is shared by several families (another
// family may have a size the observed table lacks), or nothing else shows
// AWS (a retail Xeon in a machine room matches too); low when no size
// matches (families only).
func (inf *inference) realX86(row ec2data.CPUModel, insts []ec2data.Instance, cpu CPU, memTotalBytes uint64, hypervisorKind HypervisorKind, p Platform, aws bool) {
	inf.HostCPUCandidates = append(inf.HostCPUCandidates, row.Name)
	shared := "is used by family " + row.Families[0] + " only"
	if len(row.Families) > 1 {
		shared = "is shared by " + strconv.Itoa(len(row.Families)) + " EC2 families"
	}
	inf.say("The CPU model \"" + row.Name + "\" is a real (unmasked) brand string; per the EC2 tables it " + shared + ".")

	n := inf.matchSize(row, insts, cpu, memTotalBytes, hypervisorKind, p)
	switch {
	case n == 0:
		inf.Confidence = ConfidenceLow
		inf.FamilyCandidates = append(inf.FamilyCandidates, row.Families...)
	case n == 1 && len(row.Families) == 1 && aws:
		inf.Confidence = ConfidenceHigh
	default:
		inf.Confidence = ConfidenceMedium
		if n == 1 && len(row.Families) > 1 {
			inf.say("Other families share this CPU; one of them may have a size the observed table lacks.")
		}
	}
	if !aws {
		inf.say("Nothing else shows this is AWS: the candidates hold only if this VM is an EC2 instance.")
	}
}

// matchSize fills the type candidates (closest memory first, at most
// maxTypeCandidates) and their families (then the CPU's other families,
// by name) from the observed types whose vCPU count equals the CPU count
// and whose MemTotal is within the tolerance. It returns the number of
// types that matched, 0 when none did or sizing does not apply.
func (inf *inference) matchSize(row ec2data.CPUModel, insts []ec2data.Instance, cpu CPU, memTotalBytes uint64, hypervisorKind HypervisorKind, p Platform) int {
	switch {
	case hypervisorKind == HypervisorFirecracker:
		inf.say("This is a Firecracker microVM: its vCPU count and memory are its own share, not the host's size, so no instance type is inferred.")
		return 0
	case cpu.Count <= 0 || memTotalBytes == 0:
		inf.say("The vCPU count or MemTotal is unknown, so no instance size can be matched.")
		return 0
	}
	if p.Service == "lambda" && hypervisorKind == HypervisorXen {
		inf.say("In Lambda's Xen era the sandboxes of one account shared this EC2 VM (Wang et al., USENIX ATC 2018), so the vCPU count and MemTotal are the whole instance's.")
	}

	memMB := int64(memTotalBytes >> 20)
	type match struct {
		typ, family string
		mem, diff   int64
	}
	var buf [16]match
	matches := buf[:0]
	for _, in := range insts {
		if in.VCPUs() != cpu.Count {
			continue
		}
		d := memMB - int64(in.MemMB())
		if d < 0 {
			d = -d
		}
		if d <= max(int64(in.MemMB())*memTolerancePercent/100, memToleranceFloorMB) {
			matches = append(matches, match{in.Type(), in.Family(), int64(in.MemMB()), d})
		}
	}
	size := strconv.Itoa(cpu.Count) + " vCPUs and a MemTotal of " + strconv.FormatInt(memMB, 10) + " MiB"
	if len(matches) == 0 {
		inf.say("No observed type with this CPU has " + size + " (memory within " + strconv.Itoa(memTolerancePercent) + "%); only the families follow.")
		return 0
	}
	// Closest memory first, then by type. An insertion sort: matches come
	// from one CPU's rows of the table with one vCPU count (a few, never
	// input-sized), and slices.SortFunc on this struct would link ~13 KB
	// of sort code into every program that runs detection.
	closer := func(a, b match) bool {
		if a.diff != b.diff {
			return a.diff < b.diff
		}
		return a.typ < b.typ
	}
	for i := 1; i < len(matches); i++ {
		for j := i; j > 0 && closer(matches[j], matches[j-1]); j-- {
			matches[j], matches[j-1] = matches[j-1], matches[j]
		}
	}
	inf.FamilyCandidates = make([]string, 0, len(row.Families))
	var list strings.Builder
	for i, m := range matches {
		if i < maxTypeCandidates {
			inf.TypeCandidates = append(inf.TypeCandidates, m.typ)
			if i > 0 {
				list.WriteString(", ")
			}
			list.WriteString(m.typ + " (" + strconv.FormatInt(m.mem, 10) + " MiB)")
		}
		if !slices.Contains(inf.FamilyCandidates, m.family) {
			inf.FamilyCandidates = append(inf.FamilyCandidates, m.family)
		}
	}
	matched := len(inf.FamilyCandidates)
	for _, f := range row.Families {
		if !slices.Contains(inf.FamilyCandidates, f) {
			inf.FamilyCandidates = append(inf.FamilyCandidates, f)
		}
	}
	slices.Sort(inf.FamilyCandidates[matched:])

	s := "Observed types with this CPU and " + size + " (memory within " + strconv.Itoa(memTolerancePercent) + "%): " + list.String()
	if len(matches) > maxTypeCandidates {
		s += " (the first " + strconv.Itoa(maxTypeCandidates) + " of " + strconv.Itoa(len(matches)) + ", closest memory first)"
	}
	inf.say(s + ".")
	return len(matches)
}

// masked: a Firecracker brand. The cache size (not rewritten) picks the
// host CPUs; their families follow; the microVM's size says nothing.
//
// Confidence: low, or medium when the brand and cache leave one host CPU
// that a single family uses and something shows AWS. Even then the family
// is a chain of two table facts (brand+cache → CPU, CPU → family) plus an
// assumption that cannot be checked from inside (that the host is an
// instance of a listed family), so it is never high, and no type is given.
func (inf *inference) masked(row ec2data.CPUModel, cpu CPU, p Platform, aws bool) {
	inf.Confidence = ConfidenceLow
	inf.say("The CPU model \"" + row.Name + "\" is the brand string Firecracker writes in place of the host's; the cache size it leaves alone tells the host CPUs apart.")
	gen, why := trustedX86(cpu)
	switch {
	case why != "":
		inf.say("The " + why)
	case cpu.Family != 0 || cpu.Model != 0:
		inf.say("The family/model/stepping " + strconv.Itoa(cpu.Family) + "/" + strconv.Itoa(cpu.Model) + "/" + strconv.Itoa(cpu.Stepping) + " names no generation and is not used.")
	}
	cacheMatch := func(h ec2data.Host) bool { return cpu.CacheKB > 0 && h.CacheKB == cpu.CacheKB }
	n := 0
	for _, h := range row.Hosts {
		if cacheMatch(h) {
			n++
		}
	}
	switch {
	case cpu.CacheKB <= 0:
		cacheMatch = func(ec2data.Host) bool { return true }
		inf.say("The cache size is unknown, so every host CPU the tables know for this brand remains.")
	case n == 0:
		cacheMatch = func(ec2data.Host) bool { return true }
		inf.say("The cache size " + strconv.Itoa(cpu.CacheKB) + " KB matches no host CPU the tables know for this brand, so all of them remain.")
	}
	match := cacheMatch
	if gen != "" {
		genMatch := func(h ec2data.Host) bool { return cacheMatch(h) && sameGeneration(gen, h.Microarchitecture) }
		var dropped []string
		kept := 0
		for _, h := range row.Hosts {
			switch {
			case genMatch(h):
				kept++
			case cacheMatch(h):
				dropped = append(dropped, h.Model+" ("+h.Microarchitecture+")")
			}
		}
		switch {
		case kept == 0:
			inf.say("No host CPU the tables know for this brand is " + gen + "; the generation does not narrow them.")
		case len(dropped) > 0:
			match = genMatch
			inf.say("Being " + gen + " rules out " + strings.Join(dropped, ", ") + ".")
		}
	}
	hosts, families := 0, 0
	for _, h := range row.Hosts {
		if match(h) {
			hosts++
			families += len(h.Families)
		}
	}
	inf.HostCPUCandidates = make([]string, 0, hosts)
	inf.FamilyCandidates = make([]string, 0, families)
	for _, h := range row.Hosts {
		if !match(h) {
			continue
		}
		inf.HostCPUCandidates = append(inf.HostCPUCandidates, h.Model)
		inf.FamilyCandidates = append(inf.FamilyCandidates, h.Families...)
	}
	slices.Sort(inf.FamilyCandidates)
	inf.FamilyCandidates = slices.Compact(inf.FamilyCandidates)
	if n > 0 {
		inf.say("Cache size " + strconv.Itoa(cpu.CacheKB) + " KB with this brand (and the generation, where trusted) means host CPU " + strings.Join(inf.HostCPUCandidates, " or ") + "; the families are those using it.")
	}
	if p.Service == "lambda" || p.RunsOn == "aws_lambda" {
		inf.say("On Lambda each sandbox is a Firecracker microVM on a host shared with many others, of many accounts; the host is not observable from inside, only its CPU shows through.")
	}
	inf.say("A microVM's vCPU count and memory are its own share, not the host's size, so no instance type is inferred.")
	if !aws {
		inf.say("Nothing shows this is AWS: the candidates hold only if the host is an EC2 instance.")
	}
	if n > 0 && len(inf.HostCPUCandidates) == 1 && len(inf.FamilyCandidates) == 1 && aws {
		inf.Confidence = ConfidenceMedium
	}
}

// arm: the part names the core and the Graviton generation; the families
// follow; a type only with DMI (handled by nitro).
//
// Confidence: low, or medium when the generation is used by one family only
// and something shows AWS (the same rule as masked x86: the part is
// exact, the family is a table fact).
func (inf *inference) arm(cpu CPU, hypervisorKind HypervisorKind, p Platform, aws bool) {
	core, _ := decodeARM(cpu.ARMImplementer, cpu.ARMPart)
	row, ok := ec2data.LookupPart(cpu.ARMImplementer, cpu.ARMPart)
	if !ok {
		if core != "" {
			inf.say("The arm64 core " + core + " is not one AWS Graviton uses, so no EC2 family follows.")
		} else {
			inf.say("The arm64 implementer/part " + quoteEvidence(cpu.ARMImplementer) + "/" + quoteEvidence(cpu.ARMPart) + " is not a known Graviton part.")
		}
		return
	}
	inf.Confidence = ConfidenceLow
	inf.HostCPUCandidates = append(inf.HostCPUCandidates, row.Name)
	inf.FamilyCandidates = append(inf.FamilyCandidates, row.Families...)
	inf.say("The arm64 part " + cpu.ARMImplementer + "/" + cpu.ARMPart + " is an Arm " + row.Microarchitecture + ", the core of " + row.Name + "; the EC2 families using it follow.")
	if p.Service == "lambda" || p.RunsOn == "aws_lambda" {
		s := "Lambda's arm64 functions run on Graviton2 (AWS Lambda docs, foundation-arch)"
		if row.Graviton != 2 {
			s += ", but this part says Graviton" + strconv.Itoa(row.Graviton)
		}
		inf.say(s + ".")
	}
	if hypervisorKind == HypervisorFirecracker || p.Service == "lambda" {
		inf.say("In a Firecracker microVM the vCPU count and memory are the sandbox's share; the host is shared and not observable, so no instance type is inferred.")
	} else {
		inf.say("Without a DMI product name no instance type is inferred: an EC2 arm64 instance shows its type in DMI, so its absence means a sandbox whose vCPUs and memory need not be the instance's.")
	}
	if !aws {
		inf.say("Nothing shows this is AWS, and other clouds build on the same Arm cores (Ampere Altra is a Neoverse-N1): the Graviton reading is an assumption.")
	}
	if len(row.Families) == 1 && aws {
		inf.Confidence = ConfidenceMedium
	}
}
