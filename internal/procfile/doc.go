// Package procfile parses the kernel's text files under /proc and /sys:
// one source file per kernel file, named after it, each a pure function
// over the bytes a caller has read (through internal/sysroot, which keeps
// reads inside the root and caps their size). Every package that reads one
// of these files parses it here, so two packages cannot disagree about it.
//
//	b, err := root.ReadFile("proc/meminfo")
//	m, err := procfile.ParseMeminfo(b) // m.MemAvailable in bytes
//
// The files and their parsers:
//
//	/proc/stat, /proc/meminfo, /proc/uptime  ParseStat (ParseBootTime), ParseMeminfo, ParseUptime
//	/proc/cpuinfo, /proc/version             ParseCPUInfo, ParseVersion
//	/proc/<pid>/stat, limits, sessionid      ParseProcStat, ParseLimits, ParseSessionID
//	/proc/sys/kernel/random/boot_id          ParseBootID
//	/proc/sys/kernel/hostname                ParseHostname
//	/etc/machine-id                          ParseMachineID
//	any one-line text file                   ParseLine
//
// Numbers are finite and bounded, durations exact (no float on the way),
// strings are copied out of the input (the caller may reuse its buffer).
// Mount and cgroup membership files are parsed by internal/cgroupfs.
//
// Errors: a parser returns a zero value and an error naming the offending
// line or field, quoted through internal/excerpt (short, control
// characters escaped). The error has no package prefix and no file name:
// the caller names the file ("hostinfo: proc/stat: parse: no btime line").
// Nothing panics, and every parser is linear in its input.
//
// prometheus/procfs parses most of these files too; it is the oracle of
// this package's differential fuzz tests, never imported by it (its
// package init alone costs more than a cold start can spare).
package procfile
