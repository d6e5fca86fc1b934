package sandbox

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the run if any test leaves a goroutine behind (the
// metadata client must not leak connections).
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
