package fleet

import (
	"encoding/json"
	"log/slog"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/coldstart"
	"github.com/faasprobe/faasprobe/hostinfo"
	"github.com/faasprobe/faasprobe/internal/logline"
	"github.com/faasprobe/faasprobe/internal/vmstat"
	"github.com/faasprobe/faasprobe/sandbox"
	"github.com/faasprobe/faasprobe/warmer"
)

// docsPath is the document whose Logs Insights queries and OpenTelemetry
// table are checked here.
const docsPath = "../../docs/fleet.md"

// flatten adds the Logs Insights names of every field of a JSON value:
// nested keys joined with dots, array elements by index ("a.0").
func flatten(prefix string, v any, out map[string]bool) {
	join := func(k string) string {
		if prefix == "" {
			return k
		}
		return prefix + "." + k
	}
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			flatten(join(k), x, out)
		}
	case []any:
		out[prefix] = true // the array itself, as a whole
		for i, x := range v {
			flatten(join(strconv.Itoa(i)), x, out)
		}
	default:
		out[prefix] = true
	}
}

// writtenFields derives the fields faasprobe's lines carry, from two
// sources that are not a list kept by hand:
//
//   - the lines examples/hello wrote under the emulator (the fixture; the
//     tests of examples/internal/fleetgen keep it equal in shape to a live
//     run), for the top-level layout hello chose;
//   - the lines internal/logline writes (startup, invocation, a ping's
//     invocation line, shutdown) from the real types, filled so that
//     optional fields appear — so a field the library adds or renames is
//     seen even before the fixture is recorded again.
func writtenFields(t *testing.T) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	groups := map[string]bool{}
	for _, l := range fixtureLines(t) {
		var v map[string]any
		if json.Unmarshal([]byte(l), &v) != nil {
			continue
		}
		flatten("", v, out)
		for k, x := range v {
			if _, ok := x.(map[string]any); ok {
				groups[k] = true
			}
		}
	}
	require.Equal(t, map[string]bool{"platform": true, "host": true, "sandbox": true, "invocation": true}, groups, "the groups of hello's lines")

	var h hostinfo.Host
	h.Machine.NetDrivers = []string{"ena"}
	h.Machine.Instance = hostinfo.Instance{TypeCandidates: []string{"c5.large"}, FamilyCandidates: []string{"c5"}, HostCPUCandidates: []string{"x"}}
	h.Machine.Network = hostinfo.Network{Addresses: []string{"10.12.3.4/20"}, Interfaces: []string{"vinternal_1"}}
	h.Problems = []hostinfo.Problem{{Source: "s", Error: "e"}}
	sb := sandbox.Sandbox{ID: "x", AvailabilityZoneID: "use1-az1", Problems: []sandbox.Problem{{Source: "s", Error: "e"}}}
	inv := coldstart.Invocation{RequestID: "r", Clamped: true, Time: time.Unix(1, 0)}
	ping := warmer.Reply{SandboxID: "x", Format: "serverless-plugin-warmup", Capped: true, CorrelationID: "c", FanOutSent: 1, FanOutFailed: 1, FanOutError: "e"}
	stats := coldstart.SandboxStats{Problems: []string{"p"}}
	l := newLineLogger()
	for _, attrs := range [][]slog.Attr{
		logline.StartupAttrs(h, sb, h.Problems, time.Millisecond),
		append(logline.InvocationAttrs(nil, "r", "x", inv), slog.Any("ping", ping)),
		// an invocation line with a VM sample (faasprobe.WithVMStats)
		append(logline.InvocationAttrs(nil, "r", "x", inv), logline.VM(vmstat.Sample{Reset: vmstat.ResetBoot, Problem: "p"})),
		// the Lambda extension's shutdown line: logline.Shutdown with the
		// end it saw under "shutdown"
		{slog.String(logline.KeySandboxID, "x"), slog.String(logline.KeySource, logline.SourceExtension), slog.Any("stats", stats),
			slog.Group("shutdown", slog.String("reason", "spindown"), slog.Float64("lifetime_ms", 1))},
	} {
		var v map[string]any
		require.NoError(t, json.Unmarshal([]byte(l.line(time.Unix(1, 0), "m", attrs...)), &v))
		flatten("", v, out)
	}
	return out
}

