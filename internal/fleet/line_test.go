package fleet

import (
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/coldstart"
)

// TestParseFixtureLines checks every line of a real hello run against what
// encoding/json reads from it.
func TestParseFixtureLines(t *testing.T) {
	t.Parallel()
	p := newParser()
	for i, l := range fixtureLines(t) {
		r := p.parseMessage([]byte(l))
		var h helloLine
		isJSON := json.Unmarshal([]byte(l), &h) == nil
		switch {
		case strings.HasPrefix(l, "REPORT RequestId: "):
			assert.Equal(t, KindReport, r.kind, "line %d", i+1)
			assert.True(t, strings.HasPrefix(l, "REPORT RequestId: "+string(r.requestID)+"\t"), "line %d", i+1)
			assert.Equal(t, strings.Contains(l, "\tInit Duration: "), r.rep.hasInit, "line %d", i+1)
			assert.Positive(t, r.rep.durationMs)
		case strings.HasPrefix(l, "START ") || strings.HasPrefix(l, "END "):
			assert.Equal(t, KindPlatform, r.kind, "line %d", i+1)
		case isJSON && h.Message == msgStartup:
			require.Equal(t, KindStartup, r.kind, "line %d", i+1)
			assert.Equal(t, h.Sandbox.ID, string(r.sandboxID))
			assert.Equal(t, h.Host.BootID, string(r.st.bootID))
			assert.Equal(t, h.Platform.FunctionName, string(r.st.function))
			var full struct {
				Timestamp time.Time `json:"timestamp"`
				Host      struct {
					CPU struct {
						ModelName string `json:"model_name"`
						CacheKB   int    `json:"cache_kb"`
					} `json:"cpu"`
					Instance struct {
						Families []string `json:"family_candidates"`
					} `json:"instance"`
				} `json:"host"`
				Sandbox struct {
					IDScope   string `json:"id_scope"`
					CoTenants struct {
						PerVM int `json:"per_vm"`
					} `json:"co_tenants"`
				} `json:"sandbox"`
			}
			require.NoError(t, json.Unmarshal([]byte(l), &full))
			assert.Equal(t, full.Timestamp.UnixNano(), r.ts)
			assert.Equal(t, full.Host.CPU.ModelName, string(r.st.cpuModel))
			assert.Equal(t, full.Host.CPU.CacheKB, r.st.cacheKB)
			assert.Equal(t, strings.Join(full.Host.Instance.Families, ","), string(r.st.families))
			assert.Equal(t, full.Sandbox.IDScope, string(r.st.idScope))
			assert.Equal(t, full.Sandbox.CoTenants.PerVM, r.st.coTenants)
		case isJSON && h.Message == msgInvocation:
			require.Equal(t, KindInvocation, r.kind, "line %d", i+1)
			assert.Equal(t, h.SandboxID, string(r.sandboxID))
			assert.Equal(t, h.RequestID, string(r.requestID))
			assert.Equal(t, h.Invocation.First, r.inv.first)
			assert.Equal(t, h.Invocation.Cold, r.inv.cold)
			assert.Equal(t, h.Invocation.Reason, string(r.inv.reason))
			assert.Equal(t, h.Invocation.Seq, r.inv.seq)
			var full struct {
				Invocation struct {
					Time        time.Time `json:"time"`
					SinceInitMs float64   `json:"since_init_ms"`
				} `json:"invocation"`
			}
			require.NoError(t, json.Unmarshal([]byte(l), &full))
			assert.Equal(t, full.Invocation.Time.UnixNano(), r.ts)
			assert.InDelta(t, full.Invocation.SinceInitMs, r.inv.sinceInitMs, 1e-9)
		default:
			t.Errorf("line %d: unexpected line in the fixture: %.80s", i+1, l)
		}
	}
}

