//go:build linux

package hostinfo

import (
	"net"
	"net/netip"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNetworkLive: the addresses Detect reads from /proc/net are the ones
// the kernel reports over netlink (net.Interfaces), less loopback and IPv6
// link-local ones; the interfaces are those net.Interfaces names, less
// loopback. The library reads files only; the test may use the socket.
func TestNetworkLive(t *testing.T) {
	h, _ := Detect()
	for _, p := range h.Problems {
		require.NotContains(t, p.Source, "proc/net/", "problem: %s: %s", p.Source, p.Error)
	}
	ifaces, err := net.Interfaces()
	require.NoError(t, err)
	var addrs, names []string
	for _, ifc := range ifaces {
		if ifc.Flags&net.FlagLoopback == 0 {
			names = append(names, ifc.Name)
		}
		as, err := ifc.Addrs()
		require.NoError(t, err)
		for _, a := range as {
			ipn, ok := a.(*net.IPNet)
			require.True(t, ok, "%T", a)
			ip, ok := netip.AddrFromSlice(ipn.IP)
			require.True(t, ok)
			ones, _ := ipn.Mask.Size()
			if ip = ip.Unmap(); keepIPv6(ip) && !ip.IsLoopback() {
				addrs = append(addrs, netip.PrefixFrom(ip, ones).String())
			}
		}
	}
	slices.Sort(names)
	want := addressStringsOf(t, addrs)
	assert.Equal(t, want, h.Machine.Network.Addresses)
	assert.Equal(t, names, h.Machine.Network.Interfaces)
	t.Logf("network: %+v", h.Machine.Network)
}

// addressStringsOf sorts rendered prefixes the way Network.Addresses is
// sorted (IPv4 first, by address).
func addressStringsOf(t *testing.T, ss []string) []string {
	t.Helper()
	ps := make([]netip.Prefix, 0, len(ss))
	for _, s := range ss {
		p, err := netip.ParsePrefix(s)
		require.NoError(t, err)
		ps = append(ps, p)
	}
	return addressStrings(ps)
}
