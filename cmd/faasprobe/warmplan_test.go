package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/warmer"
)

func warmPlanCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = runWarmPlan(args, &out, &errb)
	return code, out.String(), errb.String()
}

// warmPlanJSON runs with --json and decodes the document.
func warmPlanJSON(t *testing.T, args ...string) warmPlanOutput {
	t.Helper()
	code, out, errOut := warmPlanCLI(t, append(args, "--json")...)
	require.Equal(t, 0, code, errOut)
	var doc warmPlanOutput
	require.NoError(t, json.Unmarshal([]byte(out), &doc), out)
	return doc
}

func TestWarmPlanHelp(t *testing.T) {
	t.Parallel()
	for _, h := range []string{"--help", "-h"} {
		code, out, _ := warmPlanCLI(t, h)
		assert.Equal(t, 0, code)
		assert.Contains(t, out, "--target FUNCTION[:QUALIFIER][=N]")
		assert.Contains(t, out, "us-east-1")
	}
}

func TestWarmPlanBadUsage(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	badHistory := filepath.Join(dir, "bad.txt")
	require.NoError(t, os.WriteFile(badHistory, []byte("2026-11-25T10:00:00Z\nyesterday\n"), 0o600))
	tests := []struct {
		name string
		args []string
		want string
	}{
		{name: "no target", args: nil, want: "at least one --target"},
		{name: "bad target", args: []string{"--target", "my fn"}, want: `invalid value "my fn" for flag -target: target "my fn": function name "my fn": only letters`},
		{name: "bad N", args: []string{"--target", "fn=0"}, want: "concurrency"},
		{name: "rate and cron", args: []string{"--target", "fn", "--rate", "5m", "--cron", "0 * * * ? *"}, want: "exclude each other"},
		{name: "plural for 1", args: []string{"--target", "fn", "--rate", "rate(1 minutes)"}, want: "singular unit for 1"},
		{name: "singular for 5", args: []string{"--target", "fn", "--rate", "5 minute"}, want: "rate(5 minutes)"},
		{name: "sub-minute rate", args: []string{"--target", "fn", "--rate", "30s"}, want: "whole minutes"},
		{name: "bad cron", args: []string{"--target", "fn", "--cron", "0 12 * * * *"}, want: "one of them must be ?"},
		{name: "cron with five fields", args: []string{"--target", "fn", "--cron", "*/5 * * * *"}, want: "5 fields; want 6"},
		{name: "memory too small", args: []string{"--target", "fn", "--memory-mb", "64"}, want: "128 to 10240"},
		{name: "ping under 1 ms", args: []string{"--target", "fn", "--ping-ms", "0"}, want: "at least 1 ms"},
		{name: "negative price", args: []string{"--target", "fn", "--price-gb-s", "-1"}, want: "--price-gb-s -1"},
		{name: "unknown flag", args: []string{"--target", "fn", "--nope"}, want: "flag provided but not defined: -nope"},
		{name: "extra argument", args: []string{"--target", "fn", "extra"}, want: `unexpected argument "extra"`},
		{name: "bad date", args: []string{"--target", "fn", "--from", "tomorrow"}, want: "want YYYY-MM-DD"},
		{name: "missing history", args: []string{"--target", "fn", "--history", filepath.Join(dir, "missing")}, want: "--history"},
		{name: "bad history line", args: []string{"--target", "fn", "--history", badHistory}, want: `line 2: "yesterday"`},
		{name: "too many sandboxes", args: []string{"--target", "a=600", "--target", "b=600"}, want: "1200 sandboxes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := warmPlanCLI(t, tt.args...)
			assert.Equal(t, 2, code)
			assert.Empty(t, out)
			assert.True(t, strings.HasPrefix(errOut, "faasprobe warm-plan: "), errOut)
			assert.Contains(t, errOut, tt.want)
			assert.Contains(t, errOut, "Run 'faasprobe warm-plan --help' for usage.")
		})
	}
}

// The cost of a worked example, worked by hand: a 2 ms ping of a 128 MB
// function every 5 minutes is 730 h × 12 = 8,760 pings a month;
// 8,760 × $0.20/1M = $0.001752 in requests, 8,760 × 0.002 s × 0.125 GB =
// 2.19 GB-s × $0.0000166667 = $0.0000365 in duration.
func TestWarmPlanCostOfTheDesignExample(t *testing.T) {
	t.Parallel()
	doc := warmPlanJSON(t, "--target", "fn:live", "--rate", "rate(5 minutes)")
	assert.Equal(t, "rate(5 minutes)", doc.Schedule)
	assert.InDelta(t, 8760, doc.RoundsPerMonth, 1e-9)
	assert.InDelta(t, 8760, doc.Cost.Pings.Requests, 1e-9)
	assert.InDelta(t, 2.19, doc.Cost.Pings.GBSeconds, 1e-9)
	assert.InDelta(t, 0.001752+2.19*0.0000166667, doc.Cost.Pings.USD, 1e-12)
	// The scheduler: 8,760 rounds of 200 ms at 128 MB = 219 GB-s.
	assert.InDelta(t, 219, doc.Cost.Scheduler.GBSeconds, 1e-9)
	assert.InDelta(t, doc.Cost.Pings.USD+doc.Cost.Scheduler.USD, doc.Cost.TotalUSD, 1e-12)
	// Provisioned concurrency, 1 × 0.125 GB × 2,628,000 s × $0.0000041667.
	assert.InDelta(t, 0.125*2_628_000*0.0000041667, doc.Cost.ProvisionedUSD, 1e-9)
	assert.Equal(t, 730, doc.Cost.HoursPerMonth)
	assert.Contains(t, doc.Cost.PriceBasis, "us-east-1")
	assert.Empty(t, doc.Warnings)
}

