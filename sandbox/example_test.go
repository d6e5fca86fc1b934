package sandbox_test

import (
	"fmt"

	"github.com/faasprobe/faasprobe/hostinfo"
	"github.com/faasprobe/faasprobe/sandbox"
)

// Detect on a recorded Xen-era Lambda tree, with the host facts given (the
// 2017 capture: a Xen VM with MemTotal 3857864 kB, a c4.large).
func ExampleDetect() {
	host := hostinfo.Host{Machine: hostinfo.Machine{
		Hypervisor:       hostinfo.Hypervisor{Kind: hostinfo.HypervisorXen},
		MemoryTotalBytes: 3857864 << 10,
	}}
	s, err := sandbox.Detect(sandbox.WithRoot("testdata/example-xen-lambda-2017"), sandbox.WithHost(host))
	if err != nil {
		fmt.Println("problems:", err)
	}
	fmt.Println("id:", s.ID, "from", s.IDSource, "scope", s.IDScope)
	fmt.Println("user:", s.User, s.UID)
	fmt.Println("isolation:", s.Isolation)
	fmt.Println("memory:", s.Limits.MemoryLimitMB, "MB, vCPU", s.Limits.VCPUEntitlement)
	fmt.Println("co-tenants per VM:", s.CoTenants.PerVM, "("+s.CoTenants.Confidence+")")
	// Output:
	// id: d5e2ca93697b4b4f8be80967739e5dbc from AWS_LAMBDA_LOG_STREAM_NAME scope sandbox
	// user: sbx_user1051 496
	// isolation: shared_vm
	// memory: 128 MB, vCPU 0.072
	// co-tenants per VM: 29 (medium)
}
