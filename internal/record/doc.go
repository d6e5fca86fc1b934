// Package record records a machine as a tree that faasprobe can read back
// (`faasprobe --root DIR`, hostinfo.WithRoot, sandbox.WithRoot): exactly the
// files faasprobe's readers read (the list is internal/sources), as plain
// files, with the environment's credentials redacted (internal/redact) and a
// note saying when, by which version, and what was detected. It is the
// project's recorder (ship the recorder with the library, as cpuid does).
//
//	t, err := record.Collect(sysroot.Live()) // err: some source could not be read; t is usable
//	err = t.WriteDir("testdata/scenarios/my-platform") // or t.WriteTarGz(w)
//
// # Files read (below the root)
//
// Every source of internal/sources: whole files; the first bytes of
// sys/firmware/acpi/tables/DSDT (16) and sys/firmware/devicetree/base/compatible
// (256); .dockerenv, run/.containerenv and proc/sentry-meminfo for their
// existence (recorded empty); sys/class/dmi/id for its existence;
// sys/class/net/*/device/uevent for every interface; the cgroup limit files
// under the directories proc/self/cgroup and proc/self/mountinfo resolve to,
// found as sandbox finds them. Live-only facts (statfs of /tmp,
// runtime.NumCPU, the device/driver links) are not recordable.
//
// # Environment
//
// An allow-list: only the variables faasprobe's readers consult
// (sources.EnvNames), taken from os.Environ for a live root, the tree's env
// file when re-recording a tree, or WithEnviron; sorted, one KEY=VALUE per
// line, each value through redact.Env (credentials read <REDACTED>).
// Every other variable is dropped, name and value; the note says how many.
// An allowed variable a line cannot hold (a value with a line break) is
// left out and named in the note.
//
// # The tree
//
// Plain files and directories only: no symbolic links, no archive to unpack,
// no ':' in any path (ValidPath), nothing over sysroot.MaxFileSize. A path
// that cannot be written (a cgroup named with ':') is skipped and named in
// the note. The note, NoteFile ("RECORDED"), holds recorded_at (UTC, RFC
// 3339), faasprobe_version, the recorder's GOOS/GOARCH, the source, the
// platform, hypervisor and container hostinfo.Detect saw on the same root
// and environment, the number of files, the names of the redacted
// variables, the caveats every recording has (proc/self/* is the
// recorder's process) and what could not be recorded.
//
// # Writing files
//
// The library packages never write a file. This package does (WriteDir),
// and so it is imported only by cmd/ and examples/ (a test asserts that no
// library package imports it). WriteDir refuses a directory that is not
// empty and writes through os.Root, so no path can leave it. ReadTarGz reads
// an archive back with bounds (10000 entries, 64 MiB, 1 MiB per file; no
// links or devices).
package record
