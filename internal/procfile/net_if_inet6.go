package procfile

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
)

// MaxIfInet6Entries bounds the addresses ParseIfInet6 returns.
const MaxIfInet6Entries = 4096

// IfInet6 is one line of /proc/net/if_inet6: an IPv6 address of an
// interface.
type IfInet6 struct {
	Addr      netip.Addr
	Index     uint32 // interface index
	PrefixLen int    // 0–128
	// Scope is the kernel's address scope: 0x00 global, 0x10 host
	// (loopback), 0x20 link, 0x40 site.
	Scope uint8
	// Flags are the IFA_F_* flags (0x80 permanent, 0x40 tentative, …).
	Flags     uint8
	Interface string
}

// ParseIfInet6 parses /proc/net/if_inet6 (net/ipv6/addrconf.c,
// if6_seq_show): one address per line, "ADDR32HEX IDX PLEN SCOPE FLAGS
// NAME", the numbers in hex. An empty file (no IPv6 address) gives no
// entries and no error. A malformed line, or more than MaxIfInet6Entries,
// is an error naming the line (and no entries).
func ParseIfInet6(data []byte) ([]IfInet6, error) {
	var out []IfInet6
	n := 0
	for line := range bytes.Lines(data) {
		n++
		line = bytes.TrimRight(line, "\n")
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if len(out) == MaxIfInet6Entries {
			return nil, netLineError(n, line, fmt.Errorf("more than %d addresses", MaxIfInet6Entries))
		}
		e, err := parseIfInet6Line(line)
		if err != nil {
			return nil, netLineError(n, line, err)
		}
		out = append(out, e)
	}
	return out, nil
}

func parseIfInet6Line(line []byte) (IfInet6, error) {
	var f [6][]byte
	rest := line
	for i := range f {
		rest = bytes.TrimLeft(rest, " ")
		end := bytes.IndexByte(rest, ' ')
		if end < 0 {
			end = len(rest)
		}
		f[i], rest = rest[:end], rest[end:]
	}
	if len(f[5]) == 0 || len(bytes.TrimSpace(rest)) != 0 {
		return IfInet6{}, errors.New("want 6 fields")
	}
	var a [16]byte
	if len(f[0]) != 32 {
		return IfInet6{}, errors.New("address is not 32 hex digits")
	}
	if _, err := hex.Decode(a[:], f[0]); err != nil {
		return IfInet6{}, errors.New("address is not 32 hex digits")
	}
	idx, err1 := strconv.ParseUint(string(f[1]), 16, 32)
	plen, err2 := strconv.ParseUint(string(f[2]), 16, 8)
	scope, err3 := strconv.ParseUint(string(f[3]), 16, 8)
	flags, err4 := strconv.ParseUint(string(f[4]), 16, 8)
	if err := errors.Join(err1, err2, err3, err4); err != nil || plen > 128 {
		return IfInet6{}, errors.New("index, prefix length, scope or flags is not hex in range")
	}
	name, err := InterfaceName(f[5])
	if err != nil {
		return IfInet6{}, err
	}
	return IfInet6{
		Addr: netip.AddrFrom16(a), Index: uint32(idx), PrefixLen: int(plen),
		Scope: uint8(scope), Flags: uint8(flags), Interface: name,
	}, nil
}

// InterfaceName checks a network interface name as the kernel allows it
// (net/core/dev.c dev_valid_name: 1–15 bytes, not "." or "..", no '/',
// ':' or white space), further limited to printable ASCII so that a name
// never carries control characters or invalid UTF-8 into an output.
func InterfaceName(b []byte) (string, error) {
	if len(b) == 0 || len(b) > 15 || string(b) == "." || string(b) == ".." {
		return "", errors.New("not an interface name")
	}
	for _, c := range b {
		if c <= ' ' || c >= 0x7f || c == '/' || c == ':' {
			return "", errors.New("not an interface name")
		}
	}
	return string(b), nil
}
