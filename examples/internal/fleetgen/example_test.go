package fleetgen_test

import (
	"fmt"
	"io"

	"github.com/faasprobe/faasprobe/examples/internal/fleetgen"
)

// Example writes a small fleet of the Xen era (four sandboxes per VM) and
// prints what the analysis must find in it.
func Example() {
	truth, err := fleetgen.Generate(io.Discard, fleetgen.Config{Seed: 1, Sandboxes: 12, SandboxesPerVM: 4, Proactive: 0.25})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d sandboxes on %d VMs, %d invocations, %d cold, %d proactive inits\n",
		truth.Sandboxes, truth.VMs, truth.Invocations, truth.Cold, truth.ProactiveInit)
	fmt.Println("sandboxes per VM:", truth.SandboxesPerVM)
	// Output:
	// 12 sandboxes on 3 VMs, 139 invocations, 9 cold, 3 proactive inits
	// sandboxes per VM: [4 4 4]
}
