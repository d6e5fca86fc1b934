//go:build linux

package sandbox

import "syscall"

// fsType returns the statfs(2) f_type of the file system holding path.
func fsType(path string) (int64, error) {
	var st syscall.Statfs_t
	for {
		err := syscall.Statfs(path, &st)
		switch err {
		case nil:
			return int64(st.Type), nil
		case syscall.EINTR:
			continue
		}
		return 0, err
	}
}
