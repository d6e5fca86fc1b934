package fleet

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
)

// Input formats, detected per input from its first bytes.
const (
	// FormatLines: one log record per line — raw JSON lines, Lambda text
	// lines, `aws logs tail` output (detailed, short or json), CloudWatch
	// exports, one event object per line.
	FormatLines = "lines"
	// FormatEvents: the JSON document(s) of `aws logs filter-log-events` /
	// `get-log-events` ({"events":[…]}) or CloudWatch subscription payloads
	// ({"logStream":…,"logEvents":[…]}), possibly several concatenated.
	FormatEvents = "events"
)

// MaxLineBytes bounds one line (and one event): CloudWatch events are at
// most 256 KiB, so anything longer is not a log record we know. Longer
// lines are counted as KindTooLong and skipped without being held in memory.
const MaxLineBytes = 1 << 20

// readBufferSize is the bufio buffer of an input.
const readBufferSize = 256 << 10

// detect peeks at the start of br and says which format it holds; gz is
// true when it is gzip-compressed (then detect again after decompressing).
// An events document starts with {"events":[ or {"logEvents":[ (the AWS CLI
// writes a response's members in their documented order, events first) or
// {"messageType": (a subscription payload); anything else is lines.
func detect(br *bufio.Reader) (format string, gz bool) {
	head, _ := br.Peek(2)
	if len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		return "", true
	}
	head, _ = br.Peek(4096)
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	next := func(b []byte, c byte) ([]byte, bool) {
		b = bytes.TrimLeft(b, " \t\r\n")
		if len(b) == 0 || b[0] != c {
			return nil, false
		}
		return b[1:], true
	}
	rest, ok := next(head, '{')
	if !ok {
		return FormatLines, false
	}
	if rest, ok = next(rest, '"'); !ok {
		return FormatLines, false
	}
	end := bytes.IndexByte(rest, '"')
	if end < 0 {
		return FormatLines, false
	}
	key := string(rest[:end])
	rest, ok = next(rest[end+1:], ':')
	switch {
	case !ok:
		return FormatLines, false
	case key == "messageType":
		return FormatEvents, false
	case key == "events" || key == "logEvents":
		if _, ok := next(rest, '['); ok {
			return FormatEvents, false
		}
	}
	return FormatLines, false
}

// countingReader counts the bytes read from the input (compressed bytes
// for a gzip input), for the progress report.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	return n, err
}

// Read analyses one input: a file's contents or stdin. name labels it in
// the results and the progress; size is its length in bytes for the
// progress bar (≤ 0 if unknown). Lines it does not understand are counted
// and skipped; the error is only for reading (or decompressing) the input,
// and what was read before it still counts.
func (a *Analyzer) Read(name string, r io.Reader, size int64) error {
	cr := &countingReader{r: r}
	in := &InputStats{Name: name}
	a.inputs = append(a.inputs, in)
	a.cur = in
	a.curSize = size
	a.curReader = cr
	defer func() {
		in.Bytes = cr.n
		a.progress(true)
		a.cur = nil
	}()

	br := bufio.NewReaderSize(cr, readBufferSize)
	format, gz := detect(br)
	if gz {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("fleet: %s: gzip: %w", name, err)
		}
		defer zr.Close()
		in.Gzip = true
		br = bufio.NewReaderSize(zr, readBufferSize)
		format, _ = detect(br)
	}
	in.Format = format
	if bom, _ := br.Peek(3); string(bom) == "\xef\xbb\xbf" {
		br.Discard(3)
	}
	var err error
	if format == FormatEvents {
		err = a.readEvents(br, in)
	} else {
		err = a.readLines(br, in)
	}
	if err != nil {
		return fmt.Errorf("fleet: %s: %w", name, err)
	}
	return nil
}

// readLines reads one record per line; see FormatLines.
func (a *Analyzer) readLines(br *bufio.Reader, in *InputStats) error {
	var long []byte // a line longer than the bufio buffer, assembled
	var tail tailJSON
	for {
		line, err := br.ReadSlice('\n')
		tooLong := false
		if errors.Is(err, bufio.ErrBufferFull) {
			long = append(long[:0], line...)
			for errors.Is(err, bufio.ErrBufferFull) {
				line, err = br.ReadSlice('\n')
				if !tooLong {
					long = append(long, line...)
					if len(long) > MaxLineBytes {
						tooLong, long = true, long[:0]
					}
				}
			}
			line = long
			if cap(long) > 2*MaxLineBytes { // keep one buffer for long lines, not a huge one
				long = nil
			}
		}
		if len(line) > 0 || tooLong {
			in.Lines++
			if tooLong {
				tail.flush(a)
				a.count(KindTooLong)
			} else {
				a.line(trimEOL(line), &tail)
			}
			a.tick()
		}
		if err == io.EOF {
			tail.flush(a)
			return nil
		}
		if err != nil {
			tail.flush(a)
			return err
		}
	}
}

