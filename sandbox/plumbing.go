package sandbox

import (
	_ "unsafe" // go:linkname: internal/detected.SandboxID is detectID

	"github.com/faasprobe/faasprobe/hostinfo"
)

// detectID is Detect's ID and IDScope on the live machine without the host
// facts (hostinfo.Detect is not run): package warmer needs only the id. It
// reaches this function as internal/detected.SandboxID.
//
//go:linkname detectID
func detectID() (id, scope string) {
	c := newConfig(nil)
	c.host = &hostinfo.Host{}
	s, _ := detect(c)
	return s.ID, s.IDScope
}
