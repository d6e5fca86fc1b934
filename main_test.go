package faasprobe

import (
	"testing"

	"go.uber.org/goleak"
)

// New detects in a goroutine of its own: no test may leave one behind.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
