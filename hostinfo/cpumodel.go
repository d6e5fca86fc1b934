package hostinfo

import (
	"strconv"
	"strings"

	"github.com/faasprobe/faasprobe/internal/ec2data"
)

// decodeARM names the core behind an arm64 "CPU implementer" / "CPU part"
// pair as /proc/cpuinfo prints them ("0x41", "0xd0c"; any case) and, for
// the parts AWS builds Graviton on, the Graviton generation. Names follow
// util-linux sys-utils/lscpu-arm.c (arm_part); Graviton generations follow
// aws/aws-graviton-getting-started and the EC2 CPU table
// (internal/ec2data). An unknown implementer or part gives "", 0.
//
// A Graviton generation is what the part implies on AWS: other vendors
// build on the same cores (Ampere Altra on Azure, Google Cloud and Oracle
// is a Neoverse-N1 and reports 0x41/0xd0c too), so it is evidence of
// Graviton only where other evidence says AWS.
func decodeARM(implementer, part string) (core string, graviton int) {
	impl, ok := parseARMHex(implementer)
	if !ok {
		return "", 0
	}
	p, ok := parseARMHex(part)
	if !ok {
		return "", 0
	}
	switch impl {
	case 0x41: // Arm Ltd
		return armLtdPart(p)
	case 0xc0: // Ampere
		switch p {
		case 0xac3:
			return "Ampere-1", 0
		case 0xac4:
			return "Ampere-1a", 0
		}
	}
	return "", 0
}

// armLtdPart decodes the parts of implementer 0x41 (lscpu-arm.c arm_part;
// 64-bit application cores only).
func armLtdPart(p uint64) (string, int) {
	switch p {
	case 0xd08:
		return "Cortex-A72", 1 // Graviton1 (a1)
	case 0xd0c:
		return "Neoverse-N1", 2 // Graviton2; also Ampere Altra
	case 0xd40:
		return "Neoverse-V1", 3 // Graviton3 / 3E
	case 0xd4f:
		return "Neoverse-V2", 4 // Graviton4
	case 0xd84:
		return "Neoverse-V3", 5 // Graviton5
	case 0xd03:
		return "Cortex-A53", 0
	case 0xd04:
		return "Cortex-A35", 0
	case 0xd05:
		return "Cortex-A55", 0
	case 0xd07:
		return "Cortex-A57", 0
	case 0xd09:
		return "Cortex-A73", 0
	case 0xd0a:
		return "Cortex-A75", 0
	case 0xd0b:
		return "Cortex-A76", 0
	case 0xd0d:
		return "Cortex-A77", 0
	case 0xd0e:
		return "Cortex-A76AE", 0
	case 0xd41:
		return "Cortex-A78", 0
	case 0xd44:
		return "Cortex-X1", 0
	case 0xd46:
		return "Cortex-A510", 0
	case 0xd47:
		return "Cortex-A710", 0
	case 0xd48:
		return "Cortex-X2", 0
	case 0xd49:
		return "Neoverse-N2", 0
	case 0xd4a:
		return "Neoverse-E1", 0
	case 0xd4b:
		return "Cortex-A78C", 0
	case 0xd4d:
		return "Cortex-A715", 0
	case 0xd4e:
		return "Cortex-X3", 0
	case 0xd80:
		return "Cortex-A520", 0
	case 0xd81:
		return "Cortex-A720", 0
	case 0xd82:
		return "Cortex-X4", 0
	case 0xd83:
		return "Neoverse-V3AE", 0
	case 0xd85:
		return "Cortex-X925", 0
	case 0xd87:
		return "Cortex-A725", 0
	case 0xd8e:
		return "Neoverse-N3", 0
	}
	return "", 0
}

// parseARMHex parses "0x41", "0XD0C" or "0xd0c" (the 0x is required, as
// cpuinfo always prints it; at most 3 hex digits, as MIDR fields have).
func parseARMHex(s string) (uint64, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 3 || len(s) > 5 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X') {
		return 0, false
	}
	v, err := strconv.ParseUint(s[2:], 16, 16)
	return v, err == nil
}

// microarchitecture is cpuGeneration's name alone.
func microarchitecture(cpu CPU) string {
	name, _ := cpuGeneration(cpu, false)
	return name
}

