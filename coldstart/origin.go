package coldstart

import (
	"fmt"
	"time"

	"github.com/faasprobe/faasprobe/internal/procfile"
	"github.com/faasprobe/faasprobe/internal/sysroot"
)

// Process-start sources (Invocation.ProcessStartSource, SandboxStats.ProcessStartSource).
const (
	// StartFromUptime: /proc/self/stat starttime against /proc/uptime, both
	// counted from boot (10 ms resolution).
	StartFromUptime = "proc-uptime"
	// StartFromBtime: /proc/self/stat starttime against /proc/stat btime and
	// the wall clock, used when /proc/uptime is unreadable; btime is whole
	// seconds, so the start is up to 1 s early.
	StartFromBtime = "proc-btime"
	// StartFromTracker: the process start is unknown (no /proc: macOS,
	// Windows; or it failed to parse) and the tracker's creation stands in.
	StartFromTracker = "tracker-created"
)

// origin is what the tracker learned at setup about the process and the
// kernel, as ages at the moment of reading.
type origin struct {
	procAge   time.Duration // process age; valid if source != StartFromTracker
	source    string        // StartFrom*
	bootAge   time.Duration // time since kernel boot; valid if bootKnown
	bootKnown bool
	problems  []string
}

// originInput holds the raw files (or their read errors) that combineOrigin
// interprets. Keeping it apart keeps combineOrigin pure.
type originInput struct {
	stat, uptime, procStat          []byte
	statErr, uptimeErr, procStatErr error
	wallNow                         time.Time // for btime only
}

// readOrigin reads /proc/self/stat, /proc/uptime and, only when /proc/uptime
// is unusable, /proc/stat below root.
func readOrigin(root sysroot.Root, wallNow func() time.Time) origin {
	var in originInput
	// One small buffer for both (each file is a few hundred bytes at most;
	// the three-index slices keep a longer one from spilling into the
	// other's part: it grows into a new array instead).
	buf := make([]byte, 1024)
	read := func(name string, into []byte) ([]byte, error) { return root.ReadFileBuf(name, into) }
	in.stat, in.statErr = read("proc/self/stat", buf[:0:768])
	in.uptime, in.uptimeErr = read("proc/uptime", buf[768:768:1024])
	if _, err := procfile.ParseUptime(in.uptime); in.uptimeErr != nil || err != nil {
		in.procStat, in.procStatErr = root.ReadFile("proc/stat")
	}
	in.wallNow = wallNow()
	return combineOrigin(in)
}

// combineOrigin turns the raw files into ages. An absent file is not a
// problem (no /proc on this OS); an unreadable or unparsable one is. A
// procStat that is nil with a nil error was not read.
func combineOrigin(in originInput) origin {
	o := origin{source: StartFromTracker}
	problem := func(format string, args ...any) {
		o.problems = append(o.problems, fmt.Sprintf("coldstart: "+format, args...))
	}

	// Time since boot: /proc/uptime, else the clock minus /proc/stat btime.
	usedUptime := false
	if in.uptimeErr == nil {
		if up, err := procfile.ParseUptime(in.uptime); err == nil {
			o.bootAge, o.bootKnown, usedUptime = up.Uptime, true, true
		} else {
			problem("parse /proc/uptime: %v", err)
		}
	} else if !sysroot.IsAbsent(in.uptimeErr) {
		problem("read /proc/uptime: %v", in.uptimeErr)
	}
	if !o.bootKnown && (in.procStat != nil || in.procStatErr != nil) {
		if in.procStatErr != nil {
			if !sysroot.IsAbsent(in.procStatErr) {
				problem("read /proc/stat: %v", in.procStatErr)
			}
		} else if btime, err := procfile.ParseBootTime(in.procStat); err != nil {
			problem("parse /proc/stat: %v", err)
		} else if age := in.wallNow.Sub(btime); age < 0 {
			problem("/proc/stat btime %d is %v after the clock's now (%s)", btime.Unix(), -age, in.wallNow.UTC().Format(time.RFC3339))
		} else {
			o.bootAge, o.bootKnown = age, true
		}
	}

	// Process start: starttime (ticks since boot) against the time since boot.
	if in.statErr != nil {
		if !sysroot.IsAbsent(in.statErr) {
			problem("read /proc/self/stat: %v", in.statErr)
		}
		return o
	}
	st, err := procfile.ParseProcStat(in.stat)
	if err != nil {
		problem("parse /proc/self/stat: %v", err)
		return o
	}
	if !o.bootKnown {
		return o // starttime alone says nothing about now
	}
	sinceBoot := st.Start()
	age := o.bootAge - sinceBoot
	if age < 0 {
		problem("/proc/self/stat starttime (%v after boot) is later than the time since boot (%v)", sinceBoot, o.bootAge)
		return o
	}
	o.procAge = age
	if usedUptime {
		o.source = StartFromUptime
	} else {
		o.source = StartFromBtime
	}
	return o
}
