package record

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/faasprobe/faasprobe/hostinfo"
	"github.com/faasprobe/faasprobe/internal/textsafe"
)

// caveats are true of every recording.
func caveats() []string {
	return []string{
		"proc/self/{status,cgroup,mountinfo,limits,stat} describe the recorder's own process: under examples/recorder the function itself; under `faasprobe record` the command (same machine and cgroups as the shell that ran it, its own start time and limits).",
		"sys/firmware/acpi/tables/DSDT holds its first 16 bytes only (the ACPI header with the OEM id) and sys/firmware/devicetree/base/compatible at most 256 bytes: what faasprobe reads.",
		".dockerenv, run/.containerenv and proc/sentry-meminfo are empty files: faasprobe looks at their existence only.",
		"env holds only the variables faasprobe consults (internal/sources), sorted; values judged secret read <REDACTED> (rules: internal/redact). Every other variable is dropped and only counted. Review it before publishing: redaction is a safety net, not a guarantee.",
		"Not recordable, so unknown when the tree is read with --root: the size of /tmp (statfs), the CPU count Go sees (runtime.NumCPU), the sys/class/net/*/device/driver links (their uevent files are recorded instead).",
		"etc/passwd and etc/group hold only the recorded process's own entry (name and ids; every other field blanked, every other entry dropped), or nothing when it has none.",
		"A file the machine lacks is absent, not empty: absence is what faasprobe reads as unknown.",
	}
}

// noteInput is what the note says.
type noteInput struct {
	at       time.Time
	version  string
	source   string
	host     hostinfo.Host
	files    int // besides the note
	redacted []string
	dropped  int // variables left out because no reader consults them
	notes    []string
}

// note renders the RECORDED note: "key: value" lines, then lists.
func note(in noteInput) []byte {
	var b bytes.Buffer
	p := in.host.Platform
	m := in.host.Machine
	fmt.Fprintf(&b, "# faasprobe recording: the files faasprobe reads on one machine (read it back with faasprobe --root DIR)\n")
	fmt.Fprintf(&b, "recorded_at: %s\n", in.at.UTC().Format(time.RFC3339))
	fmt.Fprintf(&b, "faasprobe_version: %s\n", oneLine(in.version))
	fmt.Fprintf(&b, "recorder: %s/%s %s\n", runtime.GOOS, runtime.GOARCH, runtime.Version())
	fmt.Fprintf(&b, "source: %s\n", oneLine(in.source))
	fmt.Fprintf(&b, "platform: provider=%s service=%s runs_on=%s region=%s\n", orUnknown(p.Provider), orUnknown(p.Service), orUnknown(p.RunsOn), orUnknown(p.Region))
	fmt.Fprintf(&b, "hypervisor: %s\n", orUnknown(string(m.Hypervisor.Kind)))
	fmt.Fprintf(&b, "container: %t\n", m.Container.Detected)
	fmt.Fprintf(&b, "files: %d (besides this note)\n", in.files)
	fmt.Fprintf(&b, "redacted: %d variables", len(in.redacted))
	if len(in.redacted) > 0 {
		fmt.Fprintf(&b, ": %s", strings.Join(quoteNames(in.redacted), ", "))
	}
	fmt.Fprintf(&b, "\ndropped: %d variables (not consulted by faasprobe; neither names nor values are kept)", in.dropped)
	b.WriteString("\n\ncaveats:\n")
	for _, c := range caveats() {
		fmt.Fprintf(&b, "- %s\n", c)
	}
	if len(in.notes) > 0 {
		b.WriteString("\nnot recorded:\n")
		for _, n := range in.notes {
			fmt.Fprintf(&b, "- %s\n", oneLine(n))
		}
	}
	return b.Bytes()
}

// parseNoteTime reads the recorded_at line of a note as Tree.RecordedAt
// holds it (UTC, whole seconds); zero if none. A time whose UTC year is
// past 9999 (9999-12-31T23:59:59-23:59) is none: RFC 3339 cannot write it.
func parseNoteTime(data []byte) time.Time {
	for line := range strings.SplitSeq(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "recorded_at: "); ok {
			t, err := time.Parse(time.RFC3339, strings.TrimSpace(v))
			if t = t.UTC(); err == nil && t.Year() >= 0 && t.Year() <= 9999 {
				return t.Truncate(time.Second)
			}
		}
	}
	return time.Time{}
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return oneLine(s)
}

// oneLine keeps a value on its line of the note, and a terminal showing
// the note from acting on it: values come from the tree or environment
// being recorded (a region, a file name), so control characters are
// spelled out.
func oneLine(s string) string {
	if strings.ContainsAny(s, "\r\n") {
		return fmt.Sprintf("%q", s)
	}
	return textsafe.Escape(s)
}

// quoteNames quotes the names that are not plain identifiers.
func quoteNames(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = n
		if strings.ContainsFunc(n, func(r rune) bool { return r <= ' ' || r == ',' || r >= 0x7f }) {
			out[i] = fmt.Sprintf("%q", n)
		}
	}
	return out
}
