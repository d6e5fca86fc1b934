package hostinfo

import (
	"fmt"
	"strings"

	"github.com/faasprobe/faasprobe/internal/platformenv"
)

// detectPlatform decides the platform from environment variables through
// the one decoder (internal/platformenv: an ordered rule table; names only
// go into the evidence, never values). It returns the problems it found in
// values (e.g. a memory size that is not a number).
func detectPlatform(getenv func(string) string) (Platform, []Problem) {
	e := platformenv.Decode(getenv)
	p := Platform{
		Provider: e.Provider, Service: e.Service, RunsOn: e.RunsOn,
		Region: e.Region, FunctionName: e.FunctionName, FunctionVersion: e.FunctionVersion,
		MemoryLimitMB: e.MemoryMB, Runtime: e.Runtime, InitializationType: e.InitType,
		LaunchType: e.LaunchType, ExecutionEnvironment: e.ExecutionEnvironment,
		Evidence: e.Evidence,
	}
	var probs []Problem
	for _, pr := range e.Problems {
		probs = append(probs, Problem{Source: pr.Source, Error: fmt.Sprintf("hostinfo: %s: %v", pr.Source, pr.Err)})
	}
	return p, probs
}

// refineRule is one row of the refinement table: machine facts that
// settle what the environment left open or ambiguous.
type refineRule struct {
	Name                 string
	Match                func(p Platform, m Machine) bool
	Provider, Service    string
	ExecutionEnvironment string // set when the machine shows it
	Why                  string // the evidence line
}

// refineRules is tried in order; the first that matches decides.
var refineRules = [...]refineRule{
	// Cloud Run's first generation execution environment is gVisor (Cloud
	// Run docs, "Execution environments"): the files show which one it is.
	{"knative-on-gvisor-is-cloud-run-gen1",
		func(p Platform, m Machine) bool {
			return p.Provider == "knative" && m.Hypervisor.Kind == HypervisorGVisor
		},
		"gcp", "cloud_run", "gen1", "DMI/gVisor: Google machine"},
	{"knative-on-google-is-cloud-run",
		func(p Platform, m Machine) bool { return p.Provider == "knative" && googleMachine(m) },
		"gcp", "cloud_run", "", "DMI/gVisor: Google machine"},
	{"nitro-is-ec2",
		func(p Platform, m Machine) bool { return p.Provider == "" && m.Hypervisor.Kind == HypervisorNitro },
		"aws", "ec2", "", "DMI Amazon EC2"},
	{"amazon-bios-is-ec2",
		func(p Platform, m Machine) bool {
			return p.Provider == "" && (m.DMI.SysVendor == "Amazon EC2" || strings.HasPrefix(m.DMI.BIOSVersion, "4.2.amazon") || strings.HasSuffix(m.DMI.BIOSVersion, ".amazon"))
		},
		"aws", "ec2", "", "DMI Amazon BIOS/vendor"},
	{"google-is-compute-engine",
		func(p Platform, m Machine) bool { return p.Provider == "" && googleMachine(m) },
		"gcp", "compute_engine", "", "DMI Google Compute Engine"},
	{"azure-asset-tag-is-vm",
		func(p Platform, m Machine) bool { return p.Provider == "" && m.DMI.ChassisAssetTag == azureAssetTag },
		"azure", "vm", "", "DMI Azure chassis asset tag"},
}

func googleMachine(m Machine) bool {
	return m.DMI.ProductName == "Google Compute Engine" || m.DMI.SysVendor == "Google"
}

// refinePlatform uses machine facts where the environment is silent or
// ambiguous (refineRules): EC2 is recognised from DMI alone, and Knative
// variables on a Google machine are Cloud Run.
func refinePlatform(p *Platform, m Machine) {
	for _, r := range refineRules {
		if r.Match(*p, m) {
			p.Provider, p.Service = r.Provider, r.Service
			if r.ExecutionEnvironment != "" {
				p.ExecutionEnvironment = r.ExecutionEnvironment
			}
			p.Evidence = append(p.Evidence, r.Why)
			return
		}
	}
}
