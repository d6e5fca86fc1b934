package vmstat

import (
	"bytes"
	"strings"

	"github.com/faasprobe/faasprobe/internal/procfile"
	"github.com/faasprobe/faasprobe/internal/sysroot"
)

// readCPU reads /proc/stat's btime and aggregate "cpu" line. On failure the
// reading is not ok and the problem names the file.
func (s *Sampler) readCPU() (reading, string) {
	data, err := s.read(&s.stat, statFile)
	if err != nil {
		return reading{}, problem(statFile, err)
	}
	s.buf = data[:0]
	st, err := procfile.ParseStat(data)
	if err != nil {
		return reading{}, problem(statFile, err)
	}
	t := st.Total
	return reading{
		ok:    true,
		btime: st.BootTime.Unix(),
		cpu:   cpuTicks{user: t.User, nice: t.Nice, system: t.System, idle: t.Idle, iowait: t.IOWait, irq: t.IRQ, softirq: t.SoftIRQ, steal: t.Steal},
		at:    s.now(),
	}, ""
}

// readMemAvailable reads /proc/meminfo's MemAvailable, in bytes.
func (s *Sampler) readMemAvailable() (uint64, string) {
	data, err := s.read(&s.mem, meminfoFile)
	if err != nil {
		return 0, problem(meminfoFile, err)
	}
	s.buf = data[:0]
	m, err := procfile.ParseMeminfo(uptoMemAvailable(data))
	if err != nil {
		return 0, problem(meminfoFile, err)
	}
	return m.MemAvailable, ""
}

// uptoMemAvailable cuts /proc/meminfo after its MemAvailable line, the
// third of ~50 (the kernel writes MemTotal, MemFree, MemAvailable first):
// the parser then checks the lines a sample uses, not every counter, at
// every invocation. Without a MemAvailable line, all of data.
func uptoMemAvailable(data []byte) []byte {
	i := bytes.Index(data, []byte("\nMemAvailable:"))
	if i < 0 {
		return data
	}
	if j := bytes.IndexByte(data[i+1:], '\n'); j >= 0 {
		return data[:i+1+j+1]
	}
	return data
}

// read reads a kept file from its start into the sampler's buffer,
// opening it first if it is not open yet (a file missing at one sample is
// looked for again at the next).
func (s *Sampler) read(k **sysroot.Kept, name string) ([]byte, error) {
	if *k == nil {
		f, err := s.root.Keep(name)
		if err != nil {
			return nil, err
		}
		*k = f
	}
	data, err := (*k).Read(s.buf[:0])
	if err != nil { // opened afresh next time
		(*k).Close()
		*k = nil
	}
	return data, err
}

// maxProblem bounds a problem's text: the parsers quote clipped excerpts of
// the file, but a line is written per invocation.
const maxProblem = 200

// problem is "source: error" for a file that could not be read or parsed;
// a missing file is unknown, not a problem: "".
func problem(source string, err error) string {
	if sysroot.IsAbsent(err) {
		return ""
	}
	msg := err.Error()
	if len(msg) > maxProblem {
		msg = strings.ToValidUTF8(msg[:maxProblem], "") + "…"
	}
	return source + ": " + msg
}
