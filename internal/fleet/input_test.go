package fleet

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Stream names given to the fixture's three sandboxes when a format carries
// one (RIE's own stream is "$LATEST"); the first two match the GUIDs the
// sandboxes were started with.
func fixtureStream(i int) string {
	return [...]string{
		"2026/11/25/[$LATEST]0f4b2c7e9d1a4e3b8c6f5a2d1e0b9c8a",
		"2026/11/25/[$LATEST]7a1d3e5f2b4c4d6e8f0a1b2c3d4e5f60",
		"2026/11/25/[$LATEST]$emulator",
	}[i]
}

// fixtureEvents are the fixture's lines with the stream of their sandbox
// (the fixture is three runs one after the other, each starting with a
// START line) and a time.
type fixtureEvent struct {
	line, stream string
	t            time.Time
}

func fixtureEvents(t testing.TB) []fixtureEvent {
	lines := fixtureLines(t)
	isStartup := func(l string) bool { return strings.Contains(l, `"message":"faasprobe.startup"`) }
	var out []fixtureEvent
	run := -1
	base := time.Date(2026, 11, 25, 18, 22, 5, 0, time.UTC)
	for i, l := range lines {
		// a run starts with the START line just before its startup line
		if isStartup(l) && (i == 0 || !strings.HasPrefix(lines[i-1], "START ")) ||
			strings.HasPrefix(l, "START ") && i+1 < len(lines) && isStartup(lines[i+1]) {
			run++
		}
		out = append(out, fixtureEvent{line: l, stream: fixtureStream(max(run, 0)), t: base.Add(time.Duration(i) * time.Millisecond)})
	}
	require.Equal(t, 2, run, "the fixture holds three sandboxes")
	return out
}

// core is the part of a Result every input format must agree on.
type core struct {
	Sandboxes, WithStartup, VMs, Functions int
	Invocations, Cold, First, Reports      int64
	ReportInits                            int64
	Kinds                                  map[string]int64
}

func coreOf(r *Result) core {
	return core{
		Sandboxes: r.Totals.Sandboxes, WithStartup: r.Totals.WithStartup, VMs: r.Totals.VMs, Functions: r.Totals.Functions,
		Invocations: r.Cold.Invocations, Cold: r.Cold.Cold, First: r.Cold.FirstInvocations,
		Reports: r.Reports.Count, ReportInits: r.Reports.WithInit, Kinds: r.Kinds,
	}
}

func gz(t testing.TB, s string) string {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	_, err := w.Write([]byte(s))
	require.NoError(t, err)
	require.NoError(t, w.Close())
	return b.String()
}

