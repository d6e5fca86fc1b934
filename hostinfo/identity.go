package hostinfo

import (
	"time"

	"github.com/faasprobe/faasprobe/internal/procfile"
)

// identity fills the host name, the machine id and the audit session id.
// A missing or empty host name or machine id is unknown, not a problem;
// text that is not one is a problem (and unknown).
func (d *detector) identity(m *Machine) {
	if b, ok := d.read("proc/sys/kernel/hostname", false); ok {
		v, err := procfile.ParseHostname(b)
		d.parse("proc/sys/kernel/hostname", err)
		m.Name = v
	}
	// The machine id, where OpenTelemetry's host detector reads it:
	// systemd's location, then D-Bus's older one.
	if b, ok := d.read("etc/machine-id", false); ok {
		m.ID = d.machineID("etc/machine-id", b)
	}
	if m.ID == "" {
		if b, ok := d.read("var/lib/dbus/machine-id", false); ok {
			m.ID = d.machineID("var/lib/dbus/machine-id", b)
		}
	}
	if b, ok := d.read("proc/self/sessionid", false); ok {
		v, err := procfile.ParseSessionID(b)
		d.parse("proc/self/sessionid", err)
		m.AuditSessionID = v
	}
}

// seconds converts an exact duration to the float seconds of the JSON
// document: one correctly rounded division, so "503.54" in the file is
// 503.54 in the output (up to 2^53 ns, 104 days; beyond, within an ulp).
func seconds(d time.Duration) float64 {
	return float64(d) / float64(time.Second)
}

// machineID parses the machine-id file name: "" when it is empty or
// damaged (a problem).
func (d *detector) machineID(name string, b []byte) string {
	v, err := procfile.ParseMachineID(b)
	d.parse(name, err)
	return v
}
