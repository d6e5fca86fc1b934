package cgroupfs

import (
	"fmt"
	"strings"

	"github.com/faasprobe/faasprobe/internal/excerpt"
)

// maxQuoted bounds how many malformed lines a SyntaxError quotes (each as
// an excerpt.Clip).
const maxQuoted = 3

// SyntaxError reports the malformed lines of a file. The parse that
// returns it still returns the well-formed lines.
type SyntaxError struct {
	Want  string    // the shape a line must have ("ID:CONTROLLERS:/PATH")
	Lines []BadLine // the first maxQuoted (3) malformed lines, in file order
	Count int       // how many lines were malformed in all
}

// BadLine is one malformed line.
type BadLine struct {
	N    int    // line number, from 1
	Text string // the line as excerpt.Clip shows it: 40 bytes at most, control characters escaped
}

// Error quotes the lines: `line 1 "junk": want ID:CONTROLLERS:/PATH; line 4 …`.
func (e *SyntaxError) Error() string {
	var b strings.Builder
	for i, l := range e.Lines {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "line %d %q: want %s", l.N, l.Text, e.Want)
	}
	return b.String()
}

// add records malformed line n; e may be nil (the first one makes it).
func (e *SyntaxError) add(want string, n int, line []byte) *SyntaxError {
	if e == nil {
		e = &SyntaxError{Want: want}
	}
	e.Count++
	if len(e.Lines) < maxQuoted {
		e.Lines = append(e.Lines, BadLine{N: n, Text: excerpt.Clip(line)})
	}
	return e
}

// err returns e as an error, nil when there is nothing to report (a nil
// *SyntaxError must not become a non-nil error).
func (e *SyntaxError) err() error {
	if e == nil {
		return nil
	}
	return e
}