// attributeNames are the OpenTelemetry attribute keys the types produce.
func attributeNames() map[string]bool {
	var h hostinfo.Host
	h.Platform = hostinfo.Platform{Provider: "aws", Service: "lambda", Region: "r", FunctionName: "f", FunctionVersion: "1", MemoryLimitMB: 128}
	h.Machine.Arch, h.Machine.BootID = "amd64", "b"
	h.Machine.Kernel.Release = "k"
	h.Machine.CPU = hostinfo.CPU{Vendor: "v", ModelName: "m", Count: 2, Family: 6, Model: 85, Microarchitecture: "u"}
	h.Machine.MemoryTotalBytes = 1
	h.Machine.Hypervisor.Kind = "kvm"
	h.Machine.DMI = hostinfo.DMI{SysVendor: "Amazon EC2", ProductName: "c5.large"}
	h.Machine.Instance = hostinfo.Instance{TypeCandidates: []string{"c5.large"}, FamilyCandidates: []string{"c5"}, HostCPUCandidates: []string{"x"}, Confidence: "high"}
	h.Machine.Network = hostinfo.Network{Addresses: []string{"10.12.3.4/20"}}
	sb := sandbox.Sandbox{ID: "x", IDSource: "s", IDScope: "sandbox", User: "u", UID: 1, Isolation: "microvm", LogStream: "ls",
		BootID: "b", AvailabilityZoneID: "z", Limits: sandbox.Limits{MemoryLimitMB: 1, VCPUEntitlement: 1, CgroupMemoryLimitBytes: 1}}
	inv := coldstart.Invocation{RequestID: "r"}
	out := map[string]bool{}
	for _, attrs := range [][]slog.Attr{h.Attributes(), sb.Attributes(), inv.Attributes()} {
		for _, a := range attrs {
			out[a.Key] = true
		}
	}
	return out
}

// logsInsightsQueries returns the ```logs-insights blocks of the docs.
func logsInsightsQueries(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(docsPath)
	require.NoError(t, err)
	var queries []string
	var cur []string
	in := false
	for _, line := range strings.Split(string(b), "\n") {
		switch {
		case !in && strings.TrimSpace(line) == "```logs-insights":
			in, cur = true, nil
		case in && strings.TrimSpace(line) == "```":
			in = false
			queries = append(queries, strings.Join(cur, "\n"))
		case in:
			cur = append(cur, line)
		}
	}
	require.False(t, in, "unterminated query block")
	return queries
}

// queryFields returns the field names a Logs Insights query uses: words
// (dotted) outside string and regex literals, less keywords, functions
// (a word before "("), aliases ("as x"), numbers and durations (5m),
// and @ system fields.
func queryFields(q string) []string {
	aliases := map[string]bool{}
	// Named groups of a parse regex ("(?<net16>...)") are fields the query makes.
	for _, m := range regexp.MustCompile(`\(\?<([A-Za-z_][A-Za-z0-9_]*)>`).FindAllStringSubmatch(q, -1) {
		aliases[m[1]] = true
	}
	strs := regexp.MustCompile(`"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|/(?:[^/\\]|\\.)+/`)
	q = strs.ReplaceAllString(q, " ")
	q = regexp.MustCompile(`\b[0-9][0-9A-Za-z_.]*`).ReplaceAllString(q, " ") // numbers, durations (5m)
	words := regexp.MustCompile(`@?[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*(\s*\()?`)
	keywords := map[string]bool{
		"filter": true, "stats": true, "fields": true, "sort": true, "limit": true, "by": true, "as": true,
		"and": true, "or": true, "not": true, "in": true, "like": true, "asc": true, "desc": true,
		"display": true, "parse": true, "dedup": true,
	}
	for _, m := range regexp.MustCompile(`\bas\s+([A-Za-z_][A-Za-z0-9_]*)`).FindAllStringSubmatch(q, -1) {
		aliases[m[1]] = true
	}
	var out []string
	for _, m := range words.FindAllStringSubmatch(q, -1) {
		w := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(m[0]), "("))
		switch {
		case m[1] != "", strings.HasPrefix(w, "@"), keywords[w], aliases[w]:
			continue
		}
		out = append(out, w)
	}
	return out
}

