package sandbox

import (
	"log/slog"
	"strconv"
)

// LogValue renders the sandbox with its JSON keys, less what a log line
// leaves out by the schema's rule (docs/schema.md): the evidence and
// explanation texts (isolation_evidence, co_tenants.basis, id_note), the
// statfs of /tmp, and the problems (the startup line lists every problem
// once, at top level). No key is renamed or retyped. Nothing in a Sandbox
// is secret (the metadata token is never stored). The groups are built
// from Attrs, not slog.Group's ...any (which boxes each attribute): this
// runs in a cold start.
func (s Sandbox) LogValue() slog.Value {
	l := &s.Limits
	attrs := make([]slog.Attr, 0, 14)
	attrs = append(attrs,
		slog.String("id", s.ID),
		slog.String("id_source", s.IDSource),
		slog.String("id_scope", s.IDScope))
	if s.LogStream != "" {
		attrs = append(attrs, slog.String("log_stream", s.LogStream))
	}
	attrs = append(attrs,
		slog.String("user", s.User),
		slog.Int("uid", s.UID),
		slog.String("group", s.Group),
		slog.Int("gid", s.GID),
		slog.String("isolation", string(s.Isolation)),
		slog.Attr{Key: "limits", Value: slog.GroupValue(
			slog.Int("memory_limit_mb", l.MemoryLimitMB),
			slog.String("memory_limit_source", l.MemoryLimitSource),
			slog.Float64("vcpu_entitlement", l.VCPUEntitlement),
			slog.String("cgroup_version", l.CgroupVersion),
			slog.Int64("cgroup_memory_limit_bytes", l.CgroupMemoryLimitBytes),
			slog.Float64("cgroup_cpu_limit", l.CgroupCPULimit),
			slog.Int64("cgroup_pids_limit", l.CgroupPidsLimit),
			slog.Int("visible_cpus", l.VisibleCPUs),
			slog.Int("num_cpu", l.NumCPU),
			slog.Int64("max_open_files", l.MaxOpenFiles),
			slog.Int64("max_processes", l.MaxProcesses),
		)},
		slog.Attr{Key: "co_tenants", Value: slog.GroupValue(
			slog.Int("per_vm", s.CoTenants.PerVM),
			slog.String("confidence", string(s.CoTenants.Confidence)),
		)},
		slog.String("boot_id", s.BootID),
		slog.String("availability_zone_id", s.AvailabilityZoneID),
	)
	return slog.GroupValue(attrs...)
}

// Attributes returns the sandbox facts as OpenTelemetry-style attributes:
// faas.instance (the Lambda log stream name, where known; semconv v1.44)
// and our own under faasprobe.sandbox.*. Unknown facts are left out.
func (s Sandbox) Attributes() []slog.Attr {
	var a []slog.Attr
	if s.LogStream != "" {
		a = append(a, slog.String("faas.instance", s.LogStream))
	}
	add := func(k, v string) {
		if v != "" {
			a = append(a, slog.String("faasprobe.sandbox."+k, v))
		}
	}
	add("id", s.ID)
	add("id_source", s.IDSource)
	add("id_scope", s.IDScope)
	add("user", s.User)
	if s.UID >= 0 {
		a = append(a, slog.Int("faasprobe.sandbox.uid", s.UID))
	}
	add("isolation", string(s.Isolation))
	a = append(a,
		slog.Int("faasprobe.sandbox.co_tenants.per_vm", s.CoTenants.PerVM),
		slog.String("faasprobe.sandbox.co_tenants.confidence", string(s.CoTenants.Confidence)),
	)
	if s.Limits.MemoryLimitMB > 0 {
		a = append(a, slog.Int("faasprobe.sandbox.memory_limit_mb", s.Limits.MemoryLimitMB))
	}
	if s.Limits.VCPUEntitlement > 0 {
		a = append(a, slog.Float64("faasprobe.sandbox.vcpu_entitlement", s.Limits.VCPUEntitlement))
	}
	if s.Limits.CgroupMemoryLimitBytes > 0 {
		a = append(a, slog.Int64("faasprobe.sandbox.cgroup_memory_limit_bytes", s.Limits.CgroupMemoryLimitBytes))
	}
	add("boot_id", s.BootID)
	add("availability_zone_id", s.AvailabilityZoneID)
	return a
}

// String is a one-line summary for humans.
func (s Sandbox) String() string {
	user := s.User
	if user == "" {
		user = "?"
	}
	return "sandbox " + s.ID + " (" + s.IDScope + ", " + s.IDSource + ") user " + user +
		" uid " + strconv.Itoa(s.UID) + ", " + string(s.Isolation) + ", co-tenants per VM " + strconv.Itoa(s.CoTenants.PerVM) +
		" (" + string(s.CoTenants.Confidence) + ")"
}
