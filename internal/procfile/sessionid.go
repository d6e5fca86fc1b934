package procfile

import (
	"bytes"
	"fmt"

	"github.com/faasprobe/faasprobe/internal/excerpt"
)

// auditSIDUnset is what /proc/<pid>/sessionid holds for a process outside
// any audit session: AUDIT_SID_UNSET, (unsigned int)-1.
const auditSIDUnset = 1<<32 - 1

// ParseSessionID parses /proc/<pid>/sessionid: the audit session id, a
// decimal unsigned 32-bit number. It returns 0 when the process is in no
// session (the kernel writes 4294967295; it never hands out 0).
func ParseSessionID(data []byte) (uint32, error) {
	s := bytes.TrimSuffix(data, []byte{'\n'})
	n, ok := parseDecimal(s, auditSIDUnset)
	if !ok {
		return 0, fmt.Errorf("%q: not an audit session id", excerpt.Clip(s))
	}
	if n == auditSIDUnset {
		return 0, nil
	}
	return uint32(n), nil
}
