package hostinfo

import (
	"bytes"

	"github.com/faasprobe/faasprobe/internal/excerpt"
)

// containerSignals are the inputs of classifyContainer.
type containerSignals struct {
	dockerenv     bool   // /.dockerenv exists
	containerenv  bool   // /run/.containerenv exists (podman)
	containerVar  string // env "container" (systemd-nspawn, podman, lxc)
	kubernetes    bool   // env KUBERNETES_SERVICE_HOST set
	cgroup        []byte // /proc/self/cgroup
	gvisor        bool   // the kernel is gVisor's (a container runtime itself)
	azureFunction bool   // Azure Functions Linux runs in a container
}

// classifyContainer reports whether a container layer is visible. Each
// signal alone can mislead (/.dockerenv leaks into images built from a
// container), so all are listed as evidence.
func classifyContainer(s containerSignals) Container {
	var ev []string
	if s.dockerenv {
		ev = append(ev, "/.dockerenv exists")
	}
	if s.containerenv {
		ev = append(ev, "/run/.containerenv exists")
	}
	if s.containerVar != "" {
		ev = append(ev, "env container="+quote(s.containerVar))
	}
	if s.kubernetes {
		ev = append(ev, "env KUBERNETES_SERVICE_HOST set")
	}
	if hint := cgroupContainerHint(s.cgroup); hint != "" {
		ev = append(ev, "cgroup path "+quote(hint))
	}
	if s.gvisor {
		ev = append(ev, "gVisor (runsc) is an OCI container runtime")
	}
	if s.azureFunction {
		ev = append(ev, "Azure Functions on Linux run in a container")
	}
	return Container{Detected: len(ev) > 0, Evidence: nonNil(ev)}
}

// cgroupContainerHint returns the first /proc/self/cgroup path that names a
// container runtime or a FaaS sandbox cgroup, or "".
func cgroupContainerHint(data []byte) string {
	for line := range bytes.Lines(data) {
		line = bytes.TrimSuffix(line, []byte{'\n'})
		// hierarchy-ID:controllers:path
		_, rest, ok1 := bytes.Cut(line, []byte{':'})
		_, p, ok2 := bytes.Cut(rest, []byte{':'})
		if !ok1 || !ok2 {
			continue
		}
		for _, marker := range [...]string{"/docker", "/kubepods", "/ecs/", "libpod-", "/lxc/", "/containerd", "sandbox-root-", "/actions_job/"} {
			if bytes.Contains(p, []byte(marker)) {
				return excerpt.Clip(string(p))
			}
		}
	}
	return ""
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
