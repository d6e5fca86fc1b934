package fleet

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// Streaming reader of CloudWatch event documents (FormatEvents):
//
//	aws logs filter-log-events:  {"events":[{"logStreamName":"…","timestamp":1736935200123,"message":"…","ingestionTime":…,"eventId":"…"},…],"searchedLogStreams":[…],"nextToken":"…"}
//	aws logs get-log-events:     {"events":[{"timestamp":…,"message":"…","ingestionTime":…},…],"nextForwardToken":"…",…}
//	subscription filter payload: {"messageType":"DATA_MESSAGE","owner":"…","logGroup":"…","logStream":"…","subscriptionFilters":[…],"logEvents":[{"id":"…","timestamp":…,"message":"…"},…]}
//
// Several documents may follow each other (pages saved one after another,
// Firehose objects). Only one event is held in memory at a time; other
// values are skipped as they stream past. A document-level "logStream"
// applies to the "logEvents" that follow it.

// errEventsSyntax: the document breaks the JSON grammar; reading stops
// there (a JSON stream cannot be resynchronised), keeping what was read.
var errEventsSyntax = errors.New("malformed events document")

type eventsReader struct {
	br  *bufio.Reader
	buf []byte // the current event
}

// readEvents reads every document of the input.
func (a *Analyzer) readEvents(br *bufio.Reader, in *InputStats) error {
	er := &eventsReader{br: br}
	for {
		c, err := er.nextNonSpace()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if c != '{' {
			a.count(KindMalformed)
			a.note("%s: events document: expected '{' at byte %d; the rest of the input was skipped", in.Name, a.curReader.n)
			return nil
		}
		if err := a.readEventsDocument(er, in); err != nil {
			if errors.Is(err, errEventsSyntax) || errors.Is(err, io.ErrUnexpectedEOF) {
				a.count(KindTruncated)
				a.note("%s: events document cut short or malformed (%v); the events before it were read", in.Name, err)
				return nil
			}
			return err
		}
	}
}

// readEventsDocument reads one object after its '{'.
func (a *Analyzer) readEventsDocument(er *eventsReader, in *InputStats) (err error) {
	var docStream []byte
	first := true
	known := false // a key of an events document was seen
	defer func() {
		if !known && err == nil {
			a.count(KindOtherJSON) // a JSON object among the documents, not one of them
		}
	}()
	for {
		c, err := er.nextNonSpace()
		if err != nil {
			return unexpected(err)
		}
		if c == '}' && first {
			return nil
		}
		if !first {
			switch c {
			case '}':
				return nil
			case ',':
				if c, err = er.nextNonSpace(); err != nil {
					return unexpected(err)
				}
			default:
				return errEventsSyntax
			}
		}
		first = false
		if c != '"' {
			return errEventsSyntax
		}
		key, err := er.readKey()
		if err != nil {
			return err
		}
		if c, err = er.nextNonSpace(); err != nil {
			return unexpected(err)
		}
		if c != ':' {
			return errEventsSyntax
		}
		switch key {
		case "events", "logEvents", "messageType", "owner", "logGroup", "logStream",
			"subscriptionFilters", "searchedLogStreams", "nextToken", "nextForwardToken", "nextBackwardToken":
			known = true
		}
		switch key {
		case "events", "logEvents":
			if err := a.readEventArray(er, in, docStream); err != nil {
				return err
			}
		case "logStream":
			v, err := er.readValue()
			if err != nil {
				return err
			}
			var w walker
			var s []byte
			if w.walkJSON([]byte(`{"s":`+string(v)+`}`), func(_ []byte, jv jsonValue) {
				if jv.kind == jsonString {
					s = unescapeJSON(nil, jv.raw)
				}
			}) == nil {
				docStream = s
			}
		default:
			if err := er.skipValue(); err != nil {
				return err
			}
		}
	}
}

// readEventArray reads "[" event, … "]", handing each event to the analysis.
func (a *Analyzer) readEventArray(er *eventsReader, in *InputStats, docStream []byte) error {
	c, err := er.nextNonSpace()
	if err != nil {
		return unexpected(err)
	}
	if c != '[' {
		er.br.UnreadByte()
		return er.skipValue() // not an array: not ours
	}
	first := true
	for {
		c, err := er.nextNonSpace()
		if err != nil {
			return unexpected(err)
		}
		if c == ']' {
			return nil
		}
		if !first {
			if c != ',' {
				return errEventsSyntax
			}
		} else {
			er.br.UnreadByte()
		}
		first = false
		v, err := er.readValue()
		if err != nil {
			if errors.Is(err, errValueTooLong) {
				in.Lines++
				a.count(KindTooLong)
				a.tick()
				continue
			}
			return err
		}
		in.Lines++
		a.eventObject(v, docStream)
		a.tick()
	}
}

