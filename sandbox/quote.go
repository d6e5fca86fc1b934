package sandbox

import "strings"

// maxQuote bounds how much of an offending line an error quotes.
const maxQuote = 80

// clip returns at most maxQuote bytes of b, for quoting in an error.
func clip(b []byte) string {
	if len(b) > maxQuote {
		return string(b[:maxQuote]) + "…"
	}
	return string(b)
}

// clipString is clip for strings.
func clipString(s string) string {
	if len(s) > maxQuote {
		return s[:maxQuote] + "…"
	}
	return s
}

func joinSemi(parts []string) string { return strings.Join(parts, "; ") }
