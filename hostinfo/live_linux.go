//go:build linux

package hostinfo

// detectNonLinux is never called on Linux: the live root is read as a tree.
func (d *detector) detectNonLinux() Host { return d.detectTree() }
