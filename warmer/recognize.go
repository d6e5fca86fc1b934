package warmer

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/aws/aws-lambda-go/lambdacontext"
)

// Ping formats (Reply.Format).
const (
	// FormatFaasprobe: our own ping, as Ping sends it. It is a member of the
	// lambda-warmer family (so a lambda-warmer target understands it too)
	// with "faasprobe_ping" added.
	FormatFaasprobe = "faasprobe"
	// FormatLambdaWarmer: jeremydaly/lambda-warmer's {"warmer":true,
	// "concurrency":N} and the fanned-out {"warmer":true,
	// "__WARMER_INVOCATION__":i,"__WARMER_CONCURRENCY__":N,
	// "__WARMER_CORRELATIONID__":id}.
	FormatLambdaWarmer = "lambda-warmer"
	// FormatPluginWarmup: serverless-plugin-warmup's
	// {"source":"serverless-plugin-warmup"}, as the payload or as the client
	// context's custom "source".
	FormatPluginWarmup = "serverless-plugin-warmup"
	// FormatScheduledEvent: an EventBridge "Scheduled Event" whose rule name
	// contains RuleMarker (a rule that targets the function directly,
	// without a constant input).
	FormatScheduledEvent = "eventbridge-scheduled-event"
)

// RuleMarker is what an EventBridge rule's name must contain for its
// Scheduled Event to count as a ping (FormatScheduledEvent).
const RuleMarker = "faasprobe-warm"

// pluginSource is serverless-plugin-warmup's default "source" value.
const pluginSource = "serverless-plugin-warmup"

// MaxPingBytes bounds a ping payload: a larger payload is never a ping and
// is passed through without being looked at beyond its length. (An
// EventBridge Scheduled Event is ~400 bytes.)
const MaxPingBytes = 4096

// maxRequested bounds the requested concurrency a payload can express
// before the target's cap; larger numbers read as this.
const maxRequested = 1 << 20

// ping is what a recognised payload asks for.
type ping struct {
	format      string
	requested   int    // requested concurrency, ≥ 1, before the target's cap
	fanOut      bool   // first receiver of a lambda-warmer ping: may fan out
	correlation string // __WARMER_CORRELATIONID__, if printable and short
}

// recognize tells a ping from anything else. The cheap part runs on every
// invocation: the client context's custom "source" (a map lookup), then
// mayBePing's length check and scan. Only a payload that passes the scan
// is decoded (decodePing).
func recognize(ctx context.Context, payload []byte) (ping, bool) {
	if mayBePing(payload) {
		if p, ok := decodePing(payload); ok {
			return p, true
		}
	}
	if ctx != nil {
		if lc, ok := lambdacontext.FromContext(ctx); ok && lc != nil && lc.ClientContext.Custom["source"] == pluginSource {
			return ping{format: FormatPluginWarmup, requested: 1}, true
		}
	}
	return ping{}, false
}

// mayBePing is the fast filter: a ping is at most MaxPingBytes, is a JSON
// object, and contains "warm" as part of one of the markers: the key
// "warmer" (in quotes), "serverless-plugin-warmup", or RuleMarker. Escaped
// spellings (\u0077armer) are not recognised. False means "certainly not a
// ping"; true means "decode it".
func mayBePing(p []byte) bool {
	if len(p) > MaxPingBytes {
		return false
	}
	i := 0
	for i < len(p) && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r') {
		i++
	}
	if i == len(p) || p[i] != '{' {
		return false
	}
	for off := i + 1; ; {
		j := bytes.Index(p[off:], []byte("warm"))
		if j < 0 {
			return false
		}
		at := off + j
		if bytes.HasPrefix(p[at:], []byte(`warmer"`)) && p[at-1] == '"' ||
			bytes.HasSuffix(p[:at], []byte("serverless-plugin-")) ||
			bytes.HasSuffix(p[:at], []byte("faasprobe-")) {
			return true
		}
		off = at + len("warm")
	}
}

