// Package wrapped remembers the cold-start tracker of the latest handler
// wrapper (coldstart.Wrap, WrapWith, WrapHandler), so that warmer.Wrap,
// which wraps that handler, counts its pings on the same tracker by default:
// one tracker per sandbox, one first invocation.
//
// It holds one atomic value, zero until the first wrapper is made: nothing
// happens at import.
package wrapped

import "sync/atomic"

// latest holds the latest wrapper's tracker (a *coldstart.Tracker, kept as
// any: this package cannot import coldstart, which imports it).
var latest atomic.Value

// Set records t as the latest wrapper's tracker. Every call stores the same
// dynamic type.
func Set(t any) { latest.Store(t) }

// Latest returns the latest wrapper's tracker, or nil before any.
func Latest() any { return latest.Load() }
