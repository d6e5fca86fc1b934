//go:build !unix

package sysroot

const openFlags = 0
