package main

import (
	"github.com/faasprobe/faasprobe"

	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/faasprobe/faasprobe/internal/textsafe"
)

// report is the JSON document `faasprobe --json` prints: faasprobe.Facts,
// the schema's Facts (docs/schema.md).
type report = faasprobe.Facts

func runFacts(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("faasprobe", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "print one JSON object")
	root := fs.String("root", "", "read a recorded tree")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(stdout)
			return 0
		}
		fmt.Fprintf(stderr, "faasprobe: %v\n", err)
		usage(stderr)
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "faasprobe: unexpected argument %q\n", fs.Arg(0))
		usage(stderr)
		return 2
	}
	if *root != "" {
		st, err := os.Stat(*root)
		if err != nil || !st.IsDir() {
			fmt.Fprintf(stderr, "faasprobe: --root %s: not a readable directory\n", *root)
			return 2
		}
	}
	rep := collect(*root)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintf(stderr, "faasprobe: %v\n", err)
			return 1
		}
		return 0
	}
	printSummary(stdout, rep)
	return 0
}

// collect runs every detector on the live machine (root "") or a recorded
// tree; failures are already listed in the report's problems.
func collect(root string) report {
	opts := []faasprobe.Option{faasprobe.WithLogger(nil)}
	if root != "" {
		opts = append(opts, faasprobe.WithRoot(root))
	}
	f, _ := faasprobe.Detect(opts...)
	return f
}

func printSummary(w io.Writer, r report) {
	w = textsafe.NewWriter(w)
	p, m := r.Platform, r.Host
	line := func(k, v string) {
		if v == "" {
			v = "unknown"
		}
		fmt.Fprintf(w, "%-14s %s\n", k+":", v)
	}
	plat := strings.TrimSpace(p.Provider + " " + p.Service)
	if p.RunsOn != "" {
		plat += " (on " + p.RunsOn + ")"
	}
	if plat == "" {
		plat = "none detected"
	}
	line("platform", plat)
	if p.FunctionName != "" {
		line("function", fmt.Sprintf("%s %s, %d MB, %s", p.FunctionName, p.FunctionVersion, p.MemoryLimitMB, p.Region))
	}
	cpu := m.CPU.ModelName
	if m.CPU.Count > 0 {
		cpu = fmt.Sprintf("%d × %s", m.CPU.Count, cpu)
	}
	if m.CPU.CacheKB > 0 {
		cpu += fmt.Sprintf(", cache %d KB", m.CPU.CacheKB)
	}
	if m.CPU.Microarchitecture != "" {
		cpu += " (" + m.CPU.Microarchitecture + ")"
	}
	line("cpu", cpu)
	if m.MemoryTotalBytes > 0 {
		mem := fmt.Sprintf("%.2f GiB (%d bytes)", float64(m.MemoryTotalBytes)/(1<<30), m.MemoryTotalBytes)
		if m.MemoryAvailableBytes > 0 {
			mem += fmt.Sprintf(", %.2f GiB available", float64(m.MemoryAvailableBytes)/(1<<30))
		}
		line("memory", mem)
	} else {
		line("memory", "")
	}
	line("kernel", m.Kernel.Release)
	line("host name", m.Name)
	line("boot id", m.BootID)
	line("machine id", m.ID)
	line("hypervisor", string(m.Hypervisor.Kind))
	for _, e := range m.Hypervisor.Evidence {
		fmt.Fprintf(w, "%-14s   - %s\n", "", e)
	}
	cont := "no"
	if m.Container.Detected {
		cont = "yes: " + strings.Join(m.Container.Evidence, "; ")
	}
	line("container", cont)
	line("net drivers", strings.Join(m.NetDrivers, ", "))
	inst := m.Instance
	guess := strings.Join(inst.TypeCandidates, ", ")
	if guess == "" {
		guess = strings.Join(inst.FamilyCandidates, ", ")
		if guess != "" {
			guess = "family " + guess
		}
	}
	if guess == "" {
		guess = "unknown"
	}
	line("instance", guess+" (confidence "+string(inst.Confidence)+")")
	if len(inst.HostCPUCandidates) > 0 {
		line("host cpu", strings.Join(inst.HostCPUCandidates, ", "))
	}
	for _, b := range inst.Basis {
		fmt.Fprintf(w, "%-14s   - %s\n", "", b)
	}
	sb := r.Sandbox
	user := sb.User
	if user == "" {
		user = "unknown"
	}
	line("user", fmt.Sprintf("%s (uid %d)", user, sb.UID))
	line("sandbox id", fmt.Sprintf("%s (%s, from %s)", sb.ID, sb.IDScope, sb.IDSource))
	line("isolation", string(sb.Isolation))
	ct := sb.CoTenants
	if ct.PerVM > 0 {
		line("co-tenants", fmt.Sprintf("%d per VM (confidence %s): %s", ct.PerVM, ct.Confidence, ct.Basis))
	} else {
		line("co-tenants", fmt.Sprintf("unknown (confidence %s): %s", ct.Confidence, ct.Basis))
	}
	if len(r.Problems) > 0 {
		fmt.Fprintf(w, "problems:\n")
		for _, pr := range r.Problems {
			fmt.Fprintf(w, "  - %s: %s\n", pr.Source, pr.Error)
		}
	}
}
