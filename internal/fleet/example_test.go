package fleet_test

import (
	"fmt"
	"os"
	"time"

	"github.com/faasprobe/faasprobe/internal/fleet"
)

// Example analyses the lines of examples/hello run as three sandboxes
// under the Runtime Interface Emulator (testdata/hello-rie.log).
func Example() {
	f, err := os.Open("testdata/hello-rie.log")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	a := fleet.New(fleet.WithBin(time.Minute))
	if err := a.Read("hello-rie.log", f, 0); err != nil {
		fmt.Println(err)
		return
	}
	res := a.Result()
	fmt.Printf("%d sandboxes on %d VM, %d of %d invocations cold\n", res.Totals.Sandboxes, res.Totals.VMs, res.Cold.Cold, res.Cold.Invocations)
	fmt.Printf("REPORT records: %d, %d with an Init Duration\n", res.Reports.Count, res.Reports.WithInit)
	fmt.Printf("skipped: %d START/END lines\n", res.Kinds["lambda_platform"])
	// Output:
	// 3 sandboxes on 1 VM, 3 of 8 invocations cold
	// REPORT records: 8, 3 with an Init Duration
	// skipped: 16 START/END lines
}
