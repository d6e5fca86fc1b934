package ec2data

import (
	"sort"
	"strconv"
	"strings"
)

// CPUModel is one row of source/ec2_cpu_models.csv: a CPU as /proc/cpuinfo
// names it on EC2, and the EC2 families that use it. The slices are shared
// with the package's tables: read them, never modify them. The columns no
// lookup uses (the microarchitecture column's notes, the source column)
// stay in the CSV, not in the binary.
type CPUModel struct {
	// Arch is "x86_64" or "arm64" (column arch).
	Arch string
	// Name is the display name: the first cpuinfo spelling on x86_64
	// ("Intel(R) Xeon(R) CPU E5-2666 v3 @ 2.90GHz"), "AWS Graviton<N>" on
	// arm64.
	Name string
	// Names are the /proc/cpuinfo "model name" spellings (column
	// cpuinfo_model_or_part, split on " | "); nil on arm64.
	Names []string
	// ImplementerID and PartID: the arm64 "CPU implementer" and "CPU part"
	// (0x41, 0xd0c); 0 on x86_64.
	ImplementerID uint16
	PartID        uint16
	// Vendor: "GenuineIntel", "AuthenticAMD", "ARM Ltd" (column vendor,
	// without the parenthesised note).
	Vendor string
	// Masked: the name is a brand string Firecracker writes in place of the
	// host's (the vendor column says "Firecracker-normalized brand"). Such a
	// row names no CPU; Hosts lists the CPUs it can stand for.
	Masked bool
	// Microarchitecture: the short name ("Haswell-EP", "Zen 4",
	// "Neoverse-N1") from the microarchitecture column; "" on masked rows.
	Microarchitecture string
	// Graviton: the AWS Graviton generation of an arm64 part; 0 on x86_64.
	Graviton int
	// CacheKB: the "cache size" cpuinfo shows on this CPU, from
	// source/ec2_instances_observed.csv; 0 if unknown (masked and arm64 rows).
	CacheKB int
	// Families: the EC2 families that use this CPU (column ec2_families),
	// sorted.
	Families []string
	// Hosts: on a masked row, the real CPUs of the tables whose brand
	// Firecracker would turn into this one, with the cache size that tells
	// them apart; nil otherwise.
	Hosts []Host

	lo, hi int // this CPU's rows of instances
}

// Host is a real CPU that a Firecracker-masked brand string can stand for.
type Host struct {
	Model             string   // the host's cpuinfo model name
	CacheKB           int      // the host's cpuinfo "cache size", which the guest still sees
	Microarchitecture string   // as CPUModel.Microarchitecture
	Families          []string // EC2 families using this CPU, sorted
}

// Instance is one row of source/ec2_instances_observed.csv: an EC2 instance
// type as measured from inside a running instance. The table has over a
// thousand rows and is linked into every program that runs detection, so a
// row is packed into 20 bytes, read through methods: the type name is a
// slice of one string holding them all, the numbers are sized to the data
// (the generator checks they fit), and the strings repeated across rows
// (vendor, model name, date) are indexes into short tables. The zero
// Instance is a row with every fact unknown.
type Instance struct {
	memMB, cacheKB            uint32
	typeOff                   uint16 // Type is instanceTypes[typeOff:][:typeLen]
	vcpus, mhz                uint16
	typeLen                   uint8
	vendor, model, observedOn uint8 // indexes into instanceVendors, instanceModels, observedDates (entry 0 is "")
}

// Type is the instance type ("c4.large").
func (in Instance) Type() string { return instanceTypes[in.typeOff:][:in.typeLen] }

// Family is the instance family: Type up to the first dot ("c4").
func (in Instance) Family() string {
	f, _, _ := strings.Cut(in.Type(), ".")
	return f
}

// VCPUs is the vCPU count.
func (in Instance) VCPUs() int { return int(in.vcpus) }

// MemMB is the MemTotal the OS reported, in MiB (kB / 1024).
func (in Instance) MemMB() int { return int(in.memMB) }

// MHz is cpuinfo's cpu MHz, rounded; 0 if not recorded.
func (in Instance) MHz() int { return int(in.mhz) }

// CacheKB is cpuinfo's cache size; 0 if not recorded.
func (in Instance) CacheKB() int { return int(in.cacheKB) }

// Vendor is the cpuinfo vendor_id; "" where the row has no CPU details
// (arm64).
func (in Instance) Vendor() string { return instanceVendors[in.vendor] }

// Model is the cpuinfo model name as observed (one of the CPU row's Names,
// up to case and spacing); "" where the row has no CPU details (arm64).
func (in Instance) Model() string { return instanceModels[in.model] }