func TestParseMessageKinds(t *testing.T) {
	t.Parallel()
	l := newLineLogger()
	tests := []struct {
		name string
		in   string
		want Kind
	}{
		{"startup", l.startup(at(0), "fn", "boot-1", "sb1"), KindStartup},
		{"invocation", l.invocation(at(0), "sb1", "req-1", 1, coldstart.ReasonOnDemand, 2), KindInvocation},
		{"startup without sandbox id", `{"message":"faasprobe.startup","host":{"boot_id":"b"}}`, KindIncomplete},
		{"invocation without sandbox id", `{"message":"faasprobe.invocation","invocation":{"first":true}}`, KindIncomplete},
		{"invocation without its group", `{"message":"faasprobe.invocation","sandbox_id":"x"}`, KindIncomplete},
		{"warmer round", `{"message":"faasprobe.warmer.round","report":{}}`, KindFaasprobeOther},
		{"platform.report", `{"time":"2026-01-15T10:00:00.000Z","type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":1.5,"billedDurationMs":2,"memorySizeMB":128,"maxMemoryUsedMB":30,"initDurationMs":80.25}}}`, KindReport},
		{"platform.report without metrics", `{"type":"platform.report","record":{"requestId":"r"}}`, KindIncomplete},
		{"platform.start", `{"time":"2026-01-15T10:00:00.000Z","type":"platform.start","record":{"requestId":"r"}}`, KindPlatform},
		{"REPORT text", "REPORT RequestId: r\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 20 MB\t", KindReport},
		{"REPORT without Duration", "REPORT RequestId: r\tMemory Size: 128 MB\t", KindIncomplete},
		{"REPORT with a bad duration", "REPORT RequestId: r\tDuration: soon ms\t", KindIncomplete},
		{"START", "START RequestId: r Version: $LATEST", KindPlatform},
		{"END", "END RequestId: r", KindPlatform},
		{"INIT_START", "INIT_START Runtime Version: provided:al2023.v80\tRuntime Version ARN: arn:aws:lambda:…", KindPlatform},
		{"XRAY", "XRAY TraceId: 1-5e1b4151-43a0913a12345678\tSegmentId: 6d3d1ab1\tSampled: true", KindPlatform},
		{"app JSON", `{"level":"INFO","message":"order stored","order":7}`, KindOtherJSON},
		{"app text", "order 7 stored", KindNotJSON},
		{"truncated", `{"message":"faasprobe.invocation","sandbox_id":"x","invoc`, KindTruncated},
		{"malformed", `{"message":"faasprobe.invocation",}`, KindMalformed},
		{"blank", "  \t ", KindBlank},
		{"event envelope", `{"logStreamName":"2026/01/15/[$LATEST]0123456789abcdef0123456789abcdef","timestamp":1736935200123,"message":"REPORT RequestId: r\tDuration: 1.00 ms\t\n","ingestionTime":1736935200300,"eventId":"1"}`, KindReport},
		{"event envelope with a bad message", `{"logStreamName":"s","timestamp":1,"message":"{\"a\":"}`, KindTruncated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := newParser().parseMessage([]byte(tt.in))
			assert.Equal(t, tt.want, r.kind, "%s", r.kind)
		})
	}
}

func TestParseReports(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want reportFacts
		req  string
		ts   int64
	}{
		{
			name: "Lambda text, Init Duration last, X-Ray after a newline",
			in:   "REPORT RequestId: 6f1c\tDuration: 1.52 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 19 MB\tInit Duration: 62.31 ms\t\nXRAY TraceId: 1-5e1b\tSegmentId: 6d3d\tSampled: true\t",
			want: reportFacts{durationMs: 1.52, billedMs: 2, initMs: 62.31, hasInit: true, hasDuration: true, memoryMB: 128, maxMemoryMB: 19},
			req:  "6f1c",
		},
		{
			name: "emulator text, no init",
			in:   "REPORT RequestId: 3325\tDuration: 0.71 ms\tBilled Duration: 1 ms\tMemory Size: 3008 MB\tMax Memory Used: 3008 MB\t",
			want: reportFacts{durationMs: 0.71, billedMs: 1, hasDuration: true, memoryMB: 3008, maxMemoryMB: 3008},
			req:  "3325",
		},
		{
			name: "JSON log format",
			in:   `{"time":"2026-01-15T10:00:00.250Z","type":"platform.report","record":{"requestId":"abc","metrics":{"durationMs":12.5,"billedDurationMs":13,"memorySizeMB":512,"maxMemoryUsedMB":71,"initDurationMs":180.07},"status":"success"}}`,
			want: reportFacts{durationMs: 12.5, billedMs: 13, initMs: 180.07, hasInit: true, hasDuration: true, memoryMB: 512, maxMemoryMB: 71},
			req:  "abc",
			ts:   time.Date(2026, 1, 15, 10, 0, 0, 250e6, time.UTC).UnixNano(),
		},
		{
			name: "memory that is not a whole number is unknown",
			in:   "REPORT RequestId: x\tDuration: 9.14 ms\tMemory Size: lots MB\t",
			want: reportFacts{durationMs: 9.14, hasDuration: true},
			req:  "x",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := newParser().parseMessage([]byte(tt.in))
			require.Equal(t, KindReport, r.kind)
			assert.Equal(t, tt.want, r.rep)
			assert.Equal(t, tt.req, string(r.requestID))
			assert.Equal(t, tt.ts, r.ts)
		})
	}
}

func TestParseEscapedValues(t *testing.T) {
	t.Parallel()
	in := `{"message":"faasprobe\u002einvocation","sandbox_id":"a\"b","requestId":"r\/1","invocation":{"first":true,"cold":true,"reason":"on-demand","seq":1}}`
	r := newParser().parseMessage([]byte(in))
	require.Equal(t, KindInvocation, r.kind)
	assert.Equal(t, `a"b`, string(r.sandboxID))
	assert.Equal(t, "r/1", string(r.requestID))
}