// cpuGeneration names the CPU's microarchitecture where the evidence
// supports it, else "", and (when explain is set) says which cpuinfo
// fields it trusted and why:
//   - arm64: the core decoded from "CPU implementer" and "CPU part" (the
//     kernel prints them from MIDR_EL1; Firecracker's arm64 template,
//     V1N1, rewrites feature registers, not the part);
//   - x86: the generation the family/model/stepping tuple names where
//     Firecracker's CPU templates cannot have written it (trustedX86);
//   - a Firecracker-masked brand ("AMD EPYC", "Intel(R) Xeon(R) Processor
//     @ 2.50GHz"): the hosts in the EC2 table whose cache size matches
//     ("AMD EPYC" + 1024 KB → "Zen 4/5"), narrowed by a trusted tuple
//     ("Zen 5" when the family is 26);
//   - a real brand in the EC2 table: the table's name ("Haswell-EP");
//   - any other x86: decoded from vendor, family, model and stepping
//     (Intel family 6, AMD families 0x17–0x1A).
func cpuGeneration(cpu CPU, explain bool) (string, []string) {
	var ev []string
	say := func(parts ...string) {
		if explain {
			ev = append(ev, strings.Join(parts, ""))
		}
	}
	if cpu.ARMImplementer != "" || cpu.ARMPart != "" {
		core, _ := decodeARM(cpu.ARMImplementer, cpu.ARMPart)
		if core != "" {
			say("CPU implementer ", cpu.ARMImplementer, " and CPU part ", cpu.ARMPart, " name the core ", core,
				": the kernel prints them from MIDR_EL1, which Firecracker's arm64 template (V1N1) does not rewrite.")
		}
		return core, ev
	}
	model := strings.TrimSpace(cpu.ModelName)
	trusted, why := trustedX86(cpu)
	if row, ok := ec2data.LookupModel(model); ok {
		if !row.Masked {
			say("The model name is a real brand string in the EC2 CPU table: ", row.Microarchitecture, ".")
			return row.Microarchitecture, ev
		}
		masked := maskedMicroarchitecture(row, cpu.CacheKB)
		say("The model name ", quoteEvidence(model), " is Firecracker's brand string; the cache size ",
			strconv.Itoa(cpu.CacheKB), " KB, which no CPU template rewrites, leaves ", orUnknown(masked), ".")
		if trusted == "" {
			if why != "" {
				say(why)
			}
			return masked, ev
		}
		say(why)
		if masked != "" && !sameGeneration(trusted, masked) {
			say("The tuple and the cache size disagree: the EC2 table has no host of ", trusted,
				" with this cache size (it may lack one); the tuple, which is the host's own, stands.")
		}
		return trusted, ev
	}
	if firecrackerBrand(model) {
		say("The model name ", quoteEvidence(model), " is Firecracker's brand string of a host the EC2 table does not know.")
		if trusted != "" {
			say(why)
		}
		return trusted, ev
	}
	name := x86Microarchitecture(cpu.Vendor, model, cpu.Family, cpu.Model, cpu.Stepping)
	if name != "" {
		say("cpu family ", strconv.Itoa(cpu.Family), ", model ", strconv.Itoa(cpu.Model), " and stepping ",
			strconv.Itoa(cpu.Stepping), " decode to ", name, " (no Firecracker brand string: nothing shows a CPU template).")
	}
	return name, ev
}

// eachGeneration calls yield with each name a joined microarchitecture
// name stands for, as a prefix and a rest to be read together (so that
// nothing is allocated): "Zen 4/5" → ("", "Zen 4"), ("Zen ", "5");
// "Haswell-EP/EX" → ("", "Haswell-EP"), ("Haswell-", "EX");
// "Skylake-SP/Cascade Lake-SP" → both whole. The names are those of
// joinMicroarchitectures and intelFamily6.
func eachGeneration(joined string, yield func(prefix, rest string) bool) {
	first, more, _ := strings.Cut(joined, "/")
	if !yield("", first) {
		return
	}
	for more != "" {
		var p string
		p, more, _ = strings.Cut(more, "/")
		prefix := ""
		switch {
		case strings.Contains(p, " "):
		case p != "" && p[0] >= '0' && p[0] <= '9':
			if j := strings.LastIndexByte(first, ' '); j >= 0 {
				prefix = first[:j+1] // "Zen 4/5"
			}
		default:
			if j := strings.LastIndexByte(first, '-'); j >= 0 {
				prefix = first[:j+1] // "Haswell-EP/EX"
			}
		}
		if !yield(prefix, p) {
			return
		}
	}
}

// sameGeneration reports whether the two (possibly joined) names share a
// generation.
func sameGeneration(a, b string) bool {
	found := false
	eachGeneration(a, func(pa, ra string) bool {
		eachGeneration(b, func(pb, rb string) bool {
			found = concatEqual(pa, ra, pb, rb)
			return !found
		})
		return !found
	})
	return found
}