// ObservedOn is the date of the measurement (YYYY-MM-DD).
func (in Instance) ObservedOn() string { return observedDates[in.observedOn] }

// Instances returns the instance types observed with this CPU (for an
// arm64 part: the types of its families), sorted by type. The slice is
// shared with the package's tables: never modify it. A masked row has none.
func (m CPUModel) Instances() []Instance {
	if m.lo < 0 || m.hi > len(instances) || m.lo >= m.hi {
		return nil
	}
	return instances[m.lo:m.hi:m.hi]
}

// HasFamily reports whether family is one of m.Families.
func (m CPUModel) HasFamily(family string) bool {
	for _, f := range m.Families {
		if f == family {
			return true
		}
	}
	return false
}

// LookupModel finds the x86_64 row whose cpuinfo model name is name. The
// comparison ignores case and treats any run of white space as one space
// (cpuinfo pads some brand strings, and EC2 shows both "Intel(R) Xeon(R)
// Platinum 8559C" and "INTEL(R) XEON(R) PLATINUM 8559C"). Masked brands
// ("AMD EPYC") are found too: check CPUModel.Masked.
func LookupModel(name string) (CPUModel, bool) {
	if name == "" {
		return CPUModel{}, false
	}
	for i := range cpuModels {
		for _, n := range cpuModels[i].Names {
			if n == name {
				return cpuModels[i], true
			}
		}
	}
	// Table names are trimmed with single spaces, so a name can only match
	// one as long as its own collapsed form.
	nl := collapsedLen(name)
	for i := range cpuModels {
		for _, n := range cpuModels[i].Names {
			if len(n) == nl && sameModel(n, name) {
				return cpuModels[i], true
			}
		}
	}
	return CPUModel{}, false
}

// LookupPart finds the arm64 row for a "CPU implementer" and "CPU part"
// pair as cpuinfo prints them ("0x41", "0xd0c"; any case, "0x" optional).
func LookupPart(implementer, part string) (CPUModel, bool) {
	impl, ok1 := parseHex(implementer)
	p, ok2 := parseHex(part)
	if !ok1 || !ok2 {
		return CPUModel{}, false
	}
	for i := range cpuModels {
		if cpuModels[i].Arch == "arm64" && cpuModels[i].ImplementerID == impl && cpuModels[i].PartID == p {
			return cpuModels[i], true
		}
	}
	return CPUModel{}, false
}

// LookupType finds an instance type ("c5.large") in the observed table.
func LookupType(instanceType string) (Instance, bool) {
	i := sort.Search(len(typeIndex), func(i int) bool { return instances[typeIndex[i]].Type() >= instanceType })
	if i < len(typeIndex) && instances[typeIndex[i]].Type() == instanceType {
		return instances[typeIndex[i]], true
	}
	return Instance{}, false
}

// Models returns a copy of the CPU table, in source order.
func Models() []CPUModel {
	out := make([]CPUModel, len(cpuModels))
	copy(out, cpuModels[:])
	return out
}

// AllInstances returns a copy of the instance table, sorted by CPU row then
// type.
func AllInstances() []Instance {
	out := make([]Instance, len(instances))
	copy(out, instances[:])
	return out
}

// parseHex parses "0xd0c", "0XD0C" or "d0c" into a 16-bit value.
func parseHex(s string) (uint16, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		s = s[2:]
	}
	if s == "" || len(s) > 4 {
		return 0, false
	}
	v, err := strconv.ParseUint(s, 16, 16)
	if err != nil {
		return 0, false
	}
	return uint16(v), true
}

// sameModel compares two model names ignoring ASCII case, leading and
// trailing white space, and treating runs of white space as one space. It
// does not allocate.
func sameModel(a, b string) bool {
	a, b = trimSpace(a), trimSpace(b)
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		ca, cb := a[i], b[j]
		if isSpace(ca) != isSpace(cb) {
			return false
		}
		if isSpace(ca) {
			i, j = skipSpace(a, i), skipSpace(b, j)
			continue
		}
		if lower(ca) != lower(cb) {
			return false
		}
		i++
		j++
	}
	return i == len(a) && j == len(b)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' }

// collapsedLen is the length of s trimmed, with each run of white space
// counted as one byte.
func collapsedLen(s string) int {
	s = trimSpace(s)
	n := 0
	for i := 0; i < len(s); i++ {
		if isSpace(s[i]) && i > 0 && isSpace(s[i-1]) {
			continue
		}
		n++
	}
	return n
}

func trimSpace(s string) string {
	i, j := 0, len(s)
	for i < j && isSpace(s[i]) {
		i++
	}
	for j > i && isSpace(s[j-1]) {
		j--
	}
	return s[i:j]
}

func skipSpace(s string, i int) int {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return i
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