// tailJSON assembles an event of `aws logs tail --format json`: a header
// line "<timestamp> <stream> " followed by the message pretty-printed over
// many lines, ending with a line that is exactly "}".
type tailJSON struct {
	active bool
	ts     int64
	stream []byte
	buf    []byte
}

func (t *tailJSON) flush(a *Analyzer) {
	if !t.active {
		return
	}
	t.active = false
	if len(t.buf) == 0 { // a header with an empty message
		a.count(KindBlank)
		return
	}
	a.event(t.buf, t.stream, t.ts) // an unterminated object: truncated
}

// line handles one physical line.
func (a *Analyzer) line(b []byte, tail *tailJSON) {
	if len(b) > 0 && b[0] == 0x1b {
		b = stripANSI(b)
	}
	if tail.active {
		switch {
		case len(tail.buf) == 0 && !bytes.HasPrefix(b, []byte("{")):
			tail.flush(a) // the header had an empty message; b is a new record
		case len(tail.buf)+len(b) > MaxLineBytes:
			tail.active = false
			a.count(KindTooLong)
			return
		default:
			tail.buf = append(tail.buf, b...)
			tail.buf = append(tail.buf, '\n')
			if string(b) == "}" {
				tail.active = false
				a.event(tail.buf, tail.stream, tail.ts)
			}
			return
		}
	}
	ts, stream, msg, ok := splitPrefix(b)
	if ok && len(bytes.TrimSpace(msg)) == 0 && stream != nil {
		if b[len(b)-1] == ' ' { // "<timestamp> <stream> ": a pretty-printed message follows
			*tail = tailJSON{active: true, ts: ts, stream: append(tail.stream[:0], stream...), buf: tail.buf[:0]}
			return
		}
		stream, msg = nil, stream // "<timestamp> <one word>": the word is the message
	}
	a.event(msg, stream, ts)
}

// splitPrefix splits the prefix CloudWatch tools put before a message:
//
//	<RFC 3339 timestamp> <log stream> <message>   aws logs tail (detailed, json)
//	<RFC 3339 timestamp> <message>                aws logs tail --format short, S3 export
//
// The stream is taken to be the second word unless the message starts
// right after the timestamp (a '{' or a Lambda platform word). Without a
// timestamp prefix the whole line is the message (ok false).
func splitPrefix(b []byte) (ts int64, stream, msg []byte, ok bool) {
	if len(b) < 19 || b[0] < '0' || b[0] > '9' {
		return 0, nil, b, false
	}
	sp := bytes.IndexByte(b, ' ')
	tok := b
	if sp >= 0 {
		tok = b[:sp]
	}
	ts, ok = parseTimestamp(tok)
	if !ok {
		return 0, nil, b, false
	}
	if sp < 0 {
		return ts, nil, nil, true
	}
	rest := b[sp+1:]
	if len(rest) == 0 || rest[0] == '{' || classifyText(rest) != KindNotJSON {
		return ts, nil, rest, true
	}
	sp = bytes.IndexByte(rest, ' ')
	if sp < 0 {
		return ts, rest, nil, true
	}
	return ts, rest[:sp], rest[sp+1:], true
}

// streamGUID returns the execution-environment GUID at the end of a Lambda
// log stream name ("2026/01/15/[$LATEST]<32 hex>",
// "2026/01/15/fn[3]<32 hex>"), or nil.
func streamGUID(stream []byte) []byte {
	const n = 32
	if len(stream) < n+1 || stream[len(stream)-n-1] != ']' {
		return nil
	}
	g := stream[len(stream)-n:]
	for _, c := range g {
		if !isHex(c) {
			return nil
		}
	}
	return g
}

// stripANSI removes terminal colour sequences (ESC [ … letter), which
// `aws logs tail --color on` puts around the timestamp and stream.
func stripANSI(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] == 0x1b && i+1 < len(b) && b[i+1] == '[' {
			j := i + 2
			for j < len(b) && (b[j] < 0x40 || b[j] > 0x7e) {
				j++
			}
			i = j
			continue
		}
		out = append(out, b[i])
	}
	return out
}

func trimEOL(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
	}
	if n := len(b); n > 0 && b[n-1] == '\r' {
		b = b[:n-1]
	}
	return b
}
