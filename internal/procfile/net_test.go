package procfile

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// buildVM is the recorded build machine (a Firecracker microVM).
const buildVM = "../../testdata/scenarios/this-build-vm-firecracker/proc/net"

func readTestFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(buildVM, name))
	require.NoError(t, err)
	return b
}

func TestParseFibTrieCapture(t *testing.T) {
	t.Parallel()
	routes, err := ParseFibTrie(readTestFile(t, "fib_trie"))
	require.NoError(t, err)
	// The capture lists one merged trie under both headers: 7 routes each.
	require.Len(t, routes, 14)
	assert.Equal(t, FibEntry{Prefix: netip.MustParsePrefix("0.0.0.0/0"), Scope: "universe", Type: "UNICAST", Table: "Main"}, routes[0])
	assert.Contains(t, routes, FibEntry{Prefix: netip.MustParsePrefix("192.0.2.2/32"), Scope: "host", Type: "LOCAL", Table: "Local"})
	assert.Contains(t, routes, FibEntry{Prefix: netip.MustParsePrefix("192.0.2.0/24"), Scope: "link", Type: "UNICAST", Table: "Main"})
	assert.Contains(t, routes, FibEntry{Prefix: netip.MustParsePrefix("127.255.255.255/32"), Scope: "link", Type: "BROADCAST", Table: "Local"})
}

func TestParseFibTrie(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		n       int
		wantErr string
	}{
		{"leaves without nodes", "Local:\n  |-- 10.0.12.5\n     /32 host LOCAL\n", 1, ""},
		{"tos and numbered table", "Id 100:\n  |-- 10.0.0.0\n     /20 link UNICAST tos=4\n", 1, ""},
		{"two routes under one leaf", "Main:\n  |-- 10.0.0.0\n     /8 link UNICAST\n     /16 link UNICAST\n", 2, ""},
		{"scope=N", "Main:\n  |-- 10.0.0.0\n     /8 scope=200 UNICAST\n", 1, ""},
		{"empty", "", 0, "no table header"},
		{"entry before header", "  |-- 10.0.0.1\n", 0, "before any table header"},
		{"route outside leaf", "Main:\n     /32 host LOCAL\n", 0, "outside a leaf"},
		{"route after node", "Main:\n  +-- 10.0.0.0/8 2 0 2\n     /32 host LOCAL\n", 0, "outside a leaf"},
		{"IPv6 leaf", "Main:\n  |-- ::1\n", 0, "not an IPv4 address"},
		{"bad length", "Main:\n  |-- 10.0.0.1\n     /33 host LOCAL\n", 0, "0-32"},
		{"bad scope", "Main:\n  |-- 10.0.0.1\n     /32 galaxy LOCAL\n", 0, "unknown scope"},
		{"bad type", "Main:\n  |-- 10.0.0.1\n     /32 host local\n", 0, "unknown route type"},
		{"type N", "Main:\n  |-- 10.0.0.1\n     /32 host type 13\n", 0, "want /LEN"},
		{"bad header", "Mian:\n", 0, "not a table header"},
		{"garbage line", "Main:\n\x00\xff\n", 0, "not a fib_trie line"},
		{"bad node", "Main:\n  +-- 10.0.0.0/99 2 0 2\n", 0, "not an IPv4 prefix"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseFibTrie([]byte(tt.in))
			if tt.wantErr == "" {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
			}
			assert.Len(t, got, tt.n)
		})
	}
}

func TestParseFibTrieTooMany(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("Main:\n  |-- 10.0.0.1\n")
	for range MaxFibEntries + 1 {
		b.WriteString("     /32 host LOCAL\n")
	}
	got, err := ParseFibTrie([]byte(b.String()))
	require.ErrorContains(t, err, "more than")
	assert.Empty(t, got)
}

func TestParseIfInet6Capture(t *testing.T) {
	t.Parallel()
	got, err := ParseIfInet6(readTestFile(t, "if_inet6"))
	require.NoError(t, err)
	require.Len(t, got, 3)
	assert.Equal(t, IfInet6{Addr: netip.MustParseAddr("::1"), Index: 1, PrefixLen: 128, Scope: 0x10, Flags: 0x80, Interface: "lo"}, got[0])
	assert.Equal(t, IfInet6{Addr: netip.MustParseAddr("fe80::fc:ff:fe00:1"), Index: 4, PrefixLen: 64, Scope: 0x20, Flags: 0x80, Interface: "eth0"}, got[1])
	assert.Equal(t, IfInet6{Addr: netip.MustParseAddr("fd00::2"), Index: 4, PrefixLen: 64, Scope: 0, Flags: 0x82, Interface: "eth0"}, got[2])
}

func TestParseIfInet6(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		n       int
		wantErr string
	}{
		{"empty: no IPv6 address", "", 0, ""},
		{"blank line", "\n", 0, ""},
		{"short address", "fd00 04 40 00 82 eth0\n", 0, "32 hex"},
		{"non-hex address", "zd000000000000000000000000000002 04 40 00 82 eth0\n", 0, "32 hex"},
		{"prefix over 128", "fd000000000000000000000000000002 04 81 00 82 eth0\n", 0, "in range"},
		{"missing name", "fd000000000000000000000000000002 04 40 00 82\n", 0, "6 fields"},
		{"extra field", "fd000000000000000000000000000002 04 40 00 82 eth0 x\n", 0, "6 fields"},
		{"control character in name", "fd000000000000000000000000000002 04 40 00 82 et\x1bh0\n", 0, "interface name"},
		{"name too long", "fd000000000000000000000000000002 04 40 00 82 abcdefghijklmnop\n", 0, "interface name"},
		{"good then bad", "fd000000000000000000000000000002 04 40 00 82 eth0\nxx\n", 0, "line 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseIfInet6([]byte(tt.in))
			if tt.wantErr == "" {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
			}
			assert.Len(t, got, tt.n)
		})
	}
}

func TestParseNetDevCapture(t *testing.T) {
	t.Parallel()
	got, err := ParseNetDev(readTestFile(t, "dev"))
	require.NoError(t, err)
	assert.Equal(t, []string{"lo", "ifb0", "ifb1", "eth0"}, got)
}

func TestParseNetDev(t *testing.T) {
	t.Parallel()
	const head = "Inter-|   Receive |  Transmit\n face |bytes    packets\n"
	const zeros = " 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
	tests := []struct {
		name    string
		in      string
		want    []string
		wantErr string
	}{
		{"headers only", head, nil, ""},
		{"one interface", head + "vinternal_1:" + zeros, []string{"vinternal_1"}, ""},
		{"empty", "", nil, "no header"},
		{"no header", "eth0:" + zeros, nil, "Inter-|"},
		{"second header missing", "Inter-|\neth0:" + zeros, nil, "face |"},
		{"15 counters", head + "eth0: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n", nil, "16 decimal"},
		{"negative counter", head + "eth0: -1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n", nil, "16 decimal"},
		{"no colon", head + "eth0" + zeros, nil, "NAME:"},
		{"slash in name", head + "a/b:" + zeros, nil, "interface name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseNetDev([]byte(tt.in))
			if tt.wantErr == "" {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}
