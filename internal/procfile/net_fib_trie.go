package procfile

import (
	"bytes"
	"errors"
	"fmt"
	"net/netip"

	"github.com/faasprobe/faasprobe/internal/excerpt"
)

// MaxFibEntries bounds the routes ParseFibTrie returns. A function's VM has
// a few dozen; a full routing table (a router's) is an error, not a fact.
const MaxFibEntries = 4096

// FibEntry is one route of /proc/net/fib_trie: a leaf's key with one of its
// prefix lengths, the route's scope and type, and the table it is in.
type FibEntry struct {
	// Prefix is the leaf's key with the route's length ("10.0.0.0/20",
	// "10.0.12.5/32").
	Prefix netip.Prefix
	// Scope: "universe", "site", "link", "host", "nowhere", or the
	// kernel's "scope=N" for others.
	Scope string
	// Type: "UNICAST", "LOCAL", "BROADCAST", "MULTICAST", … or the
	// kernel's "type N".
	Type string
	// Table is the header the route is listed under ("Main", "Local",
	// "Id 100").
	Table string
}

// ParseFibTrie parses /proc/net/fib_trie (net/ipv4/fib_trie.c,
// fib_trie_seq_show): table headers ("Main:"), internal nodes
// ("+-- 10.0.0.0/8 2 0 2"), leaves ("|-- 10.0.12.5") and under each leaf
// one line per route ("/32 host LOCAL", "/20 link UNICAST tos=4"). It
// returns every route in file order. A line of another shape, a route
// before any leaf, or more than MaxFibEntries routes is an error naming
// the line (and no routes).
func ParseFibTrie(data []byte) ([]FibEntry, error) {
	var (
		out   = make([]FibEntry, 0, 32)
		table string
		leaf  netip.Addr
		n     int
	)
	for line := range bytes.Lines(data) {
		n++
		line = bytes.TrimRight(line, "\n")
		body := bytes.TrimLeft(line, " ")
		switch {
		case len(body) == 0:
			continue
		case len(body) == len(line) && body[len(body)-1] == ':':
			name := body[:len(body)-1]
			if !fibTableName(name) {
				return nil, netLineError(n, line, errors.New("not a table header"))
			}
			table = fibTableLabel(name)
			leaf = netip.Addr{}
		case table == "":
			return nil, netLineError(n, line, errors.New("entry before any table header"))
		case bytes.HasPrefix(body, []byte("+-- ")):
			addr, bits, ok := bytes.Cut(netFirstField(body[4:]), []byte{'/'})
			if _, ok4 := parseIPv4(addr); !ok || !ok4 || !netSmallUint(bits, 32) {
				return nil, netLineError(n, line, errors.New("node is not an IPv4 prefix"))
			}
			leaf = netip.Addr{}
		case bytes.HasPrefix(body, []byte("|-- ")):
			a, ok := parseIPv4(bytes.TrimSpace(body[4:]))
			if !ok {
				return nil, netLineError(n, line, errors.New("leaf is not an IPv4 address"))
			}
			leaf = a
		case body[0] == '/':
			if !leaf.IsValid() {
				return nil, netLineError(n, line, errors.New("route outside a leaf"))
			}
			if len(out) == MaxFibEntries {
				return nil, netLineError(n, line, fmt.Errorf("more than %d routes", MaxFibEntries))
			}
			e, err := parseFibRoute(body, leaf, table)
			if err != nil {
				return nil, netLineError(n, line, err)
			}
			out = append(out, e)
		default:
			return nil, netLineError(n, line, errors.New("not a fib_trie line"))
		}
	}
	if table == "" {
		return nil, errors.New("no table header")
	}
	return out, nil
}

