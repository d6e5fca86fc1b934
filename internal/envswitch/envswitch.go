// Package envswitch decodes faasprobe's on/off environment switches
// (FAASPROBE_METADATA, FAASPROBE_SHUTDOWN_STATS, FAASPROBE_VM_STATS): one
// decoder for the library and the Lambda extension, so that both read a
// value the same way.
package envswitch

import (
	"strconv"
	"strings"
)

// Bool reads switch name through lookup. Unset or empty is off; a value
// strconv.ParseBool rejects (after trimming white space) is off and bad is
// true, so that the caller can name the variable in a problem (never its
// value). A nil lookup is off.
func Bool(lookup func(string) (string, bool), name string) (on, bad bool) {
	if lookup == nil {
		return false, false
	}
	v, _ := lookup(name)
	if v == "" {
		return false, false
	}
	b, err := strconv.ParseBool(strings.TrimSpace(v))
	if err != nil {
		return false, true
	}
	return b, false
}

// Problem is the problem text for a value Bool called bad.
const Problem = "not a boolean (want 1, true, 0, false…); taken as off"
