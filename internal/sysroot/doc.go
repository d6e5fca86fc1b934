// Package sysroot is the one place where faasprobe touches the file system and
// the environment. Every other package reads through a Root, so the same code
// reads the live machine ("/" and os.LookupEnv) or a recorded tree:
//
//	<root>/proc/...   files as under /proc
//	<root>/sys/...    files as under /sys
//	<root>/etc/...    files as under /etc
//	<root>/env        the environment, one KEY=VALUE per line (absent = empty)
//
// Reads are bounded: a file larger than MaxFileSize is an error (ErrTooLarge),
// and files are opened non-blocking so that a FIFO planted in a tree cannot
// hang a caller. Nothing here writes, executes or listens.
package sysroot