// parseFibRoute parses "/LEN SCOPE TYPE [tos=N]".
func parseFibRoute(body []byte, leaf netip.Addr, table string) (FibEntry, error) {
	var f [5][]byte
	nf := 0
	for rest := body[1:]; ; {
		rest = bytes.TrimLeft(rest, " ")
		if len(rest) == 0 {
			break
		}
		if nf == len(f) {
			return FibEntry{}, errors.New("want /LEN SCOPE TYPE [tos=N]")
		}
		end := bytes.IndexByte(rest, ' ')
		if end < 0 {
			end = len(rest)
		}
		f[nf], rest = rest[:end], rest[end:]
		nf++
	}
	if nf < 3 || nf > 4 || (nf == 4 && !bytes.HasPrefix(f[3], []byte("tos="))) {
		return FibEntry{}, errors.New("want /LEN SCOPE TYPE [tos=N]")
	}
	if !netSmallUint(f[0], 32) {
		return FibEntry{}, errors.New("prefix length is not 0-32")
	}
	bits := int(f[0][0] - '0')
	if len(f[0]) == 2 {
		bits = bits*10 + int(f[0][1]-'0')
	}
	scope, ok := fibScope(f[1])
	if !ok {
		return FibEntry{}, errors.New("unknown scope")
	}
	typ, ok := fibType(f[2])
	if !ok {
		return FibEntry{}, errors.New("unknown route type")
	}
	return FibEntry{Prefix: netip.PrefixFrom(leaf, bits), Scope: scope, Type: typ, Table: table}, nil
}

// fibScope names a scope as rtn_scope prints it ("scope=N" for others).
func fibScope(b []byte) (string, bool) {
	switch string(b) {
	case "universe":
		return "universe", true
	case "site":
		return "site", true
	case "link":
		return "link", true
	case "host":
		return "host", true
	case "nowhere":
		return "nowhere", true
	}
	if v, ok := bytes.CutPrefix(b, []byte("scope=")); ok && netSmallUint(v, 255) {
		return string(b), true
	}
	return "", false
}

// fibType names a route type as rtn_type prints it. Types past
// RTN_XRESOLVE, which the kernel prints as "type N", are rejected: no
// kernel defines one.
func fibType(b []byte) (string, bool) {
	for _, t := range [...]string{"UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST",
		"MULTICAST", "BLACKHOLE", "UNREACHABLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE"} {
		if string(b) == t {
			return t, true
		}
	}
	return "", false
}

// fibTableName checks a table header: "Main", "Local", or "Id N".
func fibTableName(b []byte) bool {
	switch string(b) {
	case "Main", "Local":
		return true
	}
	v, ok := bytes.CutPrefix(b, []byte("Id "))
	return ok && netSmallUint(v, 1<<32-1)
}

// fibTableLabel returns the header as a string without allocating for the two
// tables every kernel prints.
func fibTableLabel(b []byte) string {
	switch string(b) {
	case "Main":
		return "Main"
	case "Local":
		return "Local"
	}
	return string(b)
}

func netFirstField(b []byte) []byte {
	if i := bytes.IndexByte(b, ' '); i >= 0 {
		return b[:i]
	}
	return b
}

// netSmallUint reports whether b is a decimal number (digits only, at
// most 10 of them) of at most max.
func netSmallUint(b []byte, max uint64) bool {
	if len(b) == 0 || len(b) > 10 {
		return false
	}
	var v uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
		v = v*10 + uint64(c-'0')
	}
	return v <= max
}

// parseIPv4 parses a dotted quad ("10.0.12.5"; no leading zeros beyond a
// lone 0, as the kernel's %pI4 prints) without allocating.
func parseIPv4(b []byte) (netip.Addr, bool) {
	var a [4]byte
	for i := range a {
		end := bytes.IndexByte(b, '.')
		if i == 3 {
			end = len(b)
		}
		if end < 1 || end > 3 || (end > 1 && b[0] == '0') || !netSmallUint(b[:end], 255) {
			return netip.Addr{}, false
		}
		v := 0
		for _, c := range b[:end] {
			v = v*10 + int(c-'0')
		}
		a[i] = byte(v)
		if i < 3 {
			b = b[end+1:]
		}
	}
	return netip.AddrFrom4(a), true
}

// netLineError names the line (number and clipped text) an error is about.
func netLineError(n int, line []byte, err error) error {
	return fmt.Errorf("line %d %q: %w", n, excerpt.Clip(string(line)), err)
}
