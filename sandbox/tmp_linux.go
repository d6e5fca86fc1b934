//go:build linux

package sandbox

import "syscall"

// statfs reports the size of the file system mounted at path (statfs(2)).
func statfs(path string) (Filesystem, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(path, &st); err != nil {
		return Filesystem{}, err
	}
	unit := uint64(st.Frsize)
	if unit == 0 {
		unit = uint64(st.Bsize)
	}
	return Filesystem{Path: path, SizeBytes: st.Blocks * unit, FreeBytes: st.Bavail * unit}, nil
}
