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
//
// The readers run inside a function's cold start, so on Unix the reads are
// plain system calls (open, read until EOF, close; getdents for a
// directory; lstat for Exists) without the os.File machinery, and
// ReadFileBuf lets a reader parse a run of files through one buffer.
package sysroot
