package fleetgen

import (
	"bytes"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/hostinfo"
	"github.com/faasprobe/faasprobe/internal/fleet"
)

// nearestRank summarises values the way docs/fleet.md defines it, computed
// here independently of the analyzer.
func nearestRank(v []float64) fleet.Dist {
	if len(v) == 0 {
		return fleet.Dist{}
	}
	s := slices.Clone(v)
	slices.Sort(s)
	at := func(p float64) float64 { return s[max(int(math.Ceil(p/100*float64(len(s))))-1, 0)] }
	sum := 0.0
	for _, x := range s {
		sum += x
	}
	return fleet.Dist{N: int64(len(s)), Min: s[0], P50: at(50), P90: at(90), P99: at(99), Max: s[len(s)-1], Mean: sum / float64(len(s))}
}

func ints(v []int) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

func seconds(v []time.Duration) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = x.Seconds()
	}
	return out
}

// TestKnownAnswers: generated fleets, in every format, against the answers
// the generator knows.
func TestKnownAnswers(t *testing.T) {
	t.Parallel()
	profiles, err := DefaultProfiles()
	require.NoError(t, err)
	two := []Function{{"orders", "us-east-1", 128}, {"images", "eu-west-1", 1024}}
	configs := []struct {
		name string
		cfg  Config
	}{
		{"firecracker era, on-demand only", Config{Seed: 1, Sandboxes: 25}},
		{"shared VMs, proactive, before the window, text REPORTs, noise", Config{Seed: 2, Sandboxes: 40, SandboxesPerVM: 4, Functions: two,
			Proactive: 0.3, BeforeWindow: 0.1, Reports: TextReports, Noise: 1, Damaged: 0.3}},
		{"JSON REPORTs, provisioned", Config{Seed: 3, Sandboxes: 30, SandboxesPerVM: 2, Functions: two,
			Provisioned: 0.2, Proactive: 0.2, Reports: JSONReports, Noise: 0.5, Damaged: 0.1}},
		{"long lives, many invocations", Config{Seed: 4, Sandboxes: 10, MinLifetime: 2 * time.Hour, MaxLifetime: 8 * time.Hour,
			MinInvocations: 100, MaxInvocations: 300, Span: 6 * time.Hour, Reports: TextReports}},
		{"one sandbox, one invocation", Config{Seed: 5, Sandboxes: 1, MinInvocations: 1, MaxInvocations: 1, MinLifetime: time.Millisecond, MaxLifetime: time.Millisecond}},
	}
	for _, c := range configs {
		for _, format := range []Format{Raw, Tail, Events} {
			t.Run(c.name+"/"+[...]string{"raw", "tail", "events"}[format], func(t *testing.T) {
				t.Parallel()
				cfg := c.cfg
				cfg.Format, cfg.Profiles = format, profiles
				var b bytes.Buffer
				truth, err := Generate(&b, cfg)
				require.NoError(t, err)
				a := fleet.New()
				require.NoError(t, a.Read("gen", &b, int64(b.Len())))
				res := a.Result()

				assert.Equal(t, truth.Lines, res.Lines)
				for k, n := range truth.Kinds {
					assert.Equal(t, n, res.Kinds[k], "kind %s", k)
				}
				assert.Equal(t, truth.Sandboxes, res.Totals.Sandboxes)
				assert.Equal(t, truth.WithStartup, res.Totals.WithStartup)
				assert.Equal(t, truth.VMs, res.Totals.VMs)
				assert.Equal(t, truth.Functions, res.Totals.Functions)
				assert.Equal(t, truth.Sandboxes-truth.WithStartup, res.Totals.WithoutVM)
				assert.Zero(t, res.Totals.DuplicateStartups+res.Totals.DuplicateFirsts)

				assert.Equal(t, truth.Invocations, res.Cold.Invocations)
				assert.Equal(t, truth.Cold, res.Cold.Cold)
				assert.Equal(t, truth.FirstInvocations, res.Cold.FirstInvocations)
				assert.Equal(t, truth.ProactiveInit, res.Cold.ProactiveInit)
				assert.Equal(t, truth.FirstReasons, res.Cold.FirstReasons)
				assert.Equal(t, truth.MissingInvocations, res.Cold.MissingInvocations)
				assert.Equal(t, truth.Reports, res.Reports.Count)
				assert.Equal(t, truth.ReportsWithInit, res.Reports.WithInit)
				assert.Equal(t, int(truth.ReportsWithInit), res.Reports.SandboxesWithInit, "every cold REPORT is tied to its sandbox")

				assert.Equal(t, nearestRank(ints(truth.SandboxesPerVM)), res.Hosts.SandboxesPerVM)
				assert.Equal(t, nearestRank(ints(truth.ConcurrentPerVM)), res.Hosts.ConcurrentPerVM)
				want := nearestRank(seconds(truth.Lifetimes))
				got := res.Lifetime
				assert.InDelta(t, want.Mean, got.Mean, 1e-6)
				want.Mean, got.Mean = 0, 0
				assert.Equal(t, want, got)
				assert.Empty(t, res.Notes)

				rows, omitted := a.Rows(1000)
				assert.Len(t, rows, truth.Sandboxes)
				assert.Zero(t, omitted)
				ids := map[string]bool{}
				for _, r := range rows {
					ids[r.Sandbox] = true
				}
				for _, id := range truth.SandboxIDs {
					assert.True(t, ids[id], "sandbox %s drawn", id)
				}
			})
		}
	}
}

func TestGenerateDeterministic(t *testing.T) {
	t.Parallel()
	cfg := Config{Seed: 9, Sandboxes: 12, SandboxesPerVM: 3, Proactive: 0.5, Reports: JSONReports, Noise: 1, Damaged: 1, Format: Tail}
	var a, b bytes.Buffer
	ta, err := Generate(&a, cfg)
	require.NoError(t, err)
	tb, err := Generate(&b, cfg)
	require.NoError(t, err)
	assert.Equal(t, a.String(), b.String())
	assert.Equal(t, ta, tb)
	cfg.Seed = 10
	var c bytes.Buffer
	_, err = Generate(&c, cfg)
	require.NoError(t, err)
	assert.NotEqual(t, a.String(), c.String())
}

func TestGenerateBadConfig(t *testing.T) {
	t.Parallel()
	_, err := Generate(&bytes.Buffer{}, Config{Proactive: 0.7, BeforeWindow: 0.5})
	assert.ErrorContains(t, err, "within [0, 1]")
	_, err = LoadProfiles(t.TempDir(), "nothing-here")
	assert.ErrorContains(t, err, "nothing detected")
}

func TestDefaultProfiles(t *testing.T) {
	t.Parallel()
	profiles, err := DefaultProfiles()
	require.NoError(t, err)
	require.Len(t, profiles, 3)
	for _, p := range profiles {
		assert.Equal(t, "aws", p.Host.Platform.Provider, p.Name)
		assert.NotEmpty(t, p.Host.Machine.CPU.ModelName, p.Name)
		assert.NotEmpty(t, p.Host.Machine.Instance.FamilyCandidates, p.Name)
	}
	assert.Equal(t, hostinfo.HypervisorXen, profiles[2].Host.Machine.Hypervisor.Kind)
}
