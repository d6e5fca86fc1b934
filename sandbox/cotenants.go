package sandbox

import (
	"fmt"

	"github.com/faasprobe/faasprobe/hostinfo"
)

// estimateCoTenants says how many sandboxes of this size the VM could hold.
//
//   - shared_vm: floor(MemTotal / function memory). Lambda packed sandboxes
//     into a VM by memory and never mixed accounts (Wang et al., USENIX ATC
//     2018): 3857664 kB / 128 MB → 29 on a c4.large. An upper bound, since
//     the VM's own use is not subtracted.
//   - microvm: 1 — the VM is ours alone; the host under it is shared by many
//     microVMs and cannot be seen from inside.
//   - anything else, or a missing input: 0 with confidence "none".
func estimateCoTenants(isolation Isolation, confidence hostinfo.Confidence, memTotalBytes uint64, memoryMB int) CoTenants {
	switch isolation {
	case IsolationSharedVM:
		switch {
		case memTotalBytes == 0:
			return CoTenants{Basis: "shared VM, but MemTotal is unknown", Confidence: hostinfo.ConfidenceNone}
		case memoryMB <= 0:
			return CoTenants{Basis: "shared VM, but the function memory is unknown", Confidence: hostinfo.ConfidenceNone}
		}
		per := memTotalBytes / (uint64(memoryMB) << 20)
		if per == 0 {
			return CoTenants{
				Basis:      fmt.Sprintf("shared VM, but MemTotal %d kB is below the function memory %d MB", memTotalBytes>>10, memoryMB),
				Confidence: hostinfo.ConfidenceNone,
			}
		}
		return CoTenants{
			PerVM: int(per),
			Basis: fmt.Sprintf("floor(MemTotal %d kB / function memory %d MB) = %d: sandboxes of one account were packed into a VM by memory (Wang et al., USENIX ATC 2018); an upper bound",
				memTotalBytes>>10, memoryMB, per),
			Confidence: hostinfo.ConfidenceMedium,
		}
	case IsolationMicroVM:
		return CoTenants{
			PerVM:      1,
			Basis:      "one sandbox per microVM; the host under it is shared by many microVMs and is not observable from inside",
			Confidence: confidence,
		}
	case IsolationGVisor:
		return CoTenants{Basis: "gVisor hides the host: co-tenants are not observable", Confidence: hostinfo.ConfidenceNone}
	case IsolationContainer:
		return CoTenants{Basis: "a container: the host's other tenants are not observable", Confidence: hostinfo.ConfidenceNone}
	case IsolationProcess:
		return CoTenants{Basis: "no sandbox layer: there are no sandboxes to count", Confidence: hostinfo.ConfidenceNone}
	}
	return CoTenants{Basis: "isolation unknown", Confidence: hostinfo.ConfidenceNone}
}
