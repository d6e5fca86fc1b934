package hostinfo

import (
	"log/slog"
	"strconv"
	"strings"
)

// normalize makes every list non-nil so JSON shows [] rather than null.
func (h *Host) normalize() {
	h.Platform.Evidence = nonNil(h.Platform.Evidence)
	m := &h.Machine
	m.Hypervisor.Evidence = nonNil(m.Hypervisor.Evidence)
	if m.Hypervisor.Kind == "" {
		m.Hypervisor.Kind = HypervisorUnknown
	}
	m.Container.Evidence = nonNil(m.Container.Evidence)
	m.NetDrivers = nonNil(m.NetDrivers)
	m.CPU.MicroarchitectureEvidence = nonNil(m.CPU.MicroarchitectureEvidence)
	m.Network.Addresses = nonNil(m.Network.Addresses)
	m.Network.Interfaces = nonNil(m.Network.Interfaces)
	m.Instance.TypeCandidates = nonNil(m.Instance.TypeCandidates)
	m.Instance.FamilyCandidates = nonNil(m.Instance.FamilyCandidates)
	m.Instance.HostCPUCandidates = nonNil(m.Instance.HostCPUCandidates)
	m.Instance.Basis = nonNil(m.Instance.Basis)
	if m.Instance.Confidence == "" {
		m.Instance.Confidence = ConfidenceNone
	}
	if h.Problems == nil {
		h.Problems = []Problem{}
	}
}

// CloudPlatform returns the OpenTelemetry cloud.platform value for the
// platform ("aws_lambda", "gcp_cloud_run", "azure.functions", …), or "".
func (p Platform) CloudPlatform() string {
	prov := p.Provider
	if p.RunsOn == "aws_lambda" {
		return "aws_lambda"
	}
	switch prov + "/" + p.Service {
	case "aws/lambda", "aws/lambda_managed_instances":
		return "aws_lambda"
	case "aws/ec2":
		return "aws_ec2"
	case "aws/ecs":
		return "aws_ecs"
	case "gcp/cloud_run", "gcp/cloud_run_job", "gcp/cloud_run_worker_pool":
		return "gcp_cloud_run"
	case "gcp/cloud_functions":
		return "gcp_cloud_functions"
	case "gcp/app_engine":
		return "gcp_app_engine"
	case "gcp/compute_engine":
		return "gcp_compute_engine"
	case "azure/functions":
		return "azure.functions"
	case "azure/container_apps":
		return "azure.container_apps"
	case "azure/app_service":
		return "azure.app_service"
	case "azure/vm":
		return "azure.vm"
	case "alibaba/function_compute":
		return "alibaba_cloud_fc"
	case "ibm/code_engine":
		return "ibm_cloud.code_engine"
	}
	return ""
}

// CloudProvider returns the OpenTelemetry cloud.provider value, or "" for
// providers the conventions do not name (Vercel, Netlify, Fly…; for those
// running on Lambda it is "aws").
func (p Platform) CloudProvider() string {
	switch p.Provider {
	case "aws", "gcp", "azure":
		return p.Provider
	case "alibaba":
		return "alibaba_cloud"
	case "ibm":
		return "ibm_cloud"
	}
	if p.RunsOn == "aws_lambda" {
		return "aws"
	}
	return ""
}

// Attributes returns the facts as OpenTelemetry attributes: semantic
// convention names where one exists (host.*, cloud.*, faas.*,
// aws.ecs.launchtype), and faasprobe.* for our own (hypervisor, instance
// inference). Empty facts are left out. faas.max_memory is in bytes, as
// the convention says.
func (h Host) Attributes() []slog.Attr {
	p, m := h.Platform, h.Machine
	a := make([]slog.Attr, 0, 24)
	str := func(k, v string) {
		if v != "" {
			a = append(a, slog.String(k, v))
		}
	}
	str("cloud.provider", p.CloudProvider())
	str("cloud.platform", p.CloudPlatform())
	str("cloud.region", p.Region)
	str("faas.name", p.FunctionName)
	str("faas.version", p.FunctionVersion)
	if p.MemoryLimitMB > 0 {
		a = append(a, slog.Int64("faas.max_memory", int64(p.MemoryLimitMB)<<20))
	}
	str("aws.ecs.launchtype", p.LaunchType) // "fargate" or "ec2", as the convention spells them
	str("host.arch", m.Arch)
	str("host.cpu.vendor.id", m.CPU.Vendor)
	str("host.cpu.model.name", m.CPU.ModelName)
	if m.CPU.Family > 0 {
		a = append(a, slog.String("host.cpu.family", itoa(m.CPU.Family)))
		a = append(a, slog.String("host.cpu.model.id", itoa(m.CPU.Model)))
	}
	if ips := hostIPs(m.Network.Addresses); len(ips) > 0 {
		a = append(a, slog.Any("host.ip", ips))
	}
	if m.DMI.SysVendor == "Amazon EC2" && strings.Contains(m.DMI.ProductName, ".") {
		str("host.type", m.DMI.ProductName)
	}
	str("host.name", m.Name)
	str("host.id", m.ID)
	str("faasprobe.platform.provider", p.Provider)
	str("faasprobe.platform.service", p.Service)
	str("faasprobe.host.boot_id", m.BootID)
	str("faasprobe.host.kernel.release", m.Kernel.Release)
	str("faasprobe.host.hypervisor", string(m.Hypervisor.Kind))
	a = append(a, slog.Bool("faasprobe.host.container", m.Container.Detected))
	if m.CPU.Count > 0 {
		a = append(a, slog.Int("faasprobe.host.cpu.count", m.CPU.Count))
	}
	if m.MemoryTotalBytes > 0 {
		a = append(a, slog.Uint64("faasprobe.host.memory.total", m.MemoryTotalBytes))
	}
	str("faasprobe.host.cpu.microarchitecture", m.CPU.Microarchitecture)
	str("faasprobe.host.instance.type", strings.Join(m.Instance.TypeCandidates, ","))
	str("faasprobe.host.instance.family", strings.Join(m.Instance.FamilyCandidates, ","))
	str("faasprobe.host.instance.host_cpu", strings.Join(m.Instance.HostCPUCandidates, ","))
	str("faasprobe.host.instance.confidence", string(m.Instance.Confidence))
	return a
}