// TestFormatsAgree renders the real fixture in every input format and
// checks the analysis finds the same fleet in each, and that fleet is the
// one encoding/json finds in the raw lines.
func TestFormatsAgree(t *testing.T) {
	t.Parallel()
	evs := fixtureEvents(t)
	var lines []string
	for _, e := range evs {
		lines = append(lines, e.line)
	}
	raw := strings.Join(lines, "\n") + "\n"

	var tail, short, color, crlf, tailJSON, perLine strings.Builder
	type event struct {
		LogStreamName string `json:"logStreamName"`
		Timestamp     int64  `json:"timestamp"`
		Message       string `json:"message"`
		IngestionTime int64  `json:"ingestionTime"`
		EventID       string `json:"eventId"`
	}
	var events []event
	for i, e := range evs {
		ts := e.t.Format("2006-01-02T15:04:05.000000") + "+00:00"
		fmt.Fprintf(&tail, "%s %s %s\n", ts, e.stream, e.line)
		fmt.Fprintf(&short, "%s %s\n", e.t.Format("2006-01-02T15:04:05"), e.line)
		fmt.Fprintf(&color, "\x1b[32m%s\x1b[0m \x1b[36m%s\x1b[0m %s\n", ts, e.stream, e.line)
		fmt.Fprintf(&crlf, "%s\r\n", e.line)
		// aws logs tail --format json: JSON messages pretty-printed on the lines after the header
		var v any
		if json.Unmarshal([]byte(e.line), &v) == nil {
			pretty, err := json.MarshalIndent(v, "", "    ")
			require.NoError(t, err)
			fmt.Fprintf(&tailJSON, "%s %s \n%s\n", e.t.Format(time.RFC3339), e.stream, pretty)
		} else {
			fmt.Fprintf(&tailJSON, "%s %s %s\n", e.t.Format(time.RFC3339), e.stream, e.line)
		}
		ev := event{e.stream, e.t.UnixMilli(), e.line + "\n", e.t.UnixMilli() + 100, fmt.Sprint(i)}
		events = append(events, ev)
		b, err := json.Marshal(ev)
		require.NoError(t, err)
		perLine.Write(append(b, '\n'))
	}
	doc, err := json.MarshalIndent(map[string]any{"events": events, "searchedLogStreams": []any{}}, "", "    ")
	require.NoError(t, err)
	// Two pages saved one after the other, the second empty.
	docs := string(doc) + "\n" + `{"events":[],"nextToken":"x"}`
	// Subscription payloads: one per stream, concatenated (as Firehose writes them).
	var subs strings.Builder
	byStream := map[string][]map[string]any{}
	var order []string
	for i, e := range evs {
		if _, ok := byStream[e.stream]; !ok {
			order = append(order, e.stream)
		}
		byStream[e.stream] = append(byStream[e.stream], map[string]any{"id": fmt.Sprint(i), "timestamp": e.t.UnixMilli(), "message": e.line})
	}
	type payload struct { // fields in the order CloudWatch writes them
		MessageType         string           `json:"messageType"`
		Owner               string           `json:"owner"`
		LogGroup            string           `json:"logGroup"`
		LogStream           string           `json:"logStream"`
		SubscriptionFilters []string         `json:"subscriptionFilters"`
		LogEvents           []map[string]any `json:"logEvents"`
	}
	for _, s := range order {
		b, err := json.Marshal(payload{"DATA_MESSAGE", "123456789012", "/aws/lambda/hello", s, []string{"f"}, byStream[s]})
		require.NoError(t, err)
		subs.Write(b)
	}

	ref := referenceFacts(t, lines)
	want := analyze(t, raw)
	assert.Equal(t, len(ref.sandboxes), want.Totals.Sandboxes)
	assert.Equal(t, len(ref.boots), want.Totals.VMs)
	assert.Equal(t, len(ref.functions), want.Totals.Functions)
	assert.Equal(t, int64(ref.invocations), want.Cold.Invocations)
	assert.Equal(t, int64(ref.cold), want.Cold.Cold)
	assert.Equal(t, int64(ref.first), want.Cold.FirstInvocations)
	assert.Equal(t, int64(ref.reports), want.Reports.Count)
	assert.Equal(t, int64(ref.reportInits), want.Reports.WithInit)
	assert.Equal(t, int64(ref.reportInits), want.Reports.Attributed, "REPORTs with Init Duration are tied by request id")
	assert.Equal(t, int64(ref.startups), want.Kinds["startup"])

	wantCore := coreOf(want)
	for _, tt := range []struct {
		name, input, format string
		streams             bool // the format carries log stream names
	}{
		{"aws logs tail", tail.String(), FormatLines, true},
		{"aws logs tail --format short", short.String(), FormatLines, false},
		{"aws logs tail --color on", color.String(), FormatLines, true},
		{"aws logs tail --format json", tailJSON.String(), FormatLines, true},
		{"CRLF", crlf.String(), FormatLines, false},
		{"byte order mark", "\xef\xbb\xbf" + raw, FormatLines, false},
		{"one event per line", perLine.String(), FormatLines, true},
		{"filter-log-events", docs, FormatEvents, true},
		{"subscription payloads", subs.String(), FormatEvents, true},
		{"gzip", gz(t, raw), FormatLines, false},
		{"gzip events", gz(t, docs), FormatEvents, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a := New()
			require.NoError(t, a.Read("x", strings.NewReader(tt.input), -1))
			got := a.Result()
			assert.Equal(t, tt.format, got.Inputs[0].Format)
			assert.Equal(t, wantCore, coreOf(got))
			assert.Empty(t, got.Notes)
			if tt.streams {
				// every REPORT of the two sandboxes named by their stream is tied to them
				assert.Greater(t, got.Reports.Attributed, want.Reports.Attributed, "by stream")
			} else {
				assert.Equal(t, want.Reports.Attributed, got.Reports.Attributed)
			}
		})
	}
}

