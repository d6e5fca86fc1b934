//go:build !linux

package sandbox

import "errors"

// statfs is Linux-only here: elsewhere /tmp's size is omitted.
func statfs(string) (Filesystem, error) { return Filesystem{}, errors.ErrUnsupported }
