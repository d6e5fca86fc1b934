package procfile

import (
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// netSeeds adds the recorded build machine's file and a few damaged forms.
func netSeeds(f *testing.F, name string, extra ...string) {
	if b, err := os.ReadFile(filepath.Join(buildVM, name)); err == nil {
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	for _, s := range extra {
		f.Add([]byte(s))
	}
}

// checkName: a name that comes out is a valid, printable interface name.
func checkName(t *testing.T, n string) {
	if _, err := InterfaceName([]byte(n)); err != nil || !utf8.ValidString(n) {
		t.Fatalf("name %q passed through: %v", n, err)
	}
}

func FuzzParseFibTrie(f *testing.F) {
	netSeeds(f, "fib_trie", "", "Main:\n", "Local:\n  |-- 10.0.12.5\n     /32 host LOCAL\n", "Id 7:\n  |-- 1.2.3.4\n     /24 link UNICAST tos=2\n")
	f.Fuzz(func(t *testing.T, data []byte) {
		routes, err := ParseFibTrie(data)
		if len(routes) > MaxFibEntries {
			t.Fatalf("%d routes", len(routes))
		}
		for _, r := range routes {
			if !r.Prefix.IsValid() || !r.Prefix.Addr().Is4() || r.Scope == "" || r.Type == "" || r.Table == "" {
				t.Fatalf("bad route %+v (err %v)", r, err)
			}
		}
	})
}

func FuzzParseIfInet6(f *testing.F) {
	netSeeds(f, "if_inet6", "", "fd000000000000000000000000000002 04 40 00 82     eth0\n")
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, _ := ParseIfInet6(data)
		if len(entries) > MaxIfInet6Entries {
			t.Fatalf("%d entries", len(entries))
		}
		for _, e := range entries {
			if !e.Addr.Is6() || e.PrefixLen < 0 || e.PrefixLen > 128 {
				t.Fatalf("bad entry %+v", e)
			}
			checkName(t, e.Interface)
		}
	})
}

func FuzzParseNetDev(f *testing.F) {
	netSeeds(f, "dev", "", "Inter-|\n face |\n")
	f.Fuzz(func(t *testing.T, data []byte) {
		names, _ := ParseNetDev(data)
		if len(names) > MaxNetDevInterfaces {
			t.Fatalf("%d names", len(names))
		}
		for _, n := range names {
			checkName(t, n)
		}
	})
}

// FuzzParseIPv4: the allocation-free dotted-quad parser agrees with
// net/netip on every input it accepts, and accepts every IPv4 address
// netip parses.
func FuzzParseIPv4(f *testing.F) {
	for _, s := range []string{"10.0.12.5", "0.0.0.0", "255.255.255.255", "256.1.1.1", "01.2.3.4", "1.2.3", "1.2.3.4.5", "::1", ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, ok := parseIPv4(b)
		want, err := netip.ParseAddr(string(b))
		wantOK := err == nil && want.Is4()
		if ok != wantOK || (ok && got != want) {
			t.Fatalf("%q: parseIPv4 %v %v, netip %v %v", b, got, ok, want, err)
		}
	})
}