// TestInterleavedAndDamaged: the fixture shuffled, with damaged copies of
// its lines, junk and blank lines mixed in, gives the same fleet; each
// damaged line is counted under its kind.
func TestInterleavedAndDamaged(t *testing.T) {
	t.Parallel()
	lines := fixtureLines(t)
	want := coreOf(analyze(t, strings.Join(lines, "\n")))
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 5 {
		shuffled := append([]string(nil), lines...)
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		var extra []string
		truncated, malformed := 0, 0
		for _, l := range lines {
			if !strings.HasPrefix(l, "{") {
				continue
			}
			extra = append(extra, l[:1+rng.IntN(len(l)-1)]) // a cut copy
			truncated++
			extra = append(extra, strings.Replace(l, `":`, `"::`, 1)) // a broken copy
			malformed++
		}
		extra = append(extra, "", "   ", "plain text", `{"level":"INFO","message":"app"}`, strings.Repeat("x", 3*readBufferSize))
		all := append(shuffled, extra...)
		rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
		got := analyze(t, strings.Join(all, "\n"))
		gc := coreOf(got)
		assert.Equal(t, int64(truncated), gc.Kinds["json_truncated"], "round %d", round)
		assert.Equal(t, int64(malformed), gc.Kinds["json_malformed"], "round %d", round)
		assert.Equal(t, int64(2), gc.Kinds["blank"])
		assert.Equal(t, int64(1), gc.Kinds["json_other"])
		assert.Equal(t, int64(2), gc.Kinds["not_json"], "plain text and the long line of x")
		for _, k := range []string{"json_truncated", "json_malformed", "blank", "json_other", "not_json"} {
			gc.Kinds[k] = want.Kinds[k]
		}
		assert.Equal(t, want, gc, "round %d", round)
		assert.Equal(t, int64(len(all)), got.Lines)
	}
}

func TestDetect(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
	}{
		{"", FormatLines},
		{"REPORT RequestId: x", FormatLines},
		{`{"timestamp":"…","message":"faasprobe.startup"}`, FormatLines},
		{`{"logStreamName":"s","message":"m"}`, FormatLines},
		{`{"events": 5, "level": "INFO"}`, FormatLines},
		{"{\n    \"events\": [\n", FormatEvents},
		{"\xef\xbb\xbf  {\"logEvents\":[", FormatEvents},
		{`{"messageType":"DATA_MESSAGE"`, FormatEvents},
		{`{"owner":"1"}`, FormatLines},
	}
	for _, tt := range tests {
		got, gz := detect(bufio.NewReader(strings.NewReader(tt.in)))
		assert.False(t, gz)
		assert.Equal(t, tt.want, got, "%q", tt.in)
	}
	_, gz := detect(bufio.NewReader(strings.NewReader("\x1f\x8b\x08")))
	assert.True(t, gz)
}

func TestOddLines(t *testing.T) {
	t.Parallel()
	res := analyze(t, "2026-01-15T10:00:00 hello\n2026-01-15T10:00:00 two words\n")
	assert.Equal(t, int64(2), res.Kinds["not_json"], "a one-word message after a timestamp is a message, not a stream")
	res = analyze(t, `{"events":[{"logStreamName":"s","timestamp":1,"message":"x"}]}{"level":"INFO"}{"nextToken":"t"}`)
	assert.Equal(t, int64(1), res.Kinds["not_json"])
	assert.Equal(t, int64(1), res.Kinds["json_other"], "an object among the documents that is not one")
}

func TestTooLongLine(t *testing.T) {
	t.Parallel()
	l := newLineLogger()
	inv := l.invocation(at(0), "sb1", "r1", 1, "on-demand", 1)
	long := `{"message":"` + strings.Repeat("a", MaxLineBytes+10) + `"}`
	res := analyze(t, inv+"\n"+long+"\n"+inv+"\n"+long)
	assert.Equal(t, int64(2), res.Kinds["too_long"])
	assert.Equal(t, int64(2), res.Kinds["invocation"])
	assert.Equal(t, int64(4), res.Lines)
}

