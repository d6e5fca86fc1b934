// Command faasprobe prints the facts of the machine it runs on: platform,
// CPU, memory, kernel, hypervisor, container, network drivers, the EC2
// instance it most likely runs on, and the sandbox.
//
//	faasprobe              readable summary
//	faasprobe --json       one JSON object (schema: package hostinfo, sandbox)
//	faasprobe --root DIR   read a recorded tree instead of this machine
//	faasprobe record DIR   record this machine as a tree that --root reads
//	faasprobe warm-plan    schedule, IaC snippets and cost of keep-warm pings
//	faasprobe fleet FILE…  analyse a fleet's logs (cold starts, sandboxes, VMs, hops)
//
// It exits 0 even when some facts are missing (they are listed as
// problems) and 2 for bad usage.
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is main without the process: tests call it directly.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "help", "-h", "-help", "--help":
			usage(stdout)
			return 0
		case "record":
			return runRecord(args[1:], stdout, stderr)
		case "warm-plan":
			return runWarmPlan(args[1:], stdout, stderr)
		case "fleet":
			return runFleet(args[1:], os.Stdin, stdout, stderr)
		}
	}
	return runFacts(args, stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprint(w, `faasprobe: what machine is under this function?

Usage:
  faasprobe [--json] [--root DIR]   print this machine's facts (or a recorded tree's)
  faasprobe record [--root SRC] DIR record this machine (or SRC) as a tree in DIR (credentials redacted)
  faasprobe warm-plan --target FN=N ...   keep-warm schedule, SAM/Terraform snippets and monthly cost
  faasprobe fleet [--json] [--svg F] FILE...  analyse a fleet's logs (or stdin): cold starts, lifetimes, VMs

Flags:
  --json       print one JSON object instead of the summary
  --root DIR   read DIR/proc, DIR/sys, DIR/etc and DIR/env instead of this machine

Exit status: 0 when facts were printed (even partial: problems are listed), 2 for bad usage.
`)
}
