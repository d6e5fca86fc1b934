package sandbox

import (
	"errors"
	"fmt"
	"os"
	"runtime"

	"github.com/faasprobe/faasprobe/hostinfo"
	"github.com/faasprobe/faasprobe/internal/cgroupfs"
	"github.com/faasprobe/faasprobe/internal/detected"
	"github.com/faasprobe/faasprobe/internal/procfile"
	"github.com/faasprobe/faasprobe/internal/sysroot"
)

// Detect reads the sandbox afresh and returns what it found. The Sandbox is
// always usable; the error is non-nil only when some source failed (it joins
// one error per failed source, and Sandbox.Problems lists the same). A
// source that is simply absent on this platform is not a failure. Host
// problems are hostinfo's: call hostinfo.Detect and pass WithHost to see
// them.
func Detect(opts ...Option) (Sandbox, error) {
	return detect(newConfig(opts))
}

// problems collects what went wrong, as Problems and as joined errors.
type problems struct {
	list []Problem
	errs []error
}

func (p *problems) add(source string, err error) {
	e := fmt.Errorf("sandbox: %s: %w", source, err)
	p.list = append(p.list, Problem{Source: source, Error: e.Error()})
	p.errs = append(p.errs, e)
}

// guard runs one stage and turns a panic into a problem, so that one bad
// source never costs the others (the parsers are fuzzed; this is the net
// under them).
func (p *problems) guard(stage string, fn func()) {
	defer func() {
		if r := recover(); r != nil {
			p.add(stage, fmt.Errorf("internal error (please report): %v", r))
		}
	}()
	fn()
}

// readOpt reads an optional file: absent → (nil, false) silently; any
// other failure → a problem and (nil, false).
func readOpt(read reader, name string, probs *problems) ([]byte, bool) {
	b, err := read(name)
	switch {
	case err == nil:
		return b, true
	case !sysroot.IsAbsent(err):
		probs.add(name, err)
	}
	return nil, false
}

// root builds the sysroot.Root the options describe.
func (c config) root(probs *problems) sysroot.Root {
	r := sysroot.Live()
	if c.rootDir != "" {
		rr, err := sysroot.Recorded(c.rootDir)
		switch {
		case rr.Dir == "": // not a readable directory: every file is then absent
			probs.add(".", err)
			rr = sysroot.FromEnv(c.rootDir, nil)
		case err != nil:
			probs.add("env", err)
		}
		r = rr
	}
	if c.lookupEnv != nil {
		r.LookupEnv, r.EnvSource = c.lookupEnv, "given environment"
	}
	return r
}

// hostFacts returns the given host, or asks hostinfo with the same root and
// environment.
func (c config) hostFacts() hostinfo.Host {
	if c.host != nil {
		return *c.host
	}
	var opts []hostinfo.Option
	if c.rootDir != "" {
		opts = append(opts, hostinfo.WithRoot(c.rootDir))
	}
	if c.lookupEnv != nil {
		opts = append(opts, hostinfo.WithEnv(c.lookupEnv))
	}
	h, _ := hostinfo.Detect(opts...) // its problems are its own (see Detect)
	return h
}

func detect(c config) (Sandbox, error) {
	var probs problems
	root := c.root(&probs)
	read := bufferedReader(root, c.trace)
	live := !root.Recorded
	host := c.hostFacts()
	s := Sandbox{UID: -1, GID: -1}

	probs.guard("proc/self/status", func() { identify(read, live, &s, &probs) })

	var cgLines []cgroupfs.Line
	probs.guard("proc/self/cgroup", func() {
		text := detected.Cgroup(host)
		b, ok := []byte(text), text != ""
		if !ok { // the host did not read it (or could not): read it here
			b, ok = readOpt(read, "proc/self/cgroup", &probs)
		}
		if ok {
			var err error
			if cgLines, err = cgroupfs.ParseCgroup(b); err != nil {
				probs.add("proc/self/cgroup", err)
			}
		}
	})
	cgID := sandboxRootID(cgLines)
	plat := platformOf(host, root)

	var id identity
	probs.guard("sandbox id", func() { id = sandboxID(root, plat, cgID, &probs) })
	if id.ID == "" { // only after a recovered panic
		id = identity{ID: processID(), Source: "crypto/rand", Scope: ScopeProcess}
	}
	s.ID, s.IDSource, s.IDScope, s.IDNote = id.ID, id.Source, id.Scope, id.Note
	s.LogStream = root.Getenv("AWS_LAMBDA_LOG_STREAM_NAME")

	probs.guard("limits", func() { s.Limits = limits(c, read, root, live, host, plat, cgLines, &probs) })

	var confidence hostinfo.Confidence
	s.Isolation, confidence, s.IsolationEvidence = decideIsolation(signals{
		Hypervisor:  host.Machine.Hypervisor.Kind,
		Container:   host.Machine.Container.Detected,
		Platform:    plat,
		LambdaGUID:  id.GUID,
		SandboxRoot: cgID,
		User:        s.User,
	})
	s.CoTenants = estimateCoTenants(s.Isolation, confidence, host.Machine.MemoryTotalBytes, s.Limits.MemoryLimitMB)

	s.BootID = host.Machine.BootID
	if s.BootID == "" {
		probs.guard("proc/sys/kernel/random/boot_id", func() { s.BootID = bootID(read, &probs) })
	}

	if c.metadata {
		probs.guard(metadataSource, func() { s.AvailabilityZoneID = queryMetadata(root, c.client, c.timeout, &probs) })
	}

	s.Problems = probs.list
	if s.Problems == nil {
		s.Problems = []Problem{}
	}
	if s.IsolationEvidence == nil {
		s.IsolationEvidence = []string{}
	}
	return s, errors.Join(probs.errs...)
}

