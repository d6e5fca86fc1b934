package procfile

import (
	"errors"
	"strings"
)

// Version is /proc/version: the banner "Linux version RELEASE (BUILDER)
// (COMPILER) VERSION" (init/version-timestamp.c, linux_proc_banner),
// from the same utsname as uname -r and -v.
type Version struct {
	Banner  string // the file, trimmed
	Release string // uname -r: "6.1.155-176.282.amzn2023.x86_64"
	// Version is uname -v ("#1 SMP PREEMPT_DYNAMIC …"), or "" when the
	// banner is not of the kernel's shape (then read
	// /proc/sys/kernel/version instead).
	Version string
}

// ParseVersion parses /proc/version. Text that does not start with
// "Linux version " is an error, but its Banner is still returned (it names
// what a non-Linux kernel or an emulation wrote); binary content is an
// error with nothing returned.
func ParseVersion(data []byte) (Version, error) {
	s := strings.TrimSpace(string(data))
	if err := CheckText(s); err != nil {
		return Version{}, err
	}
	rest, ok := strings.CutPrefix(s, "Linux version ")
	if !ok {
		return Version{Banner: s}, errors.New(`does not start with "Linux version "`)
	}
	release, _, _ := strings.Cut(rest, " ")
	return Version{Banner: s, Release: release, Version: bannerVersion(s)}, nil
}

// bannerVersion returns the kernel version (uname -v: "#1 SMP …") that a
// /proc/version banner ends with, or "" when the banner is not of the
// kernel's shape, where each group is parenthesised and may nest ("(gcc
// version 4.8.3 (Red Hat 4.8.3-9) (GCC) )"), the groups may be absent
// (gVisor), and VERSION starts with "#" (scripts/mkcompile_h,
// UTS_VERSION). The banner is trimmed text.
func bannerVersion(banner string) string {
	rest, ok := strings.CutPrefix(banner, "Linux version ")
	if !ok {
		return ""
	}
	if _, rest, ok = strings.Cut(rest, " "); !ok {
		return ""
	}
	for strings.HasPrefix(rest, "(") {
		end, depth := -1, 0
		for i := 0; i < len(rest) && end < 0; i++ {
			switch rest[i] {
			case '(':
				depth++
			case ')':
				if depth--; depth == 0 {
					end = i
				}
			}
		}
		if end < 0 {
			return "" // unbalanced
		}
		rest = strings.TrimPrefix(rest[end+1:], " ")
	}
	if len(rest) < 2 || rest[0] != '#' || strings.ContainsAny(rest, "\n\r") {
		return ""
	}
	return rest
}
