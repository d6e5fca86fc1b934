// Package sources is the one list of the files faasprobe's readers read
// below a root ("/" or a recorded tree): which package reads which path, and
// how (whole file, first bytes, existence only, a glob over a directory, a
// cgroup file resolved through /proc/self/cgroup and /proc/self/mountinfo).
//
// The recorder (internal/record) records exactly these files, and
// docs/sources.md describes the same list. TestListMatchesReaders parses
// the sources of hostinfo, sandbox and coldstart and fails when a reader
// reads a path this list lacks, or when the list names a path no
// reader reads any more: the list cannot drift from the code.
//
// Nothing here reads a file; Packages and All return fresh slices built from
// literal tables on each call (no package-level state).
package sources