func TestWarmPlanHeldPingsAndOverrides(t *testing.T) {
	t.Parallel()
	// N = 3 at 256 MB: each ping bills 2 + 75 ms; 720 rounds (rate(1 hour)).
	doc := warmPlanJSON(t, "--target", "api:live=3", "--rate", "1h", "--memory-mb", "256", "--price-requests", "0.4", "--price-gb-s", "0.00002")
	assert.Equal(t, "rate(1 hour)", doc.Schedule)
	assert.InDelta(t, 730, doc.RoundsPerMonth, 1e-9)
	assert.InDelta(t, 2190, doc.Cost.Pings.Requests, 1e-9)
	gbs := 2190 * 0.077 * 0.25
	assert.InDelta(t, gbs, doc.Cost.Pings.GBSeconds, 1e-9)
	assert.InDelta(t, 2190*0.4/1e6+gbs*0.00002, doc.Cost.Pings.USD, 1e-12)
	assert.Equal(t, 0.4, doc.Cost.Prices.RequestsPerMillion)
	assert.InDelta(t, 3*0.25*2_628_000*pricePCPerGBSecond, doc.Cost.ProvisionedUSD, 1e-9)
	assert.Equal(t, 3, doc.Sandboxes)
	require.NotEmpty(t, doc.Warnings)
	assert.Contains(t, doc.Warnings[0], "up to 1h0m0s between rounds")
}

// cron(0/5 8-17 ? * MON-FRI *) fires 120 times a weekday; from Monday
// 2027-01-04 for a year there are 52 weeks and one Monday (2028-01-03):
// 261 weekdays, 31,320 rounds, 2,610 per 730-hour month.
func TestWarmPlanCron(t *testing.T) {
	t.Parallel()
	doc := warmPlanJSON(t, "--target", "orders", "--cron", "0/5 8-17 ? * MON-FRI *", "--from", "2027-01-04")
	assert.Equal(t, "cron(0/5 8-17 ? * MON-FRI *)", doc.Schedule)
	assert.InDelta(t, 31320.0*730/8760, doc.RoundsPerMonth, 1e-9)
	assert.Equal(t, (62*time.Hour + 5*time.Minute).Seconds(), doc.LongestGapS, "Friday 17:55 to Monday 08:00")
	var gapWarning bool
	for _, w := range doc.Warnings {
		gapWarning = gapWarning || strings.Contains(w, "may go cold in between")
	}
	assert.True(t, gapWarning)
}

func TestWarmPlanSnippets(t *testing.T) {
	t.Parallel()
	doc := warmPlanJSON(t,
		"--target", "orders:live=2",
		"--target", "123456789012:function:api",
		"--target", "arn:aws:lambda:eu-west-1:123456789012:function:img:$LATEST=1",
		"--fanout", "--scheduler-memory-mb", "256", "--rate", "4 minutes")

	sam := doc.SAM
	assert.Contains(t, sam, `Schedule: "rate(4 minutes)"`)
	assert.Contains(t, sam, `FAASPROBE_WARM_TARGETS: "orders:live=2,123456789012:function:api=1,arn:aws:lambda:eu-west-1:123456789012:function:img:$LATEST=1"`)
	assert.Contains(t, sam, `FAASPROBE_WARM_FANOUT: "1"`)
	assert.Contains(t, sam, `- !Sub "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:orders:live"`)
	assert.Contains(t, sam, `- !Sub "arn:${AWS::Partition}:lambda:${AWS::Region}:123456789012:function:api"`)
	assert.Contains(t, sam, `- !Sub "arn:aws:lambda:eu-west-1:123456789012:function:img:$LATEST"`)
	assert.Contains(t, sam, "MemorySize: 256")
	assert.Contains(t, sam, "            Name: faasprobe-scheduler\n")
	assert.NotContains(t, "faasprobe-scheduler", warmer.RuleMarker, "the scheduler's rule must not look like a ping")

	tf := doc.Terraform
	assert.Contains(t, tf, `schedule_expression = "rate(4 minutes)"`)
	assert.Contains(t, tf, `"arn:${data.aws_partition.current.partition}:lambda:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:function:orders:live",`)
	assert.Contains(t, tf, `"arn:aws:lambda:eu-west-1:123456789012:function:img:$LATEST",`)
	assert.Contains(t, tf, `FAASPROBE_WARM_FANOUT  = "1"`)
	assert.Contains(t, tf, "memory_size   = 256")
	assert.Equal(t, strings.Count(tf, "{"), strings.Count(tf, "}"), "balanced braces")

	// The targets in the snippet are what the scheduler reads back.
	for _, spec := range strings.Split("orders:live=2,123456789012:function:api=1,arn:aws:lambda:eu-west-1:123456789012:function:img:$LATEST=1", ",") {
		_, err := warmer.ParseTarget(spec)
		assert.NoError(t, err, spec)
	}
}

