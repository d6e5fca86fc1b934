package sandbox

import (
	"log/slog"
	"strconv"
)

// LogValue renders the sandbox as a slog group of its main facts. Nothing
// in a Sandbox is secret (the metadata token is never stored), so nothing
// needs redacting. The groups are built from Attrs, not slog.Group's
// ...any (which boxes each attribute): this runs in a cold start.
func (s Sandbox) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("id", s.ID),
		slog.String("id_source", s.IDSource),
		slog.String("id_scope", s.IDScope),
		slog.String("user", s.User),
		slog.Int("uid", s.UID),
		slog.String("isolation", s.Isolation),
		{Key: "limits", Value: slog.GroupValue(
			slog.Int("memory_limit_mb", s.Limits.MemoryLimitMB),
			slog.Float64("vcpu_entitlement", s.Limits.VCPUEntitlement),
			slog.Int64("cgroup_memory_limit_bytes", s.Limits.CgroupMemoryLimitBytes),
			slog.Float64("cgroup_cpu_limit", s.Limits.CgroupCPULimit),
			slog.Int("visible_cpus", s.Limits.VisibleCPUs),
			slog.Int64("max_open_files", s.Limits.MaxOpenFiles),
		)},
		{Key: "co_tenants", Value: slog.GroupValue(
			slog.Int("per_vm", s.CoTenants.PerVM),
			slog.String("confidence", s.CoTenants.Confidence),
		)},
		slog.String("boot_id", s.BootID),
	}
	if s.AvailabilityZoneID != "" {
		attrs = append(attrs, slog.String("availability_zone_id", s.AvailabilityZoneID))
	}
	if len(s.Problems) > 0 {
		attrs = append(attrs, slog.Int("problems", len(s.Problems)))
	}
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
	add("isolation", s.Isolation)
	a = append(a,
		slog.Int("faasprobe.sandbox.co_tenants.per_vm", s.CoTenants.PerVM),
		slog.String("faasprobe.sandbox.co_tenants.confidence", s.CoTenants.Confidence),
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
		" uid " + strconv.Itoa(s.UID) + ", " + s.Isolation + ", co-tenants per VM " + strconv.Itoa(s.CoTenants.PerVM) +
		" (" + s.CoTenants.Confidence + ")"
}