// concatEqual reports whether a1+a2 == b1+b2, without concatenating.
func concatEqual(a1, a2, b1, b2 string) bool {
	n := len(a1) + len(a2)
	if n != len(b1)+len(b2) {
		return false
	}
	at := func(x1, x2 string, i int) byte {
		if i < len(x1) {
			return x1[i]
		}
		return x2[i-len(x1)]
	}
	for i := 0; i < n; i++ {
		if at(a1, a2, i) != at(b1, b2, i) {
			return false
		}
	}
	return true
}

func orUnknown(s string) string {
	if s == "" {
		return "no host the table knows"
	}
	return s
}

// Firecracker's CPU templates rewrite the x86 family/model/stepping tuple:
// T2, T2S, T2CL and T2A write 6/63/2 (Haswell), C3 writes 6/62/4 (Ivy
// Bridge) (firecracker src/vmm/src/cpu_config/x86_64/static_cpu_templates).
// Without a template the guest sees the host's tuple.
const (
	templateFamily  = 6
	templateModelT2 = 63
	templateModelC3 = 62
)

// trustedX86 decodes the x86 family/model/stepping where no Firecracker
// CPU template can have written it, and says why it is trusted (or, for a
// tuple a template writes, why not). It returns "", "" when there is no
// tuple to judge.
//
//   - AMD: the templates write family 6 on AMD hosts too (T2A), so an AMD
//     family of 0x17, 0x19 or 0x1A (23, 25, 26) is the host's own and
//     names the Zen generation (0x19 by model range: Zen 3 or Zen 4).
//   - Intel: every template writes family 6 with model 62 or 63, so any
//     other family-6 model is the host's own (and its stepping with it,
//     which separates Skylake-SP from Cascade Lake-SP at model 0x55). Models
//     62 and 63 are not trusted: a template writes them, though real Ivy
//     Bridge and Haswell hosts show them too; the cache size decides there.
//
// A custom CPU template may write any tuple; nothing from inside rules that
// out. The public platforms use the static templates or none.
func trustedX86(cpu CPU) (string, string) {
	tuple := "cpu family " + strconv.Itoa(cpu.Family) + ", model " + strconv.Itoa(cpu.Model)
	switch cpu.Vendor {
	case "AuthenticAMD":
		if cpu.Family == templateFamily {
			return "", tuple + " is not used: Firecracker's T2A template writes family 6 model 63 on AMD hosts."
		}
		if g := amdZen(cpu.Family, cpu.Model); g != "" {
			return g, tuple + " is trusted: no Firecracker CPU template writes an AMD Zen family (they write family 6), so it is the host's and names " + g + "."
		}
	case "GenuineIntel":
		if cpu.Family != templateFamily || cpu.Model <= 0 {
			return "", ""
		}
		if cpu.Model == templateModelT2 || cpu.Model == templateModelC3 {
			return "", tuple + " is not used: Firecracker's CPU templates write it (T2 → 6/63/2, C3 → 6/62/4)."
		}
		if g := intelFamily6(cpu.Model, cpu.Stepping); g != "" {
			return g, tuple + " and stepping " + strconv.Itoa(cpu.Stepping) + " are trusted: Firecracker's CPU templates write only models 62 and 63, so this is the host's and names " + g + "."
		}
	}
	return "", ""
}

// maskedMicroarchitecture joins the microarchitectures of the hosts a
// masked brand can stand for, keeping those whose cache size matches when
// it is known. "Zen 4" and "Zen 5" become "Zen 4/5"; names that do not
// share a numbered prefix are joined whole ("Cascade Lake-SP/Skylake-SP"). A cache
// size that matches no host gives "": the evidence contradicts the table.
func maskedMicroarchitecture(row ec2data.CPUModel, cacheKB int) string {
	var names [8]string
	list := names[:0]
	for _, h := range row.Hosts {
		if cacheKB != 0 && h.CacheKB != cacheKB {
			continue
		}
		dup := false
		for _, n := range list {
			dup = dup || n == h.Microarchitecture
		}
		if !dup {
			list = append(list, h.Microarchitecture)
		}
	}
	return joinMicroarchitectures(list)
}

