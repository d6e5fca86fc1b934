package main

import (
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// lineQueue is the extension's stdout: Write hands a copy of the line to
// one writer goroutine through a bounded channel and never blocks; a line
// that finds the channel full is dropped and counted. slog's JSON handler
// makes one Write per line, so a line is never split. The extension's
// stdout is the function's log stream: a stalled reader must not stall the
// extension's next call, which holds up the invocation's end.
type lineQueue struct {
	out     io.Writer
	lines   chan []byte
	dropped atomic.Uint64
	closeMu sync.Mutex
	closed  bool
	done    chan struct{}
}

func newLineQueue(out io.Writer, capacity int) *lineQueue {
	q := &lineQueue{out: out, lines: make(chan []byte, capacity), done: make(chan struct{})}
	go q.run()
	return q
}

func (q *lineQueue) run() {
	defer close(q.done)
	for b := range q.lines {
		_, _ = q.out.Write(b) // logging never fails the extension
	}
}

// Write queues a copy of p, or drops it when the queue is full or closed.
func (q *lineQueue) Write(p []byte) (int, error) {
	q.closeMu.Lock()
	defer q.closeMu.Unlock()
	if q.closed {
		q.dropped.Add(1)
		return len(p), nil
	}
	select {
	case q.lines <- append([]byte(nil), p...):
	default:
		q.dropped.Add(1)
	}
	return len(p), nil
}

// Dropped is how many lines were dropped so far.
func (q *lineQueue) Dropped() uint64 { return q.dropped.Load() }

// Close stops taking lines and waits until the queued ones are written, or
// until wait has passed; it reports whether all were.
func (q *lineQueue) Close(wait time.Duration) bool {
	q.closeMu.Lock()
	if !q.closed {
		q.closed = true
		close(q.lines)
	}
	q.closeMu.Unlock()
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-q.done:
		return true
	case <-t.C:
		return false
	}
}
