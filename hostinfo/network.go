package hostinfo

import (
	"net/netip"
	"slices"
	"sort"

	"github.com/faasprobe/faasprobe/internal/procfile"
)

// Network is the VM's network identity as /proc/net shows it: its own
// addresses and its interfaces. It is read from files only (no socket), so
// a recorded tree replays it.
type Network struct {
	// Addresses: every non-loopback address with its prefix length,
	// IPv4 first, each family sorted ("169.254.76.1/23", "10.0.12.5/20",
	// "fd00::2/64"). IPv4 from /proc/net/fib_trie (the LOCAL /32 routes,
	// with the length of the longest link-scope route that holds the
	// address; /32 when none does), IPv6 from /proc/net/if_inet6
	// (link-local addresses left out). At most maxNetworkItems.
	Addresses []string `json:"addresses"`
	// Interfaces: the interface names of /proc/net/dev (and
	// /proc/net/if_inet6), loopback left out, sorted. At most
	// maxNetworkItems.
	Interfaces []string `json:"interfaces"`
}

// maxNetworkItems bounds Network.Addresses and Network.Interfaces: a
// function's VM has a handful; more are cut (after sorting).
const maxNetworkItems = 64

// network reads /proc/net/fib_trie, if_inet6 and dev.
func (d *detector) network() Network {
	var addrs []netip.Prefix
	var names []string
	if b, ok := d.read("proc/net/fib_trie", false); ok {
		routes, err := procfile.ParseFibTrie(b)
		d.parse("proc/net/fib_trie", err)
		if err == nil {
			addrs = localIPv4(routes)
		}
	}
	if b, ok := d.read("proc/net/if_inet6", false); ok {
		entries, err := procfile.ParseIfInet6(b)
		d.parse("proc/net/if_inet6", err)
		if err == nil {
			for _, e := range entries {
				if e.Interface != "lo" {
					names = append(names, e.Interface)
				}
				if keepIPv6(e.Addr) {
					addrs = append(addrs, netip.PrefixFrom(e.Addr, e.PrefixLen))
				}
			}
		}
	}
	if b, ok := d.read("proc/net/dev", false); ok {
		devs, err := procfile.ParseNetDev(b)
		d.parse("proc/net/dev", err)
		if err == nil {
			for _, n := range devs {
				if n != "lo" {
					names = append(names, n)
				}
			}
		}
	}
	return Network{Addresses: addressStrings(addrs), Interfaces: sortedNames(names)}
}

// localIPv4 returns the VM's own IPv4 addresses with their prefix lengths:
// each LOCAL /32 route that is not loopback, with the length of the
// most specific link-scope UNICAST route containing it (the subnet the kernel
// adds with the address: net/ipv4/fib_frontend.c fib_add_ifaddr), or 32
// when there is none (an address configured as /32). A file that lists
// one trie under two headers (Main and Local, as kernels print an unsplit
// local table) gives each address once.
func localIPv4(routes []procfile.FibEntry) []netip.Prefix {
	var out []netip.Prefix
	for _, r := range routes {
		a := r.Prefix.Addr()
		if r.Type != "LOCAL" || r.Prefix.Bits() != 32 || a.IsLoopback() || a.IsUnspecified() {
			continue
		}
		bits := 0
		for _, l := range routes {
			if b := l.Prefix.Bits(); l.Type == "UNICAST" && l.Scope == "link" && b < 32 && b > bits && l.Prefix.Masked().Contains(a) {
				bits = b
			}
		}
		if bits == 0 {
			bits = 32
		}
		p := netip.PrefixFrom(a, bits)
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// keepIPv6 reports whether an if_inet6 address is the VM's own in the
// sense of Network.Addresses: not loopback, not link-local (every
// interface has one, derived from its MAC address; it names nothing
// beyond the link).
func keepIPv6(a netip.Addr) bool {
	return a.IsValid() && !a.IsLoopback() && !a.IsLinkLocalUnicast() && !a.IsUnspecified()
}

// addressStrings sorts the prefixes (IPv4 first) and renders at most
// maxNetworkItems of them, each once.
func addressStrings(ps []netip.Prefix) []string {
	if len(ps) > 1 { // the common one address costs no sort (nor its interface value)
		sort.Sort(byAddr(ps))
	}
	ps = slices.Compact(ps)
	out := make([]string, 0, min(len(ps), maxNetworkItems))
	for _, p := range ps[:min(len(ps), maxNetworkItems)] {
		out = append(out, p.String())
	}
	return out
}

// byAddr orders prefixes by address (IPv4 first), then length. It is a
// sort.Interface because sort.Sort's code is in every Lambda program
// already (compress/flate, which net/http links, uses it), where
// slices.SortFunc on netip.Prefix would link ~10 KB of sort code of its
// own.
type byAddr []netip.Prefix

func (s byAddr) Len() int      { return len(s) }
func (s byAddr) Swap(i, j int) { s[i], s[j] = s[j], s[i] }
func (s byAddr) Less(i, j int) bool {
	if c := s[i].Addr().Compare(s[j].Addr()); c != 0 {
		return c < 0
	}
	return s[i].Bits() < s[j].Bits()
}

// sortedNames sorts, dedupes and caps interface names.
func sortedNames(names []string) []string {
	slices.Sort(names)
	names = slices.Compact(names)
	return nonNil(names[:min(len(names), maxNetworkItems)])
}
