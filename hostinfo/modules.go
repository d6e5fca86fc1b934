package hostinfo

import (
	"bytes"
	"errors"

	"github.com/faasprobe/faasprobe/internal/procfile"
)

// parseModuleNetDrivers returns the network drivers among the modules
// listed in /proc/modules (first field of each line). Only known NIC drivers
// are kept: the rest of the list (and e.g. the kvm module) says nothing about
// where we run.
func parseModuleNetDrivers(data []byte) ([]string, error) {
	var out []string
	for line := range bytes.Lines(data) {
		line = bytes.TrimSuffix(line, []byte{'\n'})
		name, _, _ := bytes.Cut(line, []byte{' '})
		if len(name) == 0 {
			continue
		}
		if bytes.IndexByte(name, 0) >= 0 {
			return nil, errors.New("binary content")
		}
		if d := knownNetDriver(string(name)); d != "" {
			out = append(out, d)
		}
	}
	return out, nil
}

// knownNetDriver returns name if it is a NIC driver worth reporting.
func knownNetDriver(name string) string {
	switch name {
	case "ena", "ixgbevf", "ixgbe", "xen_netfront", "virtio_net", "hv_netvsc",
		"vmxnet3", "gve", "e1000", "e1000e", "igb", "igbvf", "mlx4_en",
		"mlx5_core", "bnxt_en", "i40e", "iavf", "ice", "idpf", "netvsc", "virtio-pci":
		return name
	}
	return ""
}

// parseUevent returns the DRIVER= value of a uevent file.
func parseUevent(data []byte) (string, error) {
	for line := range bytes.Lines(data) {
		line = bytes.TrimSuffix(line, []byte{'\n'})
		if v, ok := bytes.CutPrefix(line, []byte("DRIVER=")); ok {
			s, err := procfile.ParseLine(v)
			if err != nil {
				return "", err
			}
			return s, nil
		}
	}
	return "", errors.New("no DRIVER= line")
}
