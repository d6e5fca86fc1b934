package warmer

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"
)

// Loop is a running Start loop.
type Loop struct {
	cancel context.CancelFunc
	done   chan struct{}
	once   sync.Once
}

// Start runs Ping rounds for a long-running process (a container, a VM: not
// a Lambda, which should be triggered by EventBridge instead, see
// examples/warmer): one round at once, then one every plan.Every ± a
// uniformly random plan.Jitter, until ctx ends or Stop is called. Each
// round's Report and error go to onReport, called from the loop's goroutine
// (a slow onReport delays the next round); nil logs one Info line
// "faasprobe.warmer.round" per round to slog.Default. The plan is checked
// first: an invalid plan starts nothing and is returned as the error.
func Start(ctx context.Context, inv Invoker, plan Plan, onReport func(Report, error)) (*Loop, error) {
	checked, err := plan.check()
	if err != nil {
		return nil, err
	}
	if inv == nil {
		return nil, fmt.Errorf("%w: nil Invoker", errPlan)
	}
	if ctx == nil {
		ctx = context.Background()
	}
	if onReport == nil {
		onReport = logRound
	}
	ctx, cancel := context.WithCancel(ctx)
	l := &Loop{cancel: cancel, done: make(chan struct{})}
	go l.run(ctx, inv, checked, onReport)
	return l, nil
}

func (l *Loop) run(ctx context.Context, inv Invoker, plan Plan, onReport func(Report, error)) {
	defer close(l.done)
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		rep, err := Ping(ctx, inv, plan)
		if ctx.Err() != nil {
			return // Stop during a round: its partial report is dropped
		}
		onReport(rep, err)
		t.Reset(nextWait(plan.Every, plan.Jitter, rand.Float64()))
	}
}

// nextWait is every shifted by jitter × (2u − 1), u uniform in [0, 1): a
// wait in [every − jitter, every + jitter), never below 1 ms.
func nextWait(every, jitter time.Duration, u float64) time.Duration {
	d := every + time.Duration((2*u-1)*float64(jitter))
	return max(d, time.Millisecond)
}

// Stop ends the loop and waits for it: a round in flight is cancelled (its
// pings' contexts end) and waited for. Safe to call more than once and
// concurrently.
func (l *Loop) Stop() {
	l.once.Do(l.cancel)
	<-l.done
}

// Done is closed when the loop has ended (Stop, or the context given to
// Start ended).
func (l *Loop) Done() <-chan struct{} { return l.done }

// logRound is the default onReport.
func logRound(rep Report, err error) {
	level := slog.LevelInfo
	attrs := []slog.Attr{slog.Any("report", rep)}
	if err != nil {
		level = slog.LevelWarn
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	slog.Default().LogAttrs(context.Background(), level, "faasprobe.warmer.round", attrs...)
}
