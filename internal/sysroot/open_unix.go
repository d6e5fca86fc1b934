//go:build unix

package sysroot

import "syscall"

// openFlags makes open(2) of a FIFO return at once instead of blocking.
const openFlags = syscall.O_NONBLOCK