func TestQueryFields(t *testing.T) {
	t.Parallel()
	got := queryFields(`filter message = "faasprobe.x" and @type = "REPORT"
| stats count(*) as n, sum(invocation.reason = "on-demand") / count(*) as r by bin(5m), host.boot_id
| sort n desc`)
	assert.Equal(t, []string{"message", "invocation.reason", "host.boot_id"}, got)
}

// TestLogsInsightsFields: every field the documented queries use is one
// the library writes.
func TestLogsInsightsFields(t *testing.T) {
	t.Parallel()
	written := writtenFields(t)
	queries := logsInsightsQueries(t)
	require.GreaterOrEqual(t, len(queries), 5, "cold-start rate, REPORT rate, sandboxes per VM, hopping, lifetimes, CPUs")
	var all []string
	ours := 0 // queries on faasprobe's fields (the REPORT one uses only Lambda's @ fields)
	for i, q := range queries {
		fields := queryFields(q)
		if len(fields) > 0 {
			ours++
		}
		for _, f := range fields {
			all = append(all, f)
			assert.True(t, written[f], "query %d uses %q, which no faasprobe line carries:\n%s", i+1, f, q)
		}
	}
	assert.GreaterOrEqual(t, ours, 5)
	for _, must := range []string{"message", "invocation.reason", "host.boot_id", "sandbox.id", "sandbox_id"} {
		assert.Contains(t, all, must, "the queries cover %s", must)
	}
}

// TestOpenTelemetryTable: the docs' table maps fields the lines carry to
// attribute names the types' Attributes() produce.
func TestOpenTelemetryTable(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(docsPath)
	require.NoError(t, err)
	_, table, ok := strings.Cut(string(b), "| log field | OpenTelemetry attribute |")
	require.True(t, ok, "the OpenTelemetry table")
	written, attrs := writtenFields(t), attributeNames()
	tick := regexp.MustCompile("`([^`]+)`")
	rows := 0
	for _, line := range strings.Split(table, "\n")[2:] {
		if !strings.HasPrefix(line, "| `") {
			break
		}
		cols := strings.Split(line, "|")
		require.Len(t, cols, 4, line)
		field := tick.FindStringSubmatch(cols[1])
		attr := tick.FindStringSubmatch(cols[2])
		require.NotNil(t, field, line)
		require.NotNil(t, attr, line)
		assert.True(t, written[field[1]], "%q is not a field of the lines", field[1])
		assert.True(t, attrs[attr[1]], "%q is not an attribute the types produce", attr[1])
		rows++
	}
	assert.GreaterOrEqual(t, rows, 20)
}

// TestParserReadsWrittenFields: the paths the parser reads (every quoted
// dotted name in visitValue's cases) are fields the lines carry, or those
// of Lambda's records and CloudWatch's envelopes.
func TestParserReadsWrittenFields(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("line.go")
	require.NoError(t, err)
	_, body, ok := strings.Cut(string(src), "func (p *parser) visitValue(")
	require.True(t, ok)
	body, _, _ = strings.Cut(body, "\n}\n")
	written := writtenFields(t)
	notOurs := []string{"type", "time", "msg", "logStreamName", "eventId", "ingestionTime",
		"record.requestId", "record.metrics.durationMs", "record.metrics.billedDurationMs", "record.metrics.initDurationMs",
		"record.metrics.memorySizeMB", "record.metrics.maxMemoryUsedMB"}
	n := 0
	for _, m := range regexp.MustCompile(`case ([^:]+):`).FindAllStringSubmatch(body, -1) {
		for _, q := range regexp.MustCompile(`"([^"]+)"`).FindAllStringSubmatch(m[1], -1) {
			n++
			if !slices.Contains(notOurs, q[1]) {
				assert.True(t, written[q[1]], "the parser reads %q, which no faasprobe line carries", q[1])
			}
		}
	}
	assert.Greater(t, n, 30)
}
