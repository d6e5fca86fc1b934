package warmer

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/faasprobe/faasprobe/internal/excerpt"
)

// Target is one function to keep warm.
type Target struct {
	// Function is the function's name, partial ARN
	// (123456789012:function:name) or full ARN, without a qualifier.
	Function string `json:"function"`
	// Qualifier is a version or alias ("live", "7", "$LATEST"); "" for the
	// unqualified function. Warm what callers invoke: an alias's sandboxes
	// are not $LATEST's.
	Qualifier string `json:"qualifier,omitempty"`
	// Concurrency is how many sandboxes to keep warm (N). 0 means 1.
	Concurrency int `json:"concurrency"`
	// FanOut sends one lambda-warmer style ping ({"concurrency":N}) and lets
	// the first receiver invoke the N−1 others (the target needs
	// WithFanOut); otherwise Ping sends N concurrent pings itself. Default:
	// false.
	FanOut bool `json:"fanout,omitempty"`
}

// String is the target as ParseTarget reads it: function[:qualifier]=N.
func (t Target) String() string {
	s := t.Function
	if t.Qualifier != "" {
		s += ":" + t.Qualifier
	}
	return s + "=" + strconv.Itoa(max(t.Concurrency, 1))
}

// Limits of a plan.
const (
	// MaxTargetConcurrency bounds Target.Concurrency (Lambda's default
	// account concurrency limit).
	MaxTargetConcurrency = 1000
	// MaxPlanPings bounds the pings of one Ping call, all targets together.
	MaxPlanPings = 1000
)

// ParseTarget reads "function[:qualifier][=N]": a function name
// ("my-fn"), partial ARN ("123456789012:function:my-fn") or full ARN
// ("arn:aws:lambda:us-east-1:123456789012:function:my-fn"), an optional
// qualifier after the name (":live", ":7", ":$LATEST"), and the number of
// sandboxes to keep warm (default 1). Names, qualifiers and N are checked
// against Lambda's rules.
func ParseTarget(s string) (Target, error) {
	spec, n := s, "1"
	if i := strings.LastIndexByte(s, '='); i >= 0 {
		spec, n = s[:i], s[i+1:]
	}
	var t Target
	c, err := strconv.Atoi(n)
	if err != nil || c < 1 || c > MaxTargetConcurrency {
		return t, fmt.Errorf("warmer: target %q: concurrency %q: want a whole number from 1 to %d", excerpt.Clip(s), excerpt.Clip(n), MaxTargetConcurrency)
	}
	t.Concurrency = c
	t.Function, t.Qualifier, err = splitFunction(spec)
	if err != nil {
		return Target{}, fmt.Errorf("warmer: target %q: %w", excerpt.Clip(s), err)
	}
	return t, nil
}

// splitFunction splits a function reference into the function (name or
// ARN without qualifier) and the qualifier.
func splitFunction(spec string) (fn, qualifier string, err error) {
	parts := strings.Split(spec, ":")
	var name string
	hasQualifier := false
	switch {
	case parts[0] == "arn": // arn:partition:lambda:region:account:function:name[:qualifier]
		if len(parts) != 7 && len(parts) != 8 || parts[2] != "lambda" || parts[5] != "function" ||
			!isWord(parts[1]) || !isRegion(parts[3]) || !isAccount(parts[4]) {
			return "", "", fmt.Errorf("not a Lambda function ARN (want arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER])")
		}
		name, fn = parts[6], strings.Join(parts[:7], ":")
		if len(parts) == 8 {
			qualifier, hasQualifier = parts[7], true
		}
	case len(parts) >= 3 && parts[1] == "function": // account:function:name[:qualifier]
		if len(parts) > 4 || !isAccount(parts[0]) {
			return "", "", fmt.Errorf("not a partial function ARN (want ACCOUNT:function:NAME[:QUALIFIER])")
		}
		name, fn = parts[2], strings.Join(parts[:3], ":")
		if len(parts) == 4 {
			qualifier, hasQualifier = parts[3], true
		}
	case len(parts) <= 2:
		name, fn = parts[0], parts[0]
		if len(parts) == 2 {
			qualifier, hasQualifier = parts[1], true
		}
	default:
		return "", "", fmt.Errorf("too many ':' for NAME[:QUALIFIER]")
	}
	if err := checkName(name); err != nil {
		return "", "", err
	}
	if hasQualifier {
		if err := checkQualifier(qualifier); err != nil {
			return "", "", err
		}
	}
	return fn, qualifier, nil
}

// checkName: 1–64 of [A-Za-z0-9_-] (Lambda's function name rule).
func checkName(name string) error {
	if name == "" || len(name) > 64 {
		return fmt.Errorf("function name %q: want 1 to 64 characters", excerpt.Clip(name))
	}
	for i := 0; i < len(name); i++ {
		if !isNameByte(name[i]) {
			return fmt.Errorf("function name %q: only letters, digits, '-' and '_' are allowed", excerpt.Clip(name))
		}
	}
	return nil
}

// checkQualifier: "$LATEST", a version (digits) or an alias: 1–128 of
// [A-Za-z0-9_-].
func checkQualifier(q string) error {
	if q == "$LATEST" {
		return nil
	}
	if q == "" || len(q) > 128 {
		return fmt.Errorf("qualifier %q: want $LATEST, a version or an alias of 1 to 128 characters", excerpt.Clip(q))
	}
	for i := 0; i < len(q); i++ {
		if !isNameByte(q[i]) {
			return fmt.Errorf("qualifier %q: only letters, digits, '-' and '_' are allowed (or $LATEST)", excerpt.Clip(q))
		}
	}
	return nil
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}

func isWord(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !(s[i] >= 'a' && s[i] <= 'z' || s[i] >= '0' && s[i] <= '9' || s[i] == '-') {
			return false
		}
	}
	return true
}

func isRegion(s string) bool { return isWord(s) && strings.Count(s, "-") >= 2 }

func isAccount(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