func TestEmptyInput(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", "\n\n", gz(t, ""), "{}", `{"events":[]}`} {
		res := analyze(t, in)
		assert.Zero(t, res.Totals)
		assert.Zero(t, res.Cold.Invocations)
		assert.Zero(t, res.Cold.ColdRate)
		assert.Empty(t, res.Series)
		assert.Empty(t, res.Functions)
		assert.True(t, res.Window.First.IsZero())
		var b bytes.Buffer
		require.NoError(t, WriteText(&b, res))
		assert.Contains(t, b.String(), "Sandboxes")
		_, err := json.Marshal(res)
		assert.NoError(t, err)
	}
}

func TestEventsDocumentCutShort(t *testing.T) {
	t.Parallel()
	l := newLineLogger()
	ev := func(i int) string {
		m, _ := json.Marshal(l.invocation(at(time.Duration(i)*time.Second), fmt.Sprint("sb", i), fmt.Sprint("r", i), 1, "on-demand", 1))
		return fmt.Sprintf(`{"logStreamName":"s","timestamp":%d,"message":%s}`, at(0).UnixMilli(), m)
	}
	doc := `{"events":[` + ev(1) + "," + ev(2) + "," + ev(3)
	cut := doc[:len(doc)-40]
	res := analyze(t, cut)
	assert.Equal(t, int64(2), res.Kinds["invocation"])
	assert.Equal(t, int64(1), res.Kinds["json_truncated"])
	require.Len(t, res.Notes, 1)
	assert.Contains(t, res.Notes[0], "cut short")

	// a broken element is one malformed event; the document goes on
	res = analyze(t, `{"events":[`+ev(1)+`, oops, `+ev(2)+`]}`)
	assert.Equal(t, int64(2), res.Kinds["invocation"])
	assert.Equal(t, int64(1), res.Kinds["json_malformed"])
	assert.Empty(t, res.Notes)
}

// errReader fails after its data.
type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) Read(b []byte) (int, error) {
	n, err := e.r.Read(b)
	if err == io.EOF {
		return n, e.err
	}
	return n, err
}

func TestReadError(t *testing.T) {
	t.Parallel()
	l := newLineLogger()
	in := l.invocation(at(0), "sb1", "r1", 1, "on-demand", 1) + "\n"
	a := New()
	err := a.Read("broken", &errReader{strings.NewReader(in), io.ErrClosedPipe}, 0)
	require.ErrorIs(t, err, io.ErrClosedPipe)
	assert.Contains(t, err.Error(), "broken")
	assert.Equal(t, int64(1), a.Result().Cold.Invocations, "what was read before the error counts")

	err = New().Read("bad.gz", strings.NewReader("\x1f\x8b\x08garbage"), 0)
	assert.ErrorContains(t, err, "gzip")
}

func TestProgress(t *testing.T) {
	t.Parallel()
	var got []Progress
	a := New(WithProgress(func(p Progress) { got = append(got, p) }))
	a.cfg.progressStep = 0
	in := strings.Repeat("x\n", 40000)
	require.NoError(t, a.Read("in", strings.NewReader(in), int64(len(in))))
	require.GreaterOrEqual(t, len(got), 2)
	last := got[len(got)-1]
	assert.True(t, last.Done)
	assert.Equal(t, int64(len(in)), last.Bytes)
	assert.Equal(t, int64(40000), last.Lines)
	for i := 1; i < len(got); i++ {
		assert.GreaterOrEqual(t, got[i].Lines, got[i-1].Lines)
	}
}

