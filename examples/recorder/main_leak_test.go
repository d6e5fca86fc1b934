package main

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if any test leaves a goroutine behind (the
// emulator harness must clean up after itself).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
