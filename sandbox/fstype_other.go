//go:build !linux

package sandbox

import "errors"

// fsType: the cgroup layout is Linux's; elsewhere mountinfo (absent) rules.
func fsType(string) (int64, error) { return 0, errors.ErrUnsupported }
