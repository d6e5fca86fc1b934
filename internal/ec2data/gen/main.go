// Command gen writes internal/ec2data/tables.go from the CSV copies in
// internal/ec2data/source. Run it through `go generate ./internal/ec2data`
// after changing a CSV; gen's own test fails when tables.go and the CSVs
// disagree.
//
// Besides copying, it checks the data and refuses to write a table that
// contradicts itself: every observed instance's CPU must be a row of the CPU
// table that lists the instance's family; the family count must match the
// unique_or_shared column; and a Firecracker-masked brand's families must
// be exactly the union of the families of the real CPUs it can stand for.
package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"go/format"
	"log"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

const (
	cpuFile      = "ec2_cpu_models.csv"
	instanceFile = "ec2_instances_observed.csv"
)

func main() {
	src := flag.String("src", "source", "directory holding "+cpuFile+" and "+instanceFile)
	out := flag.String("out", "tables.go", "file to write")
	flag.Parse()
	code, err := generateFromDir(*src)
	if err != nil {
		log.Fatalf("gen: %v", err)
	}
	if err := os.WriteFile(*out, code, 0o644); err != nil {
		log.Fatalf("gen: %v", err)
	}
}

// generateFromDir reads both CSVs from dir and returns the Go source.
func generateFromDir(dir string) ([]byte, error) {
	cpus, err := os.ReadFile(filepath.Join(dir, cpuFile))
	if err != nil {
		return nil, err
	}
	insts, err := os.ReadFile(filepath.Join(dir, instanceFile))
	if err != nil {
		return nil, err
	}
	return generate(cpus, insts)
}

type cpuRow struct {
	line          int
	arch          string
	name          string
	names         []string
	implementer   uint16
	part          uint16
	vendor        string
	masked        bool
	microarch     string
	graviton      int
	cacheKB       int
	families      []string
	hosts         []int // indexes of rows (masked rows only)
	lo, hi        int
	instanceCount int
}

type instRow struct {
	line       int
	typ        string
	family     string
	vendor     string
	model      string
	cacheKB    int
	vcpus      int
	mhz        int
	memMB      int
	observedOn string
	cpu        int // index into the cpu rows
}

var (
	armPartRE  = regexp.MustCompile(`^CPU implementer (0x[0-9a-fA-F]+) / CPU part (0x[0-9a-fA-F]+)$`)
	gravitonRE = regexp.MustCompile(`Graviton(\d+)`)
	sharedRE   = regexp.MustCompile(`^shared\((\d+)\)$`)
	typeRE     = regexp.MustCompile(`^[a-z][a-z0-9-]*\.[a-z0-9-]+$`)
)