// LogValue renders the Host as its JSON form does ({"platform", "host",
// "problems"}), less what a log line leaves out by the schema's rule
// (docs/schema.md): evidence lists, the kernel banner and the DMI strings.
// No key is renamed or retyped. It holds no secrets: the platform evidence
// names variables, never their values, and is left out anyway.
func (h Host) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Any("platform", h.Platform),
		slog.Any("host", h.Machine),
		ProblemsAttr(h.Problems),
	)
}

// LogValue renders the platform with its JSON keys, less the evidence.
//
// The groups are built from Attrs (group), not slog.Group's ...any, which
// would box every attribute and convert it back: this runs in a cold start.
func (p Platform) LogValue() slog.Value {
	attrs := make([]slog.Attr, 0, 10)
	attrs = append(attrs,
		slog.String("provider", p.Provider), slog.String("service", p.Service))
	if p.RunsOn != "" {
		attrs = append(attrs, slog.String("runs_on", p.RunsOn))
	}
	attrs = append(attrs,
		slog.String("region", p.Region),
		slog.String("function_name", p.FunctionName),
		slog.String("function_version", p.FunctionVersion),
		slog.Int("memory_limit_mb", p.MemoryLimitMB),
		slog.String("runtime", p.Runtime))
	if p.InitializationType != "" {
		attrs = append(attrs, slog.String("initialization_type", p.InitializationType))
	}
	return slog.GroupValue(attrs...)
}

// LogValue renders the machine with its JSON keys, less the evidence
// lists, the kernel banner and the DMI strings.
func (m Machine) LogValue() slog.Value {
	attrs := make([]slog.Attr, 0, 20)
	attrs = append(attrs,
		slog.String("arch", m.Arch),
		group("kernel", slog.String("release", m.Kernel.Release), slog.String("version", m.Kernel.Version)),
		slog.String("boot_id", m.BootID),
		slog.Time("boot_time", m.BootTime),
		slog.Float64("uptime_seconds", m.UptimeSeconds),
		group("cpu",
			slog.String("vendor", m.CPU.Vendor),
			slog.String("model_name", m.CPU.ModelName),
			slog.Int("count", m.CPU.Count),
			slog.Float64("mhz", m.CPU.MHz),
			slog.Int("cache_kb", m.CPU.CacheKB),
			slog.Int("family", m.CPU.Family),
			slog.Int("model", m.CPU.Model),
			slog.Int("stepping", m.CPU.Stepping),
			slog.String("arm_implementer", m.CPU.ARMImplementer),
			slog.String("arm_part", m.CPU.ARMPart),
			slog.String("microarchitecture", m.CPU.Microarchitecture),
			slog.Bool("hypervisor_flag", m.CPU.HypervisorFlag)),
		slog.Uint64("memory_total_bytes", m.MemoryTotalBytes),
		group("hypervisor", slog.String("kind", string(m.Hypervisor.Kind))),
		group("container", slog.Bool("detected", m.Container.Detected)),
		slog.Any("net_drivers", m.NetDrivers),
		group("instance", slog.Any("type_candidates", m.Instance.TypeCandidates),
			slog.Any("family_candidates", m.Instance.FamilyCandidates),
			slog.Any("host_cpu_candidates", m.Instance.HostCPUCandidates),
			slog.String("confidence", string(m.Instance.Confidence))),
		group("network", slog.Any("addresses", m.Network.Addresses),
			slog.Any("interfaces", m.Network.Interfaces)),
	)
	attrs = append(attrs,
		slog.String("name", m.Name),
		slog.String("id", m.ID))
	if m.AuditSessionID != 0 {
		attrs = append(attrs, slog.Uint64("audit_session_id", uint64(m.AuditSessionID)))
	}
	attrs = append(attrs,
		slog.Uint64("memory_free_bytes", m.MemoryFreeBytes),
		slog.Uint64("memory_available_bytes", m.MemoryAvailableBytes),
		slog.Float64("idle_seconds", m.IdleSeconds))
	return slog.GroupValue(attrs...)
}

// ProblemsAttr is the "problems" attribute of a log line: the list of
// problems with their JSON keys, [] when there are none. The empty list is
// written as an empty []string, which the JSON handler encodes without
// setting up an encoder for []Problem inside a cold start.
func ProblemsAttr(ps []Problem) slog.Attr {
	if len(ps) == 0 {
		return slog.Any("problems", []string{})
	}
	return slog.Any("problems", ps)
}

// group is slog.Group for Attrs.
func group(key string, attrs ...slog.Attr) slog.Attr {
	return slog.Attr{Key: key, Value: slog.GroupValue(attrs...)}
}

func itoa(n int) string { return strconv.Itoa(n) }

// hostIPs is OTel host.ip: the addresses of Network.Addresses without
// their prefix lengths ("10.0.12.5", "fd00::2").
func hostIPs(addrs []string) []string {
	if len(addrs) == 0 {
		return nil
	}
	out := make([]string, 0, len(addrs))
	for _, a := range addrs {
		ip, _, _ := strings.Cut(a, "/")
		out = append(out, ip)
	}
	return out
}