// bufferedReader returns a reader that reads every file into one buffer:
// what it returns is valid until the next read, and every parser copies out
// what it keeps. A cold start then allocates one buffer, not one per file.
// trace, if not nil, is told every name first (tests).
func bufferedReader(root sysroot.Root, trace func(name string)) reader {
	var buf []byte
	return func(name string) ([]byte, error) {
		if trace != nil {
			trace(name)
		}
		b, err := root.ReadFileBuf(name, buf)
		if cap(b) > cap(buf) {
			buf = b[:0]
		}
		return b, err
	}
}

// identify fills UID/GID and the names from /etc/passwd and /etc/group.
// The ids are the real ones: on the live machine getuid(2) and getgid(2),
// which return exactly the first "Uid:" and "Gid:" figures of
// /proc/self/status for two system calls, where the kernel would render
// the whole status file (~20 µs in a cold start); -1 on Windows. A
// recorded tree's are in its proc/self/status.
func identify(read reader, live bool, s *Sandbox, probs *problems) {
	if live {
		s.UID, s.GID = os.Getuid(), os.Getgid()
	} else if b, ok := readOpt(read, "proc/self/status", probs); ok {
		var err error
		if s.UID, s.GID, err = parseStatusIDs(b); err != nil {
			probs.add("proc/self/status", err)
		}
	}
	if s.UID >= 0 {
		s.User = lookup(read, "etc/passwd", s.UID, passwdFields, probs)
	}
	if s.GID >= 0 {
		s.Group = lookup(read, "etc/group", s.GID, groupFields, probs)
	}
}

func lookup(read reader, name string, id, fields int, probs *problems) string {
	b, ok := readOpt(read, name, probs)
	if !ok {
		return ""
	}
	n, _, err := lookupName(b, id, fields)
	if err != nil {
		probs.add(name, err)
	}
	return n
}

// limits gathers Limits from the env, cgroups, /sys and /proc/self/limits.
func limits(c config, read reader, root sysroot.Root, live bool, host hostinfo.Host, plat platform, cgLines []cgroupfs.Line, probs *problems) Limits {
	var l Limits
	for _, k := range memoryEnv {
		v := root.Getenv(k)
		if v == "" {
			continue
		}
		mb, err := parseMemoryMB(v)
		if err != nil {
			probs.add(k, err)
			continue
		}
		l.MemoryLimitMB, l.MemoryLimitSource = mb, k
		break
	}
	if l.MemoryLimitMB == 0 && host.Platform.MemoryLimitMB > 0 {
		l.MemoryLimitMB, l.MemoryLimitSource = host.Platform.MemoryLimitMB, "host"
	}
	if plat.OnLambda {
		l.VCPUEntitlement = vcpuEntitlement(l.MemoryLimitMB)
	}

	if len(cgLines) > 0 {
		probs.guard("proc/self/mountinfo", func() {
			if live {
				ft := fsType
				if c.fsType != nil {
					ft = c.fsType
				}
				if mounts, ok := conventionalMounts(root, cgLines, ft); ok {
					l.CgroupVersion = cgroupfs.Version(mounts)
					cgroupLimits(read, cgLines, mounts, &l, probs)
					return
				}
			}
			b, ok := readOpt(read, "proc/self/mountinfo", probs)
			if !ok {
				return
			}
			mounts, err := cgroupfs.ParseMountInfo(b)
			if err != nil {
				probs.add("proc/self/mountinfo", err)
			}
			l.CgroupVersion = cgroupfs.Version(mounts)
			cgroupLimits(read, cgLines, mounts, &l, probs)
		})
	}

	probs.guard("sys/devices/system/cpu/online", func() {
		if b, ok := readOpt(read, "sys/devices/system/cpu/online", probs); ok {
			n, err := parseCPUList(string(b))
			if err != nil {
				probs.add("sys/devices/system/cpu/online", err)
			}
			l.VisibleCPUs = n
		}
	})
	if live {
		l.NumCPU = runtime.NumCPU()
		st := statfs
		if c.statfs != nil {
			st = c.statfs
		}
		fs, err := st(root.Path("tmp"))
		switch {
		case err == nil:
			fs.Path = "/tmp"
			l.Tmp = fs
		case !sysroot.IsAbsent(err) && !errors.Is(err, errors.ErrUnsupported):
			probs.add("tmp", fmt.Errorf("statfs: %w", err))
		}
	}

	probs.guard("proc/self/limits", func() {
		// The live process's soft limits are what getrlimit(2) returns,
		// which /proc/self/limits prints: two system calls rather than
		// the kernel rendering all sixteen limits.
		if live {
			if nofile, nproc, ok := liveRlimits(); ok {
				l.MaxOpenFiles, l.MaxProcesses = nofile, nproc
				return
			}
		}
		if b, ok := readOpt(read, "proc/self/limits", probs); ok {
			lim, err := procfile.ParseLimits(b)
			l.MaxOpenFiles, l.MaxProcesses = lim.OpenFiles, lim.Processes
			if err != nil {
				probs.add("proc/self/limits", err)
			}
		}
	})
	return l
}

// bootID reads /proc/sys/kernel/random/boot_id (a UUID).
func bootID(read reader, probs *problems) string {
	b, ok := readOpt(read, "proc/sys/kernel/random/boot_id", probs)
	if !ok {
		return ""
	}
	id, err := procfile.ParseBootID(b)
	if err != nil {
		probs.add("proc/sys/kernel/random/boot_id", err)
	}
	return id
}
