package sandbox

import "strings"

func joinSemi(parts []string) string { return strings.Join(parts, "; ") }
