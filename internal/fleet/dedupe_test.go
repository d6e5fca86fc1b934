package fleet

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/coldstart"
	"github.com/faasprobe/faasprobe/internal/logline"
)

// fromExtension is line as the Lambda extension writes it: the same line
// with "source":"extension".
func fromExtension(line string) string {
	return strings.Replace(line, "{", `{"`+logline.KeySource+`":"`+logline.SourceExtension+`",`, 1)
}

// TestLibraryAndExtensionCountOnce: a function that uses the library and
// the extension logs every fact twice; fleet counts each once, the
// library's invocation lines and the extension's shutdown line.
//
//	s1 (both): ext startup, lib startup, then per request both lines in either order, both shutdown lines
//	s2 (extension only): startup, 2 invocations, shutdown
func TestLibraryAndExtensionCountOnce(t *testing.T) {
	t.Parallel()
	l := newLineLogger()
	stats := coldstart.SandboxStats{Invocations: 3, ProcessStart: at(-time.Second)}
	end := slog.Group("shutdown", slog.String("reason", "spindown"), slog.Float64("lifetime_ms", 360000))
	lines := []string{
		fromExtension(l.startup(at(0), "fn", "b1", "s1")),
		l.startup(at(time.Millisecond), "fn", "b1", "s1"),
		fromExtension(l.invocation(at(time.Second), "s1", "r1", 1, coldstart.ReasonOnDemand, 5)),
		l.invocation(at(time.Second), "s1", "r1", 1, coldstart.ReasonOnDemand, 4),
		l.invocation(at(time.Minute), "s1", "r2", 2, coldstart.ReasonWarm, 60000),
		fromExtension(l.invocation(at(time.Minute), "s1", "r2", 2, coldstart.ReasonWarm, 60000)),
		fromExtension(l.invocation(at(2*time.Minute), "s1", "r3", 3, coldstart.ReasonWarm, 120000)),
		l.invocation(at(2*time.Minute), "s1", "r3", 3, coldstart.ReasonWarm, 120000),
		l.shutdown(at(5*time.Minute), "s1", stats),
		fromExtension(l.shutdown(at(5*time.Minute), "s1", stats, end)),

		fromExtension(l.startup(at(0), "fn", "b2", "s2")),
		fromExtension(l.invocation(at(time.Second), "s2", "r4", 1, coldstart.ReasonOnDemand, 3)),
		fromExtension(l.invocation(at(time.Minute), "s2", "r5", 2, coldstart.ReasonWarm, 60000)),
		fromExtension(l.shutdown(at(3*time.Minute), "s2", stats, slog.Group("shutdown", slog.String("reason", "timeout"), slog.Float64("lifetime_ms", 180000)))),
	}
	a := New()
	require.NoError(t, a.Read("t", strings.NewReader(strings.Join(lines, "\n")+"\n"), 0))
	res := a.Result()

	assert.Equal(t, 2, res.Totals.Sandboxes)
	assert.Equal(t, int64(5), res.Cold.Invocations, "3 in s1, 2 in s2")
	assert.Equal(t, int64(2), res.Cold.Cold)
	assert.Equal(t, int64(2), res.Cold.FirstInvocations)
	assert.Equal(t, int64(3), res.Totals.ExtensionDuplicates, "the extension's copies of s1's 3 invocations")
	assert.Zero(t, res.Totals.DuplicateStartups, "one startup line per source is not a duplicate")
	assert.Zero(t, res.Totals.DuplicateFirsts)
	assert.Equal(t, 2, res.Totals.WithStartup)
	assert.Equal(t, 2, res.Totals.Shutdowns)
	assert.Equal(t, 2, res.LifetimesExact, "s1 takes the extension's shutdown line")
	assert.ElementsMatch(t, []Count{{Value: "spindown", N: 1}, {Value: "timeout", N: 1}}, res.ShutdownReasons)
	assert.InDelta(t, 360.0, res.Lifetime.Max, 1e-9)
	assert.Zero(t, res.Cold.MissingInvocations)
	var binInv, binStartups int64
	for _, b := range res.Series {
		binInv, binStartups = binInv+b.Invocations, binStartups+b.Startups
	}
	assert.Equal(t, int64(5), binInv)
	assert.Equal(t, int64(2), binStartups)
	assert.Empty(t, res.Notes)
}

// TestExtensionBeforeLibrary: the extension's line of the first
// invocation can come before the library's startup line (the library
// detects in the background); the library's line of that request is not
// counted again. Past maxExtReqs such lines, a note says so.
func TestExtensionBeforeLibrary(t *testing.T) {
	t.Parallel()
	l := newLineLogger()
	lines := []string{
		fromExtension(l.invocation(at(time.Second), "s1", "r1", 1, coldstart.ReasonOnDemand, 5)),
		l.startup(at(0), "fn", "b1", "s1"),
		l.invocation(at(time.Second), "s1", "r1", 1, coldstart.ReasonOnDemand, 4),
		l.invocation(at(time.Minute), "s1", "r2", 2, coldstart.ReasonWarm, 60000),
		fromExtension(l.invocation(at(time.Minute), "s1", "r2", 2, coldstart.ReasonWarm, 60000)),
	}
	for i := range maxExtReqs + 1 {
		lines = append(lines, fromExtension(l.invocation(at(time.Second), "s2", fmt.Sprintf("q%d", i), uint64(i+1), coldstart.ReasonWarm, 5)))
	}
	lines = append(lines, l.startup(at(0), "fn", "b1", "s2"))
	a := New()
	require.NoError(t, a.Read("t", strings.NewReader(strings.Join(lines, "\n")+"\n"), 0))
	res := a.Result()
	assert.Equal(t, int64(2+maxExtReqs+1), res.Cold.Invocations, "s1 counted once per request")
	assert.Equal(t, int64(2), res.Totals.ExtensionDuplicates)
	require.Len(t, res.Notes, 1)
	assert.Contains(t, res.Notes[0], "sandbox s2: 5 invocation lines of the extension came before the library's first line")
}