func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

func (er *eventsReader) nextNonSpace() (byte, error) {
	for {
		c, err := er.br.ReadByte()
		if err != nil {
			return 0, err
		}
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return c, nil
	}
}

// maxKeyBytes bounds a document key (ours are short).
const maxKeyBytes = 256

// readKey reads a key string after its opening quote.
func (er *eventsReader) readKey() (string, error) {
	var k []byte
	for {
		c, err := er.br.ReadByte()
		if err != nil {
			return "", unexpected(err)
		}
		switch c {
		case '"':
			return string(k), nil
		case '\\':
			if _, err := er.br.ReadByte(); err != nil {
				return "", unexpected(err)
			}
			k = append(k, '?') // keys we look for have no escapes
		default:
			if c < 0x20 {
				return "", errEventsSyntax
			}
			k = append(k, c)
		}
		if len(k) > maxKeyBytes {
			return "", errEventsSyntax
		}
	}
}

// errValueTooLong: an event longer than MaxLineBytes; it was skipped.
var errValueTooLong = errors.New("event too long")

// readValue reads one complete JSON value (after optional white space) into
// er.buf and returns it; the grammar inside is checked later by the walker.
// A value longer than MaxLineBytes is skipped and errValueTooLong returned.
func (er *eventsReader) readValue() ([]byte, error) {
	er.buf = er.buf[:0]
	err := er.scanValue(true)
	if cap(er.buf) > 4*readBufferSize {
		defer func() { er.buf = nil }()
	}
	return er.buf, err
}

// skipValue skips one JSON value without keeping it.
func (er *eventsReader) skipValue() error {
	return er.scanValue(false)
}

// scanValue consumes one value, tracking strings and nesting over the
// reader's buffered chunks; keep says whether to collect its bytes into
// er.buf (up to MaxLineBytes, beyond which errValueTooLong is returned
// after the value has been consumed).
func (er *eventsReader) scanValue(keep bool) error {
	if _, err := er.nextNonSpace(); err != nil {
		return unexpected(err)
	}
	_ = er.br.UnreadByte() // scan it with the rest
	depth, total := 0, 0
	inString, esc, scalar, tooLong := false, false, false, false
	for {
		chunk, err := er.br.Peek(max(er.br.Buffered(), 1))
		if len(chunk) == 0 {
			if err == io.EOF && scalar {
				return tooLongErr(tooLong) // a scalar ends at the end of input
			}
			return unexpected(err)
		}
		end := -1
	scan:
		for i := 0; i < len(chunk); i++ {
			c := chunk[i]
			if inString {
				if esc {
					esc = false
					continue
				}
				k := quoteOrBackslash(chunk[i:]) // skip the string's plain bytes at once
				if k < 0 {
					break // the string goes on in the next chunk
				}
				i += k
				if chunk[i] == '\\' {
					esc = true
					continue
				}
				inString = false
				if depth == 0 {
					end = i + 1
					break scan
				}
				continue
			}
			switch {
			case scalar:
				if bytes.IndexByte([]byte(",]} \t\r\n"), c) >= 0 {
					end = i
					break scan
				}
			case c == '"':
				inString = true
			case c == '{' || c == '[':
				depth++
			case c == '}' || c == ']':
				depth--
				if depth < 0 {
					return errEventsSyntax
				}
				if depth == 0 {
					end = i + 1
					break scan
				}
			case depth == 0:
				if !isScalarByte(c) {
					return errEventsSyntax
				}
				scalar = true
			}
		}
		n := len(chunk)
		if end >= 0 {
			n = end
		}
		if keep && !tooLong {
			if total+n > MaxLineBytes {
				tooLong, er.buf = true, er.buf[:0]
			} else {
				er.buf = append(er.buf, chunk[:n]...)
			}
		}
		total += n
		_, _ = er.br.Discard(n) // n bytes are buffered
		if end >= 0 {
			return tooLongErr(tooLong)
		}
	}
}

// quoteOrBackslash is the index of the first '"' or '\\' in b, or -1.
func quoteOrBackslash(b []byte) int {
	q := bytes.IndexByte(b, '"')
	limit := b
	if q >= 0 {
		limit = b[:q]
	}
	if bs := bytes.IndexByte(limit, '\\'); bs >= 0 {
		return bs
	}
	return q
}

func isScalarByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c == '-' || c == '+' || c == '.' || c == 'E'
}

func tooLongErr(tooLong bool) error {
	if tooLong {
		return errValueTooLong
	}
	return nil
}