// generate turns the two CSVs into the Go source of tables.go.
func generate(cpuCSV, instCSV []byte) ([]byte, error) {
	cpus, err := parseCPUs(cpuCSV)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cpuFile, err)
	}
	insts, err := parseInstances(instCSV, cpus)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", instanceFile, err)
	}
	if err := fillCaches(cpus, insts); err != nil {
		return nil, err
	}
	if err := resolveHosts(cpus); err != nil {
		return nil, fmt.Errorf("%s: %w", cpuFile, err)
	}

	// Instances grouped by CPU row (source order), then by type, so each
	// CPU row owns one contiguous range.
	slices.SortStableFunc(insts, func(a, b instRow) int {
		if a.cpu != b.cpu {
			return a.cpu - b.cpu
		}
		return strings.Compare(a.typ, b.typ)
	})
	for i := range cpus {
		cpus[i].lo, cpus[i].hi = -1, -1
	}
	for i, in := range insts {
		c := &cpus[in.cpu]
		if c.lo < 0 {
			c.lo = i
		}
		c.hi = i + 1
	}
	for i := range cpus {
		if cpus[i].lo < 0 {
			cpus[i].lo, cpus[i].hi = 0, 0
		}
	}
	byType := make([]int, len(insts))
	for i := range byType {
		byType[i] = i
	}
	slices.SortFunc(byType, func(a, b int) int { return strings.Compare(insts[a].typ, insts[b].typ) })
	for i := 1; i < len(byType); i++ {
		if insts[byType[i]].typ == insts[byType[i-1]].typ {
			return nil, fmt.Errorf("%s: instance type %q appears twice", instanceFile, insts[byType[i]].typ)
		}
	}
	if len(insts) > 65535 {
		return nil, fmt.Errorf("%s: %d rows do not fit the uint16 index", instanceFile, len(insts))
	}
	total := 0
	for _, in := range insts {
		if len(in.typ) > math.MaxUint8 {
			return nil, fmt.Errorf("%s line %d: instance type %q longer than 255 bytes", instanceFile, in.line, in.typ)
		}
		total += len(in.typ)
	}
	if total > math.MaxUint16 {
		return nil, fmt.Errorf("%s: the instance types take %d bytes, over the uint16 offset", instanceFile, total)
	}
	for _, col := range []func(instRow) string{
		func(in instRow) string { return in.vendor },
		func(in instRow) string { return in.model },
		func(in instRow) string { return in.observedOn },
	} {
		if n := len(stringTable(insts, col)); n > 256 {
			return nil, fmt.Errorf("%s: %d distinct values in one column do not fit the uint8 index", instanceFile, n)
		}
	}
	return render(cpus, insts, byType)
}

func readCSV(data []byte, header []string) ([][]string, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = len(header)
	recs, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 || !slices.Equal(recs[0], header) {
		return nil, fmt.Errorf("header is not %q", strings.Join(header, ","))
	}
	return recs[1:], nil
}

func parseCPUs(data []byte) ([]cpuRow, error) {
	recs, err := readCSV(data, []string{"arch", "cpuinfo_model_or_part", "vendor", "microarchitecture", "ec2_families", "unique_or_shared", "source"})
	if err != nil {
		return nil, err
	}
	var rows []cpuRow
	for i, rec := range recs {
		line := i + 2
		row := cpuRow{line: line, arch: rec[0]}
		row.vendor, _, _ = strings.Cut(rec[2], " (")
		row.vendor = strings.TrimSpace(row.vendor)
		row.masked = strings.Contains(rec[2], "Firecracker-normalized")
		row.families = strings.Fields(rec[4])
		slices.Sort(row.families)
		if len(row.families) == 0 || len(slices.Compact(slices.Clone(row.families))) != len(row.families) {
			return nil, fmt.Errorf("line %d: families %q empty or repeated", line, rec[4])
		}
		want := 0
		if rec[5] == "unique" {
			want = 1
		} else if m := sharedRE.FindStringSubmatch(rec[5]); m != nil {
			want, _ = strconv.Atoi(m[1])
		}
		if want != len(row.families) {
			return nil, fmt.Errorf("line %d: unique_or_shared %q but %d families", line, rec[5], len(row.families))
		}
		switch row.arch {
		case "x86_64":
			for n := range strings.SplitSeq(rec[1], "|") {
				n = strings.TrimSpace(n)
				if n == "" {
					return nil, fmt.Errorf("line %d: empty model name in %q", line, rec[1])
				}
				row.names = append(row.names, n)
			}
			row.name = row.names[0]
			if !row.masked {
				row.microarch = shortMicroarch(rec[3])
				if row.microarch == "" {
					return nil, fmt.Errorf("line %d: no microarchitecture name in %q", line, rec[3])
				}
			}
		case "arm64":
			m := armPartRE.FindStringSubmatch(rec[1])
			if m == nil {
				return nil, fmt.Errorf("line %d: arm64 key %q is not \"CPU implementer 0x.. / CPU part 0x...\"", line, rec[1])
			}
			impl, err1 := strconv.ParseUint(m[1][2:], 16, 16)
			part, err2 := strconv.ParseUint(m[2][2:], 16, 16)
			if err1 != nil || err2 != nil {
				return nil, fmt.Errorf("line %d: bad hex in %q", line, rec[1])
			}
			row.implementer, row.part = uint16(impl), uint16(part)
			core, _, _ := strings.Cut(rec[3], " (")
			core = strings.TrimPrefix(strings.TrimSpace(core), "Arm ")
			row.microarch = strings.ReplaceAll(core, " ", "-") // "Neoverse N1" → "Neoverse-N1", as lscpu
			switch g := gravitonRE.FindStringSubmatch(rec[3]); {
			case g != nil:
				row.graviton, _ = strconv.Atoi(g[1])
			case strings.Contains(rec[3], "Graviton, 1st gen"):
				row.graviton = 1
			default:
				return nil, fmt.Errorf("line %d: no Graviton generation in %q", line, rec[3])
			}
			row.name = "AWS Graviton" + strconv.Itoa(row.graviton)
		default:
			return nil, fmt.Errorf("line %d: arch %q", line, row.arch)
		}
		rows = append(rows, row)
	}
	// Names must be unique across rows, or lookups would depend on order.
	seen := map[string]int{}
	for _, r := range rows {
		for _, n := range r.names {
			k := strings.ToLower(n)
			if prev, dup := seen[k]; dup {
				return nil, fmt.Errorf("line %d: model %q already on line %d", r.line, n, prev)
			}
			seen[k] = r.line
		}
	}
	return rows, nil
}

