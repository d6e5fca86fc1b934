//go:build linux

package safety

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/internal/rietest"
)

// The canary tests run the examples under the AWS Lambda Runtime Interface
// Emulator through internal/rietest, the harness the examples' own
// end-to-end tests use. What is here only adapts it to the binaries
// buildAll shares between tests.

const (
	rieStartTimeout = 20 * time.Second // many emulators start at once under -race
	rieInvokeLimit  = 60 * time.Second
)

// startEmulator runs the built binary bin as the function under rie, with
// env as the emulator's whole environment besides PATH (nothing is
// inherited from the test), and stops it when the test ends.
func startEmulator(t testing.TB, rie, bin string, env map[string]string) *rietest.Emulator {
	t.Helper()
	return rietest.Start(t, rietest.Config{
		RIE:          rie,
		Bootstrap:    linkBootstrap(t, bin),
		Env:          env,
		StartTimeout: rieStartTimeout,
	})
}

// invoke sends payload once and returns the status and body; a function
// error is a status, not a failure.
func invoke(t testing.TB, emu *rietest.Emulator, payload string) (int, []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), rieInvokeLimit)
	defer cancel()
	inv, err := emu.Invoke(ctx, []byte(payload))
	require.NoError(t, err, "invoke %s; emulator output:\n%s", payload, emu.Output())
	return inv.Status, inv.Body
}

// linkBootstrap links (or copies) a built binary as "bootstrap" in a
// directory of the test's own: RIE runs the function from there, and the
// binary is shared by the tests.
func linkBootstrap(t testing.TB, bin string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "bootstrap")
	if err := os.Link(bin, dst); err == nil {
		return dst
	}
	b, err := os.ReadFile(bin)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(dst, b, 0o755))
	return dst
}
