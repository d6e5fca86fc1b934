package fleet

import (
	"bytes"
	"cmp"
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// SubnetStats is one subnet a function's sandboxes had an address in: the
// VM hopping across subnets (and AZs) that startup lines show over time.
type SubnetStats struct {
	// Subnet: an IPv4 /16 or /24, or an IPv6 /64, of an address in
	// host.network.addresses ("10.12.0.0/16", "10.12.3.0/24",
	// "fd00::/64").
	Subnet string `json:"subnet"`
	// Sandboxes and VMs (distinct boot ids) with an address in it.
	Sandboxes int `json:"sandboxes"`
	VMs       int `json:"vms"`
	// AZIDs: the sandbox.availability_zone_id values of those sandboxes,
	// sorted; at most maxSubnetAZs.
	AZIDs []string `json:"az_ids"`
	// First and Last: when those sandboxes were first and last seen.
	First time.Time `json:"first"`
	Last  time.Time `json:"last"`
}

// Bounds of the subnet tables: a sandbox keeps at most maxSandboxSubnets
// subnets (a Lambda sandbox has three or four addresses, so six or eight),
// a function lists at most maxFunctionSubnets (the first by address), and
// a subnet at most maxSubnetAZs AZ ids.
const (
	maxSandboxSubnets  = 32
	maxFunctionSubnets = 256
	maxSubnetAZs       = 16
)

// startupNetwork keeps what a sandbox's first startup line says of its
// network: the subnets of its addresses and its AZ id.
func (a *Analyzer) startupNetwork(s *sandboxState, r *record) {
	s.subnets = a.str(appendSubnets(nil, r.st.addresses))
	s.azID = a.str(r.st.azID)
}

// appendSubnets appends to dst the subnets of a comma-joined address list
// (host.network.addresses: "169.254.76.1/23,10.0.12.5/20,fd00::2/64"):
// for IPv4 the /16 and the /24 holding the address, for IPv6 the /64;
// sorted, each once, comma-joined, at most maxSandboxSubnets. Elements that
// are not an address with a prefix length are skipped (the line is
// someone else's).
func appendSubnets(dst, list []byte) []byte {
	var buf [maxSandboxSubnets]netip.Prefix
	nets := buf[:0]
	add := func(p netip.Prefix) {
		if len(nets) < maxSandboxSubnets && !slices.Contains(nets, p) {
			nets = append(nets, p)
		}
	}
	for elem := range bytes.SplitSeq(list, []byte{','}) {
		p, err := netip.ParsePrefix(string(elem))
		if err != nil {
			continue
		}
		a := p.Addr()
		if a.Is4() {
			add(netip.PrefixFrom(a, 16).Masked())
			add(netip.PrefixFrom(a, 24).Masked())
		} else {
			add(netip.PrefixFrom(a, 64).Masked())
		}
	}
	slices.SortFunc(nets, comparePrefix)
	for i, p := range nets {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = p.AppendTo(dst)
	}
	return dst
}

func comparePrefix(x, y netip.Prefix) int {
	return cmp.Or(x.Addr().Compare(y.Addr()), cmp.Compare(x.Bits(), y.Bits()))
}

// functionSubnets gathers the subnets of function fn's sandboxes, sorted
// by address (a /16 before the /24s inside it), at most
// maxFunctionSubnets.
func (a *Analyzer) functionSubnets(fn int32) []SubnetStats {
	type acc struct {
		net         netip.Prefix
		sandboxes   int
		vms         map[int32]struct{}
		azs         []string
		first, last int64
	}
	byNet := map[string]*acc{}
	for i := range a.sandboxes {
		s := &a.sandboxes[i]
		if s.fn != fn || s.subnets == "" {
			continue
		}
		for n := range strings.SplitSeq(s.subnets, ",") {
			c, ok := byNet[n]
			if !ok {
				p, err := netip.ParsePrefix(n)
				if err != nil || len(byNet) >= maxFunctionSubnets {
					continue
				}
				c = &acc{net: p, vms: map[int32]struct{}{}}
				byNet[n] = c
			}
			c.sandboxes++
			if s.vm >= 0 {
				c.vms[s.vm] = struct{}{}
			}
			if s.azID != "" && !slices.Contains(c.azs, s.azID) && len(c.azs) < maxSubnetAZs {
				c.azs = append(c.azs, s.azID)
			}
			if s.first != 0 && (c.first == 0 || s.first < c.first) {
				c.first = s.first
			}
			c.last = max(c.last, s.last)
		}
	}
	accs := slices.SortedFunc(maps.Values(byNet), func(x, y *acc) int { return comparePrefix(x.net, y.net) })
	out := make([]SubnetStats, 0, len(accs))
	for _, c := range accs {
		slices.Sort(c.azs)
		if c.azs == nil {
			c.azs = []string{}
		}
		out = append(out, SubnetStats{Subnet: c.net.String(), Sandboxes: c.sandboxes, VMs: len(c.vms),
			AZIDs: c.azs, First: timeOf(c.first), Last: timeOf(c.last)})
	}
	return out
}

// writeSubnets writes the subnets of every function that has any: the VM
// hopping across subnets, with the VMs and AZ ids seen in each, over time.
func writeSubnets(ew *errWriter, fns []FunctionStats) {
	if !slices.ContainsFunc(fns, func(f FunctionStats) bool { return len(f.Subnets) > 0 }) {
		return
	}
	ew.printf("Subnets by function (host.network.addresses of startup lines: IPv4 /16 and /24, IPv6 /64)\n")
	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', 0)
	tp := func(format string, args ...any) { fmt.Fprintf(tw, format, args...) }
	tp("  FUNCTION\tSUBNET\tSANDBOXES\tVMS\tAZ IDS\tFIRST (UTC)\tLAST (UTC)\n")
	for _, f := range fns {
		for _, n := range f.Subnets {
			tp("  %s\t%s\t%d\t%d\t%s\t%s\t%s\n", orNone(f.Name), n.Subnet, n.Sandboxes, n.VMs,
				orNone(strings.Join(n.AZIDs, ",")), stamp(n.First), stamp(n.Last))
		}
	}
	tw.Flush()
	ew.printf("\n")
}

// stamp formats a time to the second, or "-" when unknown.
func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format("2006-01-02 15:04:05")
}