// decodePing decodes a payload that passed mayBePing and decides whether it
// is a ping. Keys are matched exactly (case included), at the top level
// only: a ping wrapped in another event (an API Gateway body, an SQS
// message) is not one.
func decodePing(p []byte) (ping, bool) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(p, &m); err != nil {
		return ping{}, false
	}
	if bytes.Equal(m["warmer"], []byte("true")) {
		return lambdaWarmerPing(m), true
	}
	var source string
	if raw, ok := m["source"]; ok && json.Unmarshal(raw, &source) == nil {
		switch source {
		case pluginSource:
			return ping{format: FormatPluginWarmup, requested: max(count(m["concurrency"]), 1)}, true
		case "aws.events":
			if scheduledByMarkedRule(m) {
				return ping{format: FormatScheduledEvent, requested: 1}, true
			}
		}
	}
	return ping{}, false
}

// lambdaWarmerPing reads the lambda-warmer family (index.js of
// jeremydaly/lambda-warmer 1.x): "concurrency" > 1 on the first receiver
// asks it to fan out, unless "test" is set; the fanned pings carry
// __WARMER_INVOCATION__ (their number, 2…N) and __WARMER_CONCURRENCY__ (N)
// instead, and never fan out again. Numbers may be JSON numbers or numeric
// strings (as lambda-warmer's isNaN test allows); fractions are truncated.
func lambdaWarmerPing(m map[string]json.RawMessage) ping {
	p := ping{format: FormatLambdaWarmer}
	if _, ok := m["faasprobe_ping"]; ok {
		p.format = FormatFaasprobe
	}
	conc := count(m["concurrency"])
	total := count(m["__WARMER_CONCURRENCY__"])
	_, fanned := m["__WARMER_INVOCATION__"]
	_, total2 := m["__WARMER_CONCURRENCY__"]
	fanned = fanned || total2
	p.requested = max(conc, total, 1)
	p.fanOut = conc > 1 && !fanned && !truthy(m["test"])
	var id string
	if raw, ok := m["__WARMER_CORRELATIONID__"]; ok && json.Unmarshal(raw, &id) == nil && printableID(id) {
		p.correlation = id
	}
	return p
}

// count reads a JSON number or numeric string as a non-negative count,
// truncated, at most maxRequested; anything else is 0.
func count(raw json.RawMessage) int {
	if len(raw) == 0 {
		return 0
	}
	s := string(raw)
	if raw[0] == '"' {
		if json.Unmarshal(raw, &s) != nil {
			return 0
		}
		s = strings.TrimSpace(s)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || f < 1 {
		return 0
	}
	if f >= maxRequested {
		return maxRequested
	}
	return int(f)
}

// truthy is JavaScript truthiness for a JSON value, as lambda-warmer tests
// its "test" flag: false, 0, "", null and absence are false.
func truthy(raw json.RawMessage) bool {
	switch string(raw) {
	case "", "false", "0", `""`, "null":
		return false
	}
	return true
}

// scheduledByMarkedRule: an EventBridge Scheduled Event
// ("detail-type":"Scheduled Event", "source":"aws.events") from a rule
// whose name (the part of a resources ARN after ":rule/") contains
// RuleMarker.
func scheduledByMarkedRule(m map[string]json.RawMessage) bool {
	var detailType string
	if json.Unmarshal(m["detail-type"], &detailType) != nil || detailType != "Scheduled Event" {
		return false
	}
	var resources []string
	if json.Unmarshal(m["resources"], &resources) != nil {
		return false
	}
	for _, arn := range resources {
		if _, name, ok := strings.Cut(arn, ":rule/"); ok && strings.Contains(name, RuleMarker) {
			return true
		}
	}
	return false
}

// printableID accepts a correlation id worth echoing: 1–64 printable ASCII
// characters (the payload is not trusted).
func printableID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}