func TestSplitPrefix(t *testing.T) {
	t.Parallel()
	ts := time.Date(2026, 1, 15, 10, 0, 0, 123000000, time.UTC).UnixNano()
	tests := []struct {
		name        string
		in          string
		ts          int64
		stream, msg string
		ok          bool
	}{
		{"tail detailed", "2026-01-15T10:00:00.123000+00:00 2026/01/15/[$LATEST]abc {\"a\":1}", ts, "2026/01/15/[$LATEST]abc", `{"a":1}`, true},
		{"tail short", "2026-01-15T10:00:00.123 {\"a\":1}", ts, "", `{"a":1}`, true},
		{"export with REPORT", "2026-01-15T10:00:00.123Z REPORT RequestId: r\tDuration: 1 ms", ts, "", "REPORT RequestId: r\tDuration: 1 ms", true},
		{"tail json header", "2026-01-15T10:00:00.123000+00:00 2026/01/15/[$LATEST]abc ", ts, "2026/01/15/[$LATEST]abc", "", true},
		{"raw JSON", `{"timestamp":"2026-01-15T10:00:00Z"}`, 0, "", `{"timestamp":"2026-01-15T10:00:00Z"}`, false},
		{"digits but no timestamp", "2026 was a year", 0, "", "2026 was a year", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			gotTS, stream, msg, ok := splitPrefix([]byte(tt.in))
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.ts, gotTS)
			assert.Equal(t, tt.stream, string(stream))
			assert.Equal(t, tt.msg, string(msg))
		})
	}
}

func TestStreamGUID(t *testing.T) {
	t.Parallel()
	const guid = "5f0d3a29c1b84e6f9a7d2c8b1e4f6a03"
	assert.Equal(t, guid, string(streamGUID([]byte("2026/01/15/[$LATEST]"+guid))))
	assert.Equal(t, guid, string(streamGUID([]byte("2026/01/15/orders[12]"+guid))))
	assert.Nil(t, streamGUID([]byte("$LATEST")))
	assert.Nil(t, streamGUID([]byte("2026/01/15/[$LATEST]"+guid[:31]+"x")))
	assert.Nil(t, streamGUID([]byte(guid)))
}

func TestParseDecimal(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"0", "12", "12.375", "0.000001", "2401411.190333", "999999999999999"} {
		got, ok := parseDecimal([]byte(s))
		assert.True(t, ok, s)
		var want float64
		require.NoError(t, json.Unmarshal([]byte(s), &want))
		assert.Equal(t, want, got, s)
	}
	for _, s := range []string{"", ".5", "5.", "-1", "1e3", "1.2.3", "1234567890123456"} {
		_, ok := parseDecimal([]byte(s))
		assert.False(t, ok, s)
	}
}

func FuzzParseMessage(f *testing.F) {
	for _, l := range fixtureLines(f) {
		f.Add([]byte(l))
	}
	f.Add([]byte(`{"time":"2026-01-15T10:00:00.000Z","type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":1.5,"initDurationMs":80}}}`))
	f.Add([]byte(`{"logStreamName":"s","timestamp":1736935200123,"message":"{\"message\":\"faasprobe.invocation\",\"sandbox_id\":\"x\",\"invocation\":{\"first\":true}}"}`))
	f.Add([]byte("REPORT RequestId: r\tDuration: 1.00 ms\tInit Duration: 3.5 ms"))
	f.Add([]byte(`{"message":"faasprobe.invocation","sandbox_id":"x","invocation":{"first":true},"vm":{"memory_available_bytes":1e400,"cpu_ms":-1,"steal_ms":"x","reset":"boot"}}`))
	l := newLineLogger()
	f.Add([]byte(l.ping(at(0), "s1", 1, "on-demand")))
	f.Add([]byte(l.shutdown(at(time.Minute), "s1", coldstart.SandboxStats{ProcessStart: at(0)}, slog.Group("shutdown", slog.String("reason", "spindown"), slog.Float64("lifetime_ms", 60000)))))
	f.Add([]byte(`{"time":"2026-01-15T10:00:00Z","level":"INFO","msg":"faasprobe.invocation","sandbox_id":"x","invocation":{"first":true,"cold":true}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p := newParser()
		r := p.parseMessage(b)
		assert.Less(t, r.kind, numKinds)
		switch r.kind {
		case KindStartup:
			assert.NotEmpty(t, r.sandboxID)
		case KindInvocation:
			assert.NotEmpty(t, r.sandboxID)
			assert.True(t, r.inv.seen)
		case KindShutdown:
			assert.NotEmpty(t, r.sandboxID)
			assert.GreaterOrEqual(t, r.end.lifetimeMs, 0.0)
		case KindReport:
			assert.NotEmpty(t, r.requestID)
			assert.True(t, r.rep.hasDuration)
			assert.GreaterOrEqual(t, r.rep.durationMs, 0.0)
			assert.GreaterOrEqual(t, r.rep.initMs, 0.0)
		case KindTruncated, KindMalformed, KindBlank, KindNotJSON:
			assert.Empty(t, r.sandboxID)
		}
		if !r.rep.hasInit {
			assert.Zero(t, r.rep.initMs)
		}
		// the same bytes parse the same way again (no state leaks between lines)
		kind := r.kind
		r2 := p.parseMessage(b)
		assert.Equal(t, kind, r2.kind)
	})
}
