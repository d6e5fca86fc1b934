package fleetgen

import (
	"bytes"
	"flag"
	"fmt"
	"image/png"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/internal/fleet"
	"github.com/faasprobe/faasprobe/internal/fleet/timeline"
)

var updateDocs = flag.Bool("update-docs", false, "write docs/fleet-timeline.png")

// docsPicture is the picture of docs/fleet.md.
const docsPicture = "../../../docs/fleet-timeline.png"

// TestDocsTimeline renders the timeline of docs/fleet.md from a generated
// multi-VM fleet; with -update-docs it writes it, else it checks the
// committed one has the size a fresh render has.
func TestDocsTimeline(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	truth, err := Generate(&b, Config{
		Seed: 2026, Sandboxes: 30, SandboxesPerVM: 3, Span: 3 * time.Hour,
		MinLifetime: 10 * time.Minute, MaxLifetime: 2 * time.Hour, MinInvocations: 2, MaxInvocations: 30,
		Functions: []Function{{"orders", "us-east-1", 128}, {"thumbnails", "us-east-1", 1024}},
		Proactive: 0.3, Provisioned: 0.1, BeforeWindow: 0.07, Reports: TextReports, Format: Tail,
	})
	require.NoError(t, err)
	a := fleet.New()
	require.NoError(t, a.Read("fleet.log", &b, 0))
	res := a.Result()
	rows, omitted := a.Rows(300)
	require.Len(t, rows, truth.Sandboxes)
	title := fmt.Sprintf("Generated fleet: %d sandboxes on %d VMs, %d invocations, %.1f%% cold, %.0f%% of on-demand inits proactive",
		res.Totals.Sandboxes, res.Totals.VMs, res.Cold.Invocations, 100*res.Cold.ColdRate, 100*res.Cold.ProactiveShare)
	var img bytes.Buffer
	require.NoError(t, timeline.Render(&img, timeline.FormatPNG, rows, omitted, title))
	fresh, err := png.DecodeConfig(bytes.NewReader(img.Bytes()))
	require.NoError(t, err)
	if *updateDocs {
		require.NoError(t, os.WriteFile(docsPicture, img.Bytes(), 0o644))
		return
	}
	f, err := os.Open(docsPicture)
	require.NoError(t, err, "run with -update-docs to make it")
	defer f.Close()
	committed, err := png.DecodeConfig(f)
	require.NoError(t, err)
	assert.Equal(t, fresh, committed, "the committed picture is stale: run with -update-docs")
}
