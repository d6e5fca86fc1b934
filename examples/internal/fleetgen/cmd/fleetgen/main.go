// Command fleetgen writes a synthetic fleet log (package fleetgen) to
// stdout and its known answers, as JSON, to stderr.
//
//	go run ./examples/internal/fleetgen/cmd/fleetgen -preset 1m > /tmp/fleet-1m.log
//	go run ./examples/internal/fleetgen/cmd/fleetgen -sandboxes 36 -per-vm 3 -format tail > fleet.log
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/faasprobe/faasprobe/examples/internal/fleetgen"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fleetgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	preset := fs.String("preset", "", `"1m": the million-line benchmark fleet (other flags then only change the format)`)
	seed := fs.Uint64("seed", 1, "random seed")
	sandboxes := fs.Int("sandboxes", 20, "sandboxes")
	perVM := fs.Int("per-vm", 1, "sandboxes per VM")
	span := fs.Duration("span", 2*time.Hour, "sandboxes start within this span")
	minInv := fs.Int("min-invocations", 1, "invocations per sandbox, at least")
	maxInv := fs.Int("max-invocations", 20, "invocations per sandbox, at most")
	proactive := fs.Float64("proactive", 0.3, "share of proactively initialised sandboxes")
	before := fs.Float64("before", 0.05, "share of sandboxes started before the window")
	reports := fs.String("reports", "text", "REPORT records: none, text or json")
	noise := fs.Float64("noise", 0.3, "function's own lines per invocation")
	damaged := fs.Float64("damaged", 0.01, "damaged copies of faasprobe lines per invocation")
	format := fs.String("format", "raw", "raw, tail or events")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg := fleetgen.Config{
		Seed: *seed, Sandboxes: *sandboxes, SandboxesPerVM: *perVM, Span: *span,
		MinInvocations: *minInv, MaxInvocations: *maxInv, Proactive: *proactive, BeforeWindow: *before,
		Noise: *noise, Damaged: *damaged,
	}
	switch *preset {
	case "":
	case "1m":
		cfg = fleetgen.Million()
	default:
		fmt.Fprintf(stderr, "fleetgen: unknown preset %q\n", *preset)
		return 2
	}
	switch *reports {
	case "none":
		cfg.Reports = fleetgen.NoReports
	case "text":
		cfg.Reports = fleetgen.TextReports
	case "json":
		cfg.Reports = fleetgen.JSONReports
	default:
		fmt.Fprintf(stderr, "fleetgen: -reports %q: want none, text or json\n", *reports)
		return 2
	}
	switch *format {
	case "raw":
		cfg.Format = fleetgen.Raw
	case "tail":
		cfg.Format = fleetgen.Tail
	case "events":
		cfg.Format = fleetgen.Events
	default:
		fmt.Fprintf(stderr, "fleetgen: -format %q: want raw, tail or events\n", *format)
		return 2
	}
	truth, err := fleetgen.Generate(stdout, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "fleetgen: %v\n", err)
		return 1
	}
	truth.Lifetimes, truth.SandboxIDs, truth.BootIDs = nil, nil, nil // long lists: left out
	enc := json.NewEncoder(stderr)
	enc.SetIndent("", "  ")
	if err := enc.Encode(truth); err != nil {
		return 1
	}
	return 0
}