func FuzzRead(f *testing.F) {
	lines := fixtureLines(f)
	f.Add(strings.Join(lines, "\n"))
	f.Add(strings.Join(lines[:6], "\n"))
	f.Add(`{"events":[{"logStreamName":"2026/01/15/[$LATEST]0f4b2c7e9d1a4e3b8c6f5a2d1e0b9c8a","timestamp":1736935200123,"message":"REPORT RequestId: r\tDuration: 1 ms\tInit Duration: 2 ms"}]}`)
	f.Add("2026-01-15T10:00:00.123000+00:00 2026/01/15/[$LATEST]abc \n{\n    \"message\": \"faasprobe.invocation\"\n}\n")
	l := newLineLogger()
	f.Add(l.startup(at(0), "fn", "b1", "s1") + "\n" + l.invocation(at(time.Second), "s1", "r1", 1, "on-demand", 1) + "\nREPORT RequestId: r1\tDuration: 1 ms\tInit Duration: 5 ms\n")
	f.Add("\xef\xbb\xbf2026-01-15T10:00:00 START RequestId: r\r\n\x1b[32mx\x1b[0m\n")
	f.Add(`{"logStreamName":"s","timestamp":1736935200123,"message":"{\"message\":\"faasprobe.invocation\",\"sandbox_id\":\"x\",\"invocation\":{\"first\":true,\"cold\":true}}"}`)
	f.Add(l.invocation(at(time.Second), "s1", "r1", 1, "on-demand", 1e308) + "\n" + l.invocation(at(time.Second), "s2", "r2", 1, "on-demand", 1e308) + "\n")
	f.Add(`{"type":"platform.report","record":{"requestId":"r","metrics":{"durationMs":1e400,"initDurationMs":-1}}}`)
	f.Add(`{"messageType":"DATA_MESSAGE","logStream":"a[1]0123456789abcdef0123456789abcdef","logEvents":[{"id":"1","timestamp":1,"message":"x"},1,"s",[]]}{"events":[]}`)
	f.Add(stealFleet())
	f.Fuzz(func(t *testing.T, in string) {
		a := New(WithMaxSandboxes(50), WithMaxBins(8))
		if err := a.Read("fuzz", strings.NewReader(in), int64(len(in))); err != nil {
			return // only gzip inputs can fail to read
		}
		res := a.Result()
		var sum int64
		for _, n := range res.Kinds {
			sum += n
		}
		assert.Equal(t, res.Inputs[0].Records, sum, "every record counted once")
		assert.LessOrEqual(t, int64(res.Totals.Sandboxes), res.Kinds["startup"]+res.Kinds["invocation"])
		assert.LessOrEqual(t, res.Totals.VMs, res.Totals.WithStartup)
		assert.LessOrEqual(t, res.Cold.Cold, res.Cold.Invocations)
		assert.LessOrEqual(t, res.Cold.FirstInvocations, res.Cold.Invocations)
		assert.LessOrEqual(t, res.Reports.WithInit, res.Reports.Count)
		for _, r := range []float64{res.Cold.ColdRate, res.Cold.ProactiveShare, res.Reports.ColdRate} {
			assert.True(t, r >= 0 && r <= 1, "rate %v", r)
		}
		assert.GreaterOrEqual(t, res.Lifetime.Min, 0.0)
		assert.LessOrEqual(t, len(res.Series), 8+1)
		rows, omitted := a.Rows(10)
		assert.LessOrEqual(t, len(rows), 10)
		assert.Equal(t, res.Totals.Sandboxes, len(rows)+omitted)
		for _, r := range rows {
			assert.False(t, r.Last.Before(r.First))
		}
		starts := map[time.Time]bool{}
		for _, b := range res.Series {
			starts[b.Start] = true
		}
		for _, v := range res.Steal.VMs {
			checkStealSeries(t, v.Series, starts)
		}
		for _, f := range res.Steal.Functions {
			checkStealSeries(t, f.Series, starts)
		}
		requireResultRoundTrip(t, res)
	})
}

// checkStealSeries: a steal series is in time order, on the bins of the
// series, with shares and headrooms in range.
func checkStealSeries(t *testing.T, pts []StealPoint, starts map[time.Time]bool) {
	t.Helper()
	for i, p := range pts {
		assert.True(t, starts[p.Start], "a point on a bin of the series: %v", p.Start)
		assert.True(t, i == 0 || pts[i-1].Start.Before(p.Start), "in time order")
		assert.Positive(t, p.Samples)
		assert.True(t, p.StealShare >= 0 && p.StealShare <= 1, "steal share %v", p.StealShare)
		assert.True(t, p.MinHeadroom == -1 || (p.MinHeadroom > 0 && p.MinHeadroom <= 1), "headroom %v", p.MinHeadroom)
	}
}