// joinMicroarchitectures sorts list in place and joins it with "/", sharing
// a common prefix for numbered generations ("Zen 4", "Zen 5" → "Zen 4/5").
func joinMicroarchitectures(list []string) string {
	switch len(list) {
	case 0:
		return ""
	case 1:
		return list[0]
	}
	// Insertion sort: a handful of names, no allocation.
	for i := 1; i < len(list); i++ {
		for j := i; j > 0 && list[j] < list[j-1]; j-- {
			list[j], list[j-1] = list[j-1], list[j]
		}
	}
	// Share the prefix only for numbered generations ("Zen 4/5"), where
	// every remainder is a single word starting with a digit.
	prefix := ""
	if i := strings.LastIndexByte(list[0], ' '); i > 0 {
		prefix = list[0][:i+1]
		for _, n := range list {
			rest, ok := strings.CutPrefix(n, prefix)
			if !ok || rest == "" || rest[0] < '0' || rest[0] > '9' || strings.Contains(rest, " ") {
				prefix = ""
				break
			}
		}
	}
	var b strings.Builder
	b.WriteString(prefix)
	for i, n := range list {
		if i > 0 {
			b.WriteByte('/')
		}
		b.WriteString(n[len(prefix):])
	}
	return b.String()
}

// x86Microarchitecture decodes an unmasked x86 CPU from its family, model
// and stepping: Intel family 6 after arch/x86/include/asm/intel-family.h,
// AMD families 0x17–0x1A after bsp_init_amd in arch/x86/kernel/cpu/amd.c
// (Linux). Unknown or missing values give "". Stepping 0 counts as unknown
// (the CPU zero value), which matters only where it separates two
// generations (Intel model 0x55).
func x86Microarchitecture(vendor, modelName string, family, model, stepping int) string {
	switch {
	case vendor == "GenuineIntel" || (vendor == "" && strings.HasPrefix(modelName, "Intel")):
		if family != 6 {
			return ""
		}
		return intelFamily6(model, stepping)
	case vendor == "AuthenticAMD" || (vendor == "" && strings.HasPrefix(modelName, "AMD")):
		return amdZen(family, model)
	}
	return ""
}

func intelFamily6(model, stepping int) string {
	switch model {
	case 0x1a, 0x1e, 0x1f, 0x2e:
		return "Nehalem"
	case 0x25, 0x2c, 0x2f:
		return "Westmere"
	case 0x2a:
		return "Sandy Bridge"
	case 0x2d:
		return "Sandy Bridge-EP"
	case 0x3a:
		return "Ivy Bridge"
	case 0x3e:
		return "Ivy Bridge-EP/EX"
	case 0x3c, 0x45, 0x46:
		return "Haswell"
	case 0x3f:
		return "Haswell-EP/EX"
	case 0x3d, 0x47:
		return "Broadwell"
	case 0x4f, 0x56:
		return "Broadwell-EP/EX/DE"
	case 0x4e, 0x5e:
		return "Skylake"
	case 0x55:
		switch {
		case stepping >= 1 && stepping <= 4:
			return "Skylake-SP"
		case stepping >= 5 && stepping <= 7:
			return "Cascade Lake-SP"
		case stepping == 10 || stepping == 11:
			return "Cooper Lake-SP"
		}
		return "Skylake-SP/Cascade Lake-SP"
	case 0x8e, 0x9e:
		return "Kaby Lake/Coffee Lake"
	case 0xa5, 0xa6:
		return "Comet Lake"
	case 0x6a, 0x6c:
		return "Ice Lake-SP"
	case 0x7d, 0x7e:
		return "Ice Lake"
	case 0x8c, 0x8d:
		return "Tiger Lake"
	case 0xa7:
		return "Rocket Lake"
	case 0x97, 0x9a:
		return "Alder Lake"
	case 0xb7, 0xba, 0xbf:
		return "Raptor Lake"
	case 0xaa, 0xac:
		return "Meteor Lake"
	case 0x8f:
		return "Sapphire Rapids"
	case 0xcf:
		return "Emerald Rapids"
	case 0xad, 0xae:
		return "Granite Rapids"
	case 0xaf:
		return "Sierra Forest"
	}
	return ""
}

func amdZen(family, model int) string {
	in := func(lo, hi int) bool { return model >= lo && model <= hi }
	switch family {
	case 0x17:
		switch {
		case in(0x00, 0x2f), in(0x50, 0x5f):
			return "Zen 1"
		case in(0x30, 0x4f), in(0x60, 0x7f), in(0x90, 0x91), in(0xa0, 0xaf):
			return "Zen 2"
		}
	case 0x19:
		switch {
		case in(0x00, 0x0f), in(0x20, 0x5f):
			return "Zen 3"
		case in(0x10, 0x1f), in(0x60, 0xaf):
			return "Zen 4"
		}
	case 0x1a:
		switch {
		case in(0x00, 0x2f), in(0x40, 0x4f), in(0x60, 0x7f):
			return "Zen 5"
		case in(0x50, 0x5f), in(0x80, 0xaf), in(0xc0, 0xcf):
			return "Zen 6"
		}
	}
	return ""
}