func TestWarmPlanText(t *testing.T) {
	t.Parallel()
	code, out, errOut := warmPlanCLI(t, "--target", "orders:live=3", "--target", "api:prod", "--from", "2027-01-01")
	require.Equal(t, 0, code, errOut)
	for _, want := range []string{
		"keep 4 sandboxes of 2 functions warm",
		"Schedule:  rate(4 minutes)  (10950 rounds a month; longest gap 4m0s)",
		"3 concurrent pings a round, each held 75 ms",
		"$0.2 per 1M requests, $0.0000166667 per GB-s, provisioned concurrency $0.0000041667 per GB-s",
		"us-east-1",
		"vs provisioned concurrency for the same 4 sandboxes at 128 MB: $5.48 a month",
		"best-effort",
		"Resources:",
		`resource "aws_cloudwatch_event_rule"`,
	} {
		assert.Contains(t, out, want)
	}
}

func TestWarmPlanHistory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	// 48 invocations 30 minutes apart: warming is worth it, interval 4m.
	var b strings.Builder
	b.WriteString("# invocation times\n\n")
	start := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	for i := range 48 {
		ts := start.Add(time.Duration(i) * 30 * time.Minute)
		if i%2 == 0 {
			fmt.Fprintln(&b, ts.Format(time.RFC3339))
		} else {
			fmt.Fprintf(&b, "%d.000\n", ts.Unix())
		}
	}
	periodic := filepath.Join(dir, "periodic.txt")
	require.NoError(t, os.WriteFile(periodic, []byte(b.String()), 0o600))
	doc := warmPlanJSON(t, "--target", "api", "--history", periodic)
	require.NotNil(t, doc.Advice)
	assert.True(t, doc.Advice.Worth, doc.Advice.Reason)
	assert.Equal(t, 47, doc.Advice.IdleTimes)
	assert.Equal(t, "rate(4 minutes)", doc.Schedule, "the advised interval")

	// Busy: every 2 minutes; the platform keeps it warm by itself.
	b.Reset()
	for i := range 30 {
		fmt.Fprintln(&b, start.Add(time.Duration(i)*2*time.Minute).Format(time.RFC3339Nano))
	}
	busy := filepath.Join(dir, "busy.txt")
	require.NoError(t, os.WriteFile(busy, []byte(b.String()), 0o600))
	code, out, errOut := warmPlanCLI(t, "--target", "api", "--history", busy, "--rate", "10m")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "worth it: false")
	assert.Contains(t, out, "rate(10 minutes)", "--rate wins over the advice")
}

func TestReadHistory(t *testing.T) {
	t.Parallel()
	got, err := readHistory(strings.NewReader("1700000000\n\n# c\n2026-11-25T10:00:00.5Z\n1700000000.25\n"))
	require.NoError(t, err)
	require.Len(t, got, 3)
	assert.Equal(t, time.Unix(1700000000, 0).UTC(), got[0])
	assert.Equal(t, time.Date(2026, 11, 25, 10, 0, 0, 5e8, time.UTC), got[1])
	assert.Equal(t, time.Unix(1700000000, 250_000_000).UTC(), got[2])
	for _, bad := range []string{"-5\n", "1e300\n", "NaN\n", "2026-13-01T00:00:00Z\n"} {
		_, err := readHistory(strings.NewReader(bad))
		assert.Error(t, err, "%q", bad)
	}
}

// FuzzReadHistory: never panics; what it reads is one time per data line.
func FuzzReadHistory(f *testing.F) {
	f.Add("1700000000\n2026-11-25T10:00:00Z\n")
	f.Add("# comment\n\n1700000000.5\n")
	f.Add("2026-11-25T10:00:00.123456789+02:00\n")
	f.Add("1e10\n-0\n")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := readHistory(strings.NewReader(s))
		if err != nil {
			assert.Nil(t, got)
			return
		}
		data := 0
		for _, l := range strings.Split(s, "\n") {
			if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
				data++
			}
		}
		assert.Equal(t, data, len(got))
		a := warmer.Advise(got, warmer.AdviceConfig{})
		assert.NotEmpty(t, a.Policy)
		b, err := json.Marshal(a) // what --json prints of it
		require.NoError(t, err)
		var back warmer.Advice
		require.NoError(t, json.Unmarshal(b, &back), "%s", b)
	})
}
