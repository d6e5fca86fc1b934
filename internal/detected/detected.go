// Package detected is the plumbing between faasprobe's public packages that
// is no part of their API: what hostinfo read that sandbox reuses, and
// sandbox's id without host facts for warmer. Each function is defined, with
// its body, in the package that owns the data (hostinfo, sandbox) and
// reached here by go:linkname, so that no exported field or function of
// those packages carries it and no state is set up at start.
//
// Only sandbox and warmer import this package; both link sandbox and
// hostinfo, which define the functions.
package detected

import (
	_ "unsafe" // go:linkname

	"github.com/faasprobe/faasprobe/hostinfo"
)

// Cgroup is proc/self/cgroup as the hostinfo.Detect that made h read it; ""
// when absent, unreadable, or h was not made by Detect (then read it).
//
//go:linkname Cgroup github.com/faasprobe/faasprobe/hostinfo.cgroupText
func Cgroup(h hostinfo.Host) string

// SandboxID is sandbox.Detect's ID and IDScope on the live machine, without
// running hostinfo.Detect.
//
//go:linkname SandboxID github.com/faasprobe/faasprobe/sandbox.detectID
func SandboxID() (id, scope string)
