//go:build !linux

package sandbox

// getrandom is Linux's system call; elsewhere crypto/rand serves.
func getrandom([]byte) bool { return false }
