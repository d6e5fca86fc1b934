package hostinfo

import _ "unsafe" // go:linkname: internal/detected.Cgroup is cgroupText

// cgroupText is proc/self/cgroup as the Detect that made h read it (""
// when absent, unreadable, or h was not made by Detect). Package sandbox,
// given h (sandbox.WithHost), parses it rather than reading the file a
// second time in the same cold start; it reaches this function as
// internal/detected.Cgroup, so that the text is no part of the public API.
//
//go:linkname cgroupText
func cgroupText(h Host) string { return h.Machine.Container.cgroup }
