package coldstart

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

var sinkInv Invocation

func TestObserveDoesNotAllocate(t *testing.T) {
	// Not parallel: AllocsPerRun counts the whole process's allocations.
	for _, tc := range []struct {
		name string
		opts []Option
	}{
		{"default clock", nil},
		{"injected clock", []Option{WithClock((&fakeClock{}).Now)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := New(append([]Option{WithRoot(writeTree(t, procTree(5*time.Second, time.Second)))}, tc.opts...)...)
			tr.Observe() // the first call may allocate
			allocs := testing.AllocsPerRun(1000, func() { sinkInv = tr.Observe() })
			assert.Zero(t, allocs)
		})
	}
}

func TestWrapAllocatesOnlyTheContext(t *testing.T) {
	tr := New(WithRoot(t.TempDir()))
	h := WrapWith(tr, func(ctx context.Context, in int) (int, error) { return in, nil })
	_, _ = h(context.Background(), 1)
	allocs := testing.AllocsPerRun(1000, func() { _, _ = h(context.Background(), 1) })
	assert.LessOrEqual(t, allocs, 1.0)
}
