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
// A recorded tree may come from anyone, so its reads go through os.Root
// (opened once per Root): a path resolves beneath the tree or fails with
// ErrOutsideRoot. A symbolic link that stays inside the tree is followed
// (a tree copied with its /sys links reads as the machine did); one that
// leaves it (absolute, or climbing with "..") is never followed, nor is a
// loop; only regular files are read. Readlink returns a link's text
// without resolving it. The recorder writes no links.
//
// The readers run inside a function's cold start, so on Unix the live reads are
// plain system calls (open, read until EOF, close; getdents for a
// directory; lstat for Exists) without the os.File machinery, and
// ReadFileBuf lets a reader parse a run of files through one buffer.
package sysroot