// shortMicroarch takes the name at the head of the microarchitecture
// column: "Haswell-EP (fam 6 …)" → "Haswell-EP", "Zen 3 'Milan' (…)" →
// "Zen 3".
func shortMicroarch(s string) string {
	if i := strings.IndexAny(s, "(;'"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

func parseInstances(data []byte, cpus []cpuRow) ([]instRow, error) {
	recs, err := readCSV(data, []string{"instance_type", "cpu_vendor", "cpuinfo_model_name", "cache_kb", "vcpus", "cpu_mhz", "os_mem_total_mb", "observed_on"})
	if err != nil {
		return nil, err
	}
	var rows []instRow
	for i, rec := range recs {
		line := i + 2
		r := instRow{line: line, typ: rec[0], vendor: rec[1], model: rec[2], observedOn: rec[7], cpu: -1}
		if !typeRE.MatchString(r.typ) {
			return nil, fmt.Errorf("line %d: instance type %q", line, r.typ)
		}
		r.family, _, _ = strings.Cut(r.typ, ".")
		var errs []error
		r.cacheKB, err = atoiOpt(rec[3])
		errs = append(errs, err)
		r.vcpus, err = strconv.Atoi(rec[4])
		errs = append(errs, err)
		r.mhz, err = atoiOpt(rec[5])
		errs = append(errs, err)
		r.memMB, err = strconv.Atoi(rec[6])
		errs = append(errs, err)
		if err := errors.Join(errs...); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		if r.vcpus <= 0 || r.memMB <= 0 {
			return nil, fmt.Errorf("line %d: vcpus %d, memory %d MB", line, r.vcpus, r.memMB)
		}
		// Instance packs these into uint16 and uint32 fields.
		if r.vcpus > math.MaxUint16 || r.mhz < 0 || r.mhz > math.MaxUint16 || int64(r.memMB) > math.MaxUint32 || r.cacheKB < 0 || int64(r.cacheKB) > math.MaxUint32 {
			return nil, fmt.Errorf("line %d: vcpus %d, MHz %d, memory %d MB or cache %d KB out of range", line, r.vcpus, r.mhz, r.memMB, r.cacheKB)
		}
		if r.model != "" {
			for ci, c := range cpus {
				for _, n := range c.names {
					if strings.EqualFold(n, r.model) {
						r.cpu = ci
					}
				}
			}
			if r.cpu < 0 {
				return nil, fmt.Errorf("line %d: model %q is not in %s", line, r.model, cpuFile)
			}
			if cpus[r.cpu].masked {
				return nil, fmt.Errorf("line %d: model %q is a masked brand", line, r.model)
			}
		} else {
			for ci, c := range cpus {
				if c.arch == "arm64" && slices.Contains(c.families, r.family) {
					if r.cpu >= 0 {
						return nil, fmt.Errorf("line %d: family %s on two arm64 rows", line, r.family)
					}
					r.cpu = ci
				}
			}
			if r.cpu < 0 {
				return nil, fmt.Errorf("line %d: no CPU model and family %s is on no arm64 row", line, r.family)
			}
		}
		if !slices.Contains(cpus[r.cpu].families, r.family) {
			return nil, fmt.Errorf("line %d: %s runs %q but %s does not list family %s for it", line, r.typ, r.model, cpuFile, r.family)
		}
		rows = append(rows, r)
	}
	return rows, nil
}

func atoiOpt(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	return strconv.Atoi(s)
}

// fillCaches sets each real x86 CPU's cache size from the instances that
// run it; they must agree.
func fillCaches(cpus []cpuRow, insts []instRow) error {
	for _, in := range insts {
		c := &cpus[in.cpu]
		c.instanceCount++
		if c.arch != "x86_64" || in.cacheKB == 0 {
			continue
		}
		if c.cacheKB != 0 && c.cacheKB != in.cacheKB {
			return fmt.Errorf("%s line %d: %q has cache %d KB, elsewhere %d KB", instanceFile, in.line, in.model, in.cacheKB, c.cacheKB)
		}
		c.cacheKB = in.cacheKB
	}
	return nil
}

// resolveHosts finds, for each masked brand, the real CPUs Firecracker
// would turn into it: Intel keeps the host brand's " @ <GHz>" suffix
// (none if the host brand has none), AMD shows "AMD EPYC" for all.
func resolveHosts(cpus []cpuRow) error {
	for i := range cpus {
		m := &cpus[i]
		if !m.masked {
			continue
		}
		if len(m.names) != 1 {
			return fmt.Errorf("line %d: masked brand with several spellings", m.line)
		}
		var match func(c cpuRow) bool
		switch brand := m.names[0]; {
		case brand == "AMD EPYC":
			match = func(c cpuRow) bool { return c.vendor == "AuthenticAMD" }
		case brand == "Intel(R) Xeon(R) Processor":
			match = func(c cpuRow) bool { return c.vendor == "GenuineIntel" && !strings.Contains(c.names[0], " @ ") }
		case strings.HasPrefix(brand, "Intel(R) Xeon(R) Processor @ "):
			suffix := strings.TrimPrefix(brand, "Intel(R) Xeon(R) Processor")
			match = func(c cpuRow) bool { return c.vendor == "GenuineIntel" && strings.HasSuffix(c.names[0], suffix) }
		default:
			return fmt.Errorf("line %d: masked brand %q has no known host rule", m.line, brand)
		}
		var union []string
		for j, c := range cpus {
			if c.arch != "x86_64" || c.masked || !match(c) {
				continue
			}
			if c.cacheKB == 0 {
				return fmt.Errorf("line %d: host %q of %q has no observed cache size", c.line, c.name, m.name)
			}
			m.hosts = append(m.hosts, j)
			union = append(union, c.families...)
		}
		slices.Sort(union)
		union = slices.Compact(union)
		if !slices.Equal(union, m.families) {
			return fmt.Errorf("line %d: %q lists families %v, its hosts use %v", m.line, m.name, m.families, union)
		}
		slices.SortStableFunc(m.hosts, func(a, b int) int { return strings.Compare(cpus[a].name, cpus[b].name) })
	}
	return nil
}

func render(cpus []cpuRow, insts []instRow, byType []int) ([]byte, error) {
	var b bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("// Code generated by internal/ec2data/gen from source/%s and source/%s; DO NOT EDIT.\n\n", cpuFile, instanceFile)
	p("package ec2data\n\n")
	p("// cpuModels: one entry per row of source/%s, in source order.\n", cpuFile)
	p("var cpuModels = [...]CPUModel{\n")
	for _, c := range cpus {
		p("{\n")
		p("Arch: %q,\n", c.arch)
		p("Name: %q,\n", c.name)
		if len(c.names) > 0 {
			p("Names: %s,\n", stringSlice(c.names))
		}
		if c.arch == "arm64" {
			p("ImplementerID: 0x%02x,\nPartID: 0x%03x,\n", c.implementer, c.part)
		}
		p("Vendor: %q,\n", c.vendor)
		if c.masked {
			p("Masked: true,\n")
		}
		if c.microarch != "" {
			p("Microarchitecture: %q,\n", c.microarch)
		}
		if c.graviton != 0 {
			p("Graviton: %d,\n", c.graviton)
		}
		if c.cacheKB != 0 {
			p("CacheKB: %d,\n", c.cacheKB)
		}
		p("Families: %s,\n", stringSlice(c.families))
		if len(c.hosts) > 0 {
			p("Hosts: []Host{\n")
			for _, h := range c.hosts {
				hc := cpus[h]
				p("{Model: %q, CacheKB: %d, Microarchitecture: %q, Families: %s},\n", hc.name, hc.cacheKB, hc.microarch, stringSlice(hc.families))
			}
			p("},\n")
		}
		if c.hi > c.lo {
			p("lo: %d,\nhi: %d,\n", c.lo, c.hi)
		}
		p("},\n")
	}
	p("}\n\n")
	vendors := stringTable(insts, func(in instRow) string { return in.vendor })
	models := stringTable(insts, func(in instRow) string { return in.model })
	dates := stringTable(insts, func(in instRow) string { return in.observedOn })
	for _, t := range []struct {
		name, col string
		ss        []string
	}{{"instanceVendors", "cpu_vendor", vendors}, {"instanceModels", "cpuinfo_model_name", models}, {"observedDates", "observed_on", dates}} {
		p("// %s: the distinct values of column %s of source/%s, sorted, for Instance's uint8 index; entry 0 is \"\".\n", t.name, t.col, instanceFile)
		p("var %s = [...]string{\n", t.name)
		for _, s := range t.ss {
			p("%q,\n", s)
		}
		p("}\n\n")
	}
	p("// instanceTypes: the instance_type of every row of instances, in table order.\n")
	p("const instanceTypes = \"\"")
	for _, in := range insts {
		p(" +\n%q", in.typ)
	}
	p("\n\n")
	p("// instances: one entry per row of source/%s, grouped by CPU row, then sorted by type.\n", instanceFile)
	p("var instances = [...]Instance{\n")
	off := 0
	for _, in := range insts {
		p("{typeOff: %d, typeLen: %d, memMB: %d, cacheKB: %d, vcpus: %d, mhz: %d, vendor: %d, model: %d, observedOn: %d}, // %s\n",
			off, len(in.typ), in.memMB, in.cacheKB, in.vcpus, in.mhz,
			slices.Index(vendors, in.vendor), slices.Index(models, in.model), slices.Index(dates, in.observedOn), in.typ)
		off += len(in.typ)
	}
	p("}\n\n")
	p("// typeIndex: indexes into instances, sorted by Type (for binary search).\n")
	p("var typeIndex = [...]uint16{")
	for i, x := range byType {
		if i%16 == 0 {
			p("\n")
		}
		p("%d, ", x)
	}
	p("\n}\n")
	return format.Source(b.Bytes())
}

// stringTable returns the distinct values of one column, sorted, with ""
// first (present or not), for the uint8 indexes of Instance.
func stringTable(insts []instRow, col func(instRow) string) []string {
	ss := []string{""}
	for _, in := range insts {
		ss = append(ss, col(in))
	}
	slices.Sort(ss)
	return slices.Compact(ss)
}

func stringSlice(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return "[]string{" + strings.Join(q, ", ") + "}"
}
