package rietest

import (
	"bufio"
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"time"
)

// Streams a Line can come from.
const (
	// Stdout is RIE's stdout: the function's stdout and stderr, and RIE's
	// START, END and REPORT lines.
	Stdout = "stdout"
	// Stderr is RIE's stderr: the emulator's own diagnostics.
	Stderr = "stderr"
)

// Line is one line of output, without its newline.
type Line struct {
	Stream string    // Stdout or Stderr
	Text   string    // the line
	Time   time.Time // when the harness read it
}

// errOutputClosed: the process is gone and every line has been read.
var errOutputClosed = errors.New("rietest: emulator output closed before the line appeared")

// lineLog collects lines from several readers and lets callers wait for one.
type lineLog struct {
	mu      sync.Mutex
	lines   []Line
	changed chan struct{} // closed and replaced on every add
	closed  bool          // no more lines will come
}

func newLineLog() *lineLog {
	return &lineLog{changed: make(chan struct{})}
}

func (l *lineLog) add(ln Line) {
	l.mu.Lock()
	l.lines = append(l.lines, ln)
	close(l.changed)
	l.changed = make(chan struct{})
	l.mu.Unlock()
}

// close marks the end of output and wakes waiters.
func (l *lineLog) close() {
	l.mu.Lock()
	if !l.closed {
		l.closed = true
		close(l.changed)
		l.changed = make(chan struct{})
	}
	l.mu.Unlock()
}

func (l *lineLog) snapshot() []Line {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Line(nil), l.lines...)
}

func (l *lineLog) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.lines)
}

// wait returns the first line at index from or later that matches, waiting
// for it until ctx ends or the output closes.
func (l *lineLog) wait(ctx context.Context, from int, match func(Line) bool) (Line, error) {
	next := from
	for {
		l.mu.Lock()
		for ; next < len(l.lines); next++ {
			if match(l.lines[next]) {
				ln := l.lines[next]
				l.mu.Unlock()
				return ln, nil
			}
		}
		closed, changed := l.closed, l.changed
		l.mu.Unlock()
		if closed {
			return Line{}, errOutputClosed
		}
		select {
		case <-ctx.Done():
			return Line{}, ctx.Err()
		case <-changed:
		}
	}
}

// readLines adds every line of r to l until EOF or a read error (the pipe
// being closed by Stop). Lines of any length are kept whole.
func readLines(r io.Reader, stream string, l *lineLog) {
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		s, err := br.ReadString('\n')
		if s != "" {
			l.add(Line{Stream: stream, Text: strings.TrimRight(s, "\r\n"), Time: time.Now()})
		}
		if err != nil {
			return
		}
	}
}
