package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/faasprobe/faasprobe/internal/excerpt"
	"github.com/faasprobe/faasprobe/internal/textsafe"
	"github.com/faasprobe/faasprobe/warmer"
	"github.com/faasprobe/faasprobe/warmer/schedule"
)

// List prices used by warm-plan by default: AWS Lambda, US East (N.
// Virginia), x86_64, on-demand, from https://aws.amazon.com/lambda/pricing/
// (the page's "AWS Lambda Pricing" and "Provisioned Concurrency Pricing"
// tables, as published for 2024–2026). They are inputs: every one is
// overridable by a flag, and the output says which prices it used.
const (
	// pricePerMillionRequests: "Requests: $0.20 per 1M requests".
	pricePerMillionRequests = 0.20
	// pricePerGBSecond: "Duration: $0.0000166667 for every GB-second"
	// (the first 6 billion GB-seconds a month).
	pricePerGBSecond = 0.0000166667
	// pricePCPerGBSecond: Provisioned Concurrency, "$0.0000041667 for
	// every GB-second" of concurrency configured (x86_64); invocations
	// served by it then pay $0.0000097222 per GB-s of duration, not shown.
	pricePCPerGBSecond = 0.0000041667
)

// hoursPerMonth is AWS's billing month (730 hours).
const hoursPerMonth = 730

// warmPlanUsage is the help text of `faasprobe warm-plan`.
const warmPlanUsage = `faasprobe warm-plan: a keep-warm schedule for Lambda functions, its
infrastructure snippets, and what it costs.

Usage:
  faasprobe warm-plan --target FUNCTION[:QUALIFIER][=N] [--target ...] [flags]

Targets (repeatable; N sandboxes to keep warm, default 1):
  --target orders:live=3    a name, a partial ARN or a full ARN, with an
                            optional version or alias
Schedule (one of; default rate(4 minutes)):
  --rate R      rate(4 minutes), "4 minutes" or a Go duration (4m, 1h)
  --cron C      cron(0/4 8-18 ? * MON-FRI *) or its six fields
  --history F   invocation timestamps, one a line (RFC 3339 or Unix
                seconds): print the hybrid-histogram advice ("Serverless
                in the Wild"), and use its interval when no --rate/--cron
Cost inputs:
  --memory-mb M           target memory (default 128)
  --ping-ms D             billed duration of one ping (default 2)
  --hold-ms H             hold of a ping asking for N > 1 (default 75)
  --fanout                one ping per target, fanned out by the target
  --scheduler-memory-mb M scheduler memory (default 128)
  --scheduler-ms D        scheduler duration per round (default 200)
  --price-requests P      USD per 1M requests (default 0.20)
  --price-gb-s P          USD per GB-second (default 0.0000166667)
  --price-pc-gb-s P       USD per GB-second of provisioned concurrency
                          (default 0.0000041667)
  --from YYYY-MM-DD       start of the year over which a cron() is counted
                          (default: today, UTC)
Output:
  --json        one JSON object instead of text

Prices are AWS Lambda list prices for us-east-1, x86_64, without the free
tier; they are inputs (flags), not a quote. Exit status: 0, or 2 for bad
usage.
`

// warmPlanConfig is what the flags say.
type warmPlanConfig struct {
	targets                  []warmer.Target
	rate, cron, history      string
	memoryMB, schedMemoryMB  int
	pingMs, holdMs, schedMs  float64
	fanOut, asJSON           bool
	priceReq, priceGBs, pcGB float64
	from                     time.Time
}

// targetFlag collects repeated --target flags.
type targetFlag struct{ targets *[]warmer.Target }

func (f targetFlag) String() string { return "" }
func (f targetFlag) Set(s string) error {
	t, err := warmer.ParseTarget(s)
	if err != nil {
		return errors.New(strings.TrimPrefix(err.Error(), "warmer: "))
	}
	*f.targets = append(*f.targets, t)
	return nil
}

// errUsage marks bad usage (exit 2).
var errUsage = errors.New("bad usage")

func parseWarmPlanArgs(args []string) (warmPlanConfig, error) {
	c := warmPlanConfig{}
	fs := flag.NewFlagSet("warm-plan", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Var(targetFlag{&c.targets}, "target", "")
	fs.StringVar(&c.rate, "rate", "", "")
	fs.StringVar(&c.cron, "cron", "", "")
	fs.StringVar(&c.history, "history", "", "")
	fs.IntVar(&c.memoryMB, "memory-mb", 128, "")
	fs.Float64Var(&c.pingMs, "ping-ms", 2, "")
	fs.Float64Var(&c.holdMs, "hold-ms", float64(warmer.DefaultHold.Milliseconds()), "")
	fs.BoolVar(&c.fanOut, "fanout", false, "")
	fs.IntVar(&c.schedMemoryMB, "scheduler-memory-mb", 128, "")
	fs.Float64Var(&c.schedMs, "scheduler-ms", 200, "")
	fs.Float64Var(&c.priceReq, "price-requests", pricePerMillionRequests, "")
	fs.Float64Var(&c.priceGBs, "price-gb-s", pricePerGBSecond, "")
	fs.Float64Var(&c.pcGB, "price-pc-gb-s", pricePCPerGBSecond, "")
	from := fs.String("from", "", "")
	fs.BoolVar(&c.asJSON, "json", false, "")
	if err := fs.Parse(args); err != nil {
		return c, fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	switch {
	case len(c.targets) == 0:
		return c, fmt.Errorf("%w: at least one --target FUNCTION[:QUALIFIER][=N] is needed", errUsage)
	case c.rate != "" && c.cron != "":
		return c, fmt.Errorf("%w: --rate and --cron exclude each other", errUsage)
	case c.memoryMB < 128 || c.memoryMB > 10240:
		return c, fmt.Errorf("%w: --memory-mb %d: Lambda allows 128 to 10240", errUsage, c.memoryMB)
	case c.schedMemoryMB < 128 || c.schedMemoryMB > 10240:
		return c, fmt.Errorf("%w: --scheduler-memory-mb %d: Lambda allows 128 to 10240", errUsage, c.schedMemoryMB)
	}
	for _, f := range []struct {
		name string
		v    float64
	}{
		{"--ping-ms", c.pingMs}, {"--hold-ms", c.holdMs}, {"--scheduler-ms", c.schedMs},
		{"--price-requests", c.priceReq}, {"--price-gb-s", c.priceGBs}, {"--price-pc-gb-s", c.pcGB},
	} {
		if f.v < 0 || math.IsNaN(f.v) || math.IsInf(f.v, 0) || f.v > 1e6 {
			return c, fmt.Errorf("%w: %s %v: want a number from 0 to 1000000", errUsage, f.name, f.v)
		}
	}
	if c.pingMs < 1 {
		return c, fmt.Errorf("%w: --ping-ms %v: Lambda bills at least 1 ms", errUsage, c.pingMs)
	}
	total := 0
	for i := range c.targets {
		c.targets[i].FanOut = c.fanOut
		total += c.targets[i].Concurrency
	}
	if total > warmer.MaxPlanPings {
		return c, fmt.Errorf("%w: %d sandboxes in all; one round sends at most %d pings", errUsage, total, warmer.MaxPlanPings)
	}
	c.from = time.Now().UTC().Truncate(24 * time.Hour)
	if *from != "" {
		t, err := time.Parse("2006-01-02", *from)
		if err != nil {
			return c, fmt.Errorf("%w: --from %q: want YYYY-MM-DD", errUsage, *from)
		}
		c.from = t
	}
	return c, nil
}

// parseRateFlag reads --rate: a rate() expression, "4 minutes", or a Go
// duration.
func parseRateFlag(s string) (schedule.Schedule, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "rate(") {
		return schedule.Parse(s)
	}
	if d, err := time.ParseDuration(s); err == nil {
		return schedule.Every(d)
	}
	return schedule.Parse("rate(" + s + ")")
}

// parseCronFlag reads --cron: a cron() expression or its six fields.
func parseCronFlag(s string) (schedule.Schedule, error) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "cron(") {
		s = "cron(" + s + ")"
	}
	return schedule.Parse(s)
}

// readHistory reads invocation timestamps: one per line, RFC 3339 (with or
// without fractional seconds) or Unix seconds; blank lines and lines
// starting with # are skipped.
func readHistory(r io.Reader) ([]time.Time, error) {
	var out []time.Time
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if t, err := time.Parse(time.RFC3339Nano, line); err == nil {
			out = append(out, t)
			continue
		}
		f, err := strconv.ParseFloat(line, 64)
		if err != nil || f < 0 || f > 1e11 || math.IsNaN(f) {
			return nil, fmt.Errorf("line %d: %q is neither RFC 3339 nor Unix seconds", n, excerpt.Clip(line))
		}
		sec, frac := math.Modf(f)
		out = append(out, time.Unix(int64(sec), int64(frac*1e9)).UTC())
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// warmPlanOutput is the --json document, and what the text is printed from.
type warmPlanOutput struct {
	Schedule       string          `json:"schedule"`
	RoundsPerMonth float64         `json:"rounds_per_month"`
	LongestGapS    float64         `json:"longest_gap_s"`
	Targets        []warmer.Target `json:"targets"`
	Sandboxes      int             `json:"sandboxes"`
	Cost           warmPlanCost    `json:"cost"`
	Advice         *warmer.Advice  `json:"advice,omitempty"`
	Warnings       []string        `json:"warnings"`
	SAM            string          `json:"sam"`
	Terraform      string          `json:"terraform"`
}

// warmPlanCost is the monthly cost estimate.
type warmPlanCost struct {
	Currency      string          `json:"currency"`
	PriceBasis    string          `json:"price_basis"`
	HoursPerMonth int             `json:"hours_per_month"`
	Prices        warmPlanPrices  `json:"prices"`
	Pings         warmPlanCostRow `json:"pings"`
	Scheduler     warmPlanCostRow `json:"scheduler"`
	TotalUSD      float64         `json:"total_usd"`
	// ProvisionedUSD is the provisioned-concurrency charge alone for the
	// same sandboxes, the whole month.
	ProvisionedUSD float64 `json:"provisioned_concurrency_usd"`
}

type warmPlanPrices struct {
	RequestsPerMillion float64 `json:"requests_per_million"`
	GBSecond           float64 `json:"gb_second"`
	PCGBSecond         float64 `json:"provisioned_concurrency_gb_second"`
}

type warmPlanCostRow struct {
	Requests  float64 `json:"requests"`
	GBSeconds float64 `json:"gb_seconds"`
	USD       float64 `json:"usd"`
}

// row prices requests invocations of ms milliseconds at memMB.
func (c warmPlanConfig) row(requests, ms float64, memMB int) warmPlanCostRow {
	gbs := requests * ms / 1000 * float64(memMB) / 1024
	return warmPlanCostRow{Requests: requests, GBSeconds: gbs, USD: requests*c.priceReq/1e6 + gbs*c.priceGBs}
}

// planWarm computes the output from the configuration (pure but for the
// history file, read by the caller).
func planWarm(c warmPlanConfig, sched schedule.Schedule, advice *warmer.Advice) warmPlanOutput {
	out := warmPlanOutput{Schedule: sched.String(), Targets: c.targets, Advice: advice, Warnings: []string{}}
	month := time.Duration(hoursPerMonth) * time.Hour
	if sched.IsRate() {
		out.RoundsPerMonth = float64(month) / float64(sched.Interval())
		out.LongestGapS = sched.Interval().Seconds()
	} else {
		year := c.from.AddDate(1, 0, 0)
		n := sched.Count(c.from, year)
		out.RoundsPerMonth = float64(n) * float64(month) / float64(year.Sub(c.from))
		out.LongestGapS = sched.LongestGap(c.from, year).Seconds()
	}

	var pings, gbMs float64 // per round: invocations, and ms × invocations
	maxN := 0
	for _, t := range c.targets {
		n := float64(t.Concurrency)
		ms := c.pingMs
		if t.Concurrency > 1 {
			ms += c.holdMs
		}
		pings += n
		gbMs += n * ms
		out.Sandboxes += t.Concurrency
		maxN = max(maxN, t.Concurrency)
	}
	meanMs := 0.0
	if pings > 0 {
		meanMs = gbMs / pings
	}
	out.Cost = warmPlanCost{
		Currency:      "USD",
		PriceBasis:    "AWS Lambda list prices, us-east-1, x86_64, no free tier (inputs: --price-requests, --price-gb-s, --price-pc-gb-s)",
		HoursPerMonth: hoursPerMonth,
		Prices:        warmPlanPrices{RequestsPerMillion: c.priceReq, GBSecond: c.priceGBs, PCGBSecond: c.pcGB},
		Pings:         c.row(out.RoundsPerMonth*pings, meanMs, c.memoryMB),
		Scheduler:     c.row(out.RoundsPerMonth, c.schedMs, c.schedMemoryMB),
	}
	out.Cost.TotalUSD = out.Cost.Pings.USD + out.Cost.Scheduler.USD
	out.Cost.ProvisionedUSD = float64(out.Sandboxes) * float64(c.memoryMB) / 1024 * month.Seconds() * c.pcGB

	warn := func(format string, a ...any) { out.Warnings = append(out.Warnings, fmt.Sprintf(format, a...)) }
	if out.LongestGapS > 5*60 {
		warn("the schedule leaves up to %v between rounds: Lambda has been seen to reclaim idle sandboxes after ~5 minutes, so they may go cold in between", time.Duration(out.LongestGapS*float64(time.Second)))
	}
	if maxN > 1 && c.holdMs == 0 {
		warn("--hold-ms 0: N concurrent pings may all land on fewer sandboxes than N")
	}
	if maxN > warmer.DefaultMaxConcurrency {
		warn("targets cap N at %d by default: wrap them with warmer.WithMaxConcurrency(%d)", warmer.DefaultMaxConcurrency, maxN)
	}
	if c.fanOut {
		warn("--fanout: targets need warmer.WithFanOut and permission to invoke themselves; the first receiver is billed while it waits for the others")
	}
	for _, t := range c.targets {
		if t.Qualifier == "" {
			warn("%s has no qualifier: provisioned concurrency needs a version or alias, and callers of an alias use that alias's sandboxes", t.Function)
			break
		}
	}
	out.SAM = samSnippet(c, out.Schedule)
	out.Terraform = terraformSnippet(c, out.Schedule)
	return out
}

// targetsEnv is FAASPROBE_WARM_TARGETS for the scheduler.
func targetsEnv(ts []warmer.Target) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = t.String()
	}
	return strings.Join(s, ",")
}

// invokeARN is the ARN the scheduler must be allowed to invoke, with
// ${partition}, ${region} and ${account} standing for the unknowns
// (callers substitute their template language's spelling).
func invokeARN(t warmer.Target) string {
	arn := t.Function
	switch parts := strings.Split(arn, ":"); {
	case parts[0] == "arn":
	case len(parts) == 3: // account:function:name
		arn = "arn:${partition}:lambda:${region}:" + arn
	default:
		arn = "arn:${partition}:lambda:${region}:${account}:function:" + arn
	}
	if t.Qualifier != "" {
		arn += ":" + t.Qualifier
	}
	return arn
}

// samSnippet is the AWS SAM template of the scheduler.
func samSnippet(c warmPlanConfig, expr string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `# AWS SAM (Transform: AWS::Serverless-2016-10-31): the scheduler of
# examples/warmer, its EventBridge schedule, and its permission to invoke
# the targets. Build bootstrap into ./warmer-bootstrap/:
#   CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go build -tags lambda.norpc \
#     -o warmer-bootstrap/bootstrap ./examples/warmer
# (The rule name avoids "faasprobe-warm": a rule named so that targets a
# wrapped function directly is itself a ping, N = 1.)
Resources:
  FaasprobeWarmer:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: faasprobe-warmer
      CodeUri: ./warmer-bootstrap/
      Handler: bootstrap
      Runtime: provided.al2023
      Architectures: [arm64]
      MemorySize: %d
      Timeout: 30
      Environment:
        Variables:
          FAASPROBE_WARM_TARGETS: "%s"
`, c.schedMemoryMB, targetsEnv(c.targets))
	if c.fanOut {
		b.WriteString("          FAASPROBE_WARM_FANOUT: \"1\"\n")
	}
	b.WriteString(`      Policies:
        - Statement:
            - Effect: Allow
              Action: lambda:InvokeFunction
              Resource:
`)
	for _, t := range c.targets {
		arn := strings.NewReplacer("${partition}", "${AWS::Partition}", "${region}", "${AWS::Region}", "${account}", "${AWS::AccountId}").Replace(invokeARN(t))
		fmt.Fprintf(&b, "                - !Sub \"%s\"\n", arn)
	}
	fmt.Fprintf(&b, `      Events:
        Warm:
          Type: Schedule
          Properties:
            Name: faasprobe-scheduler
            Schedule: "%s"
`, expr)
	return b.String()
}

// terraformSnippet is the Terraform (hashicorp/aws) configuration of the
// scheduler.
func terraformSnippet(c warmPlanConfig, expr string) string {
	var b strings.Builder
	b.WriteString(`# Terraform (hashicorp/aws): the scheduler of examples/warmer, its
# EventBridge rule, and its permission to invoke the targets.
# warmer.zip holds bootstrap, built with:
#   CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go build -tags lambda.norpc -o bootstrap ./examples/warmer
data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

resource "aws_iam_role" "faasprobe_warmer" {
  name = "faasprobe-warmer"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "faasprobe_warmer_logs" {
  role       = aws_iam_role.faasprobe_warmer.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_iam_role_policy" "faasprobe_warmer_invoke" {
  name = "invoke-warm-targets"
  role = aws_iam_role.faasprobe_warmer.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Action = "lambda:InvokeFunction"
      Resource = [
`)
	for _, t := range c.targets {
		arn := strings.NewReplacer("${partition}", "${data.aws_partition.current.partition}", "${region}", "${data.aws_region.current.name}", "${account}", "${data.aws_caller_identity.current.account_id}").Replace(invokeARN(t))
		fmt.Fprintf(&b, "        \"%s\",\n", arn)
	}
	fmt.Fprintf(&b, `      ]
    }]
  })
}

resource "aws_lambda_function" "faasprobe_warmer" {
  function_name = "faasprobe-warmer"
  role          = aws_iam_role.faasprobe_warmer.arn
  filename      = "warmer.zip"
  handler       = "bootstrap"
  runtime       = "provided.al2023"
  architectures = ["arm64"]
  memory_size   = %d
  timeout       = 30
  environment {
    variables = {
      FAASPROBE_WARM_TARGETS = "%s"
`, c.schedMemoryMB, targetsEnv(c.targets))
	if c.fanOut {
		b.WriteString("      FAASPROBE_WARM_FANOUT  = \"1\"\n")
	}
	fmt.Fprintf(&b, `    }
  }
}

resource "aws_cloudwatch_event_rule" "faasprobe_warmer" {
  name                = "faasprobe-scheduler"
  schedule_expression = "%s"
}

resource "aws_cloudwatch_event_target" "faasprobe_warmer" {
  rule = aws_cloudwatch_event_rule.faasprobe_warmer.name
  arn  = aws_lambda_function.faasprobe_warmer.arn
}

resource "aws_lambda_permission" "faasprobe_warmer_events" {
  statement_id  = "AllowEventBridgeInvoke"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.faasprobe_warmer.function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.faasprobe_warmer.arn
}
`, expr)
	return b.String()
}

// usd formats a dollar amount: four decimals below $1, two above.
func usd(v float64) string {
	if v < 1 {
		return fmt.Sprintf("$%.4f", v)
	}
	return fmt.Sprintf("$%.2f", v)
}

// printWarmPlan writes the text form, through textsafe: target names and
// the history's words are the user's or someone else's.
func printWarmPlan(w io.Writer, c warmPlanConfig, o warmPlanOutput) {
	w = textsafe.NewWriter(w)
	fmt.Fprintf(w, "faasprobe warm-plan: keep %d %s of %d %s warm\n\n",
		o.Sandboxes, pluralWord(o.Sandboxes, "sandbox", "sandboxes"), len(o.Targets), pluralWord(len(o.Targets), "function", "functions"))
	fmt.Fprintf(w, "Schedule:  %s  (%.0f rounds a month; longest gap %v)\n", o.Schedule, o.RoundsPerMonth, time.Duration(o.LongestGapS*float64(time.Second)))
	fmt.Fprintln(w, "Targets:")
	for _, t := range o.Targets {
		how := "1 ping a round"
		switch {
		case t.FanOut && t.Concurrency > 1:
			how = fmt.Sprintf("1 ping a round, fanned out to %d by the target, each held %v ms", t.Concurrency, c.holdMs)
		case t.Concurrency > 1:
			how = fmt.Sprintf("%d concurrent pings a round, each held %v ms", t.Concurrency, c.holdMs)
		}
		name := t.Function
		if t.Qualifier != "" {
			name += ":" + t.Qualifier
		}
		fmt.Fprintf(w, "  %-40s N=%-4d %s\n", name, t.Concurrency, how)
	}
	if a := o.Advice; a != nil {
		fmt.Fprintf(w, "\nAdvice from %d idle times (hybrid histogram policy, Shahrad et al., USENIX ATC 2020):\n  worth it: %v (policy %s)\n  %s\n", a.IdleTimes, a.Worth, a.Policy, a.Reason)
	}
	cost := o.Cost
	fmt.Fprintf(w, "\nCost per month (%d hours; %s):\n", cost.HoursPerMonth, cost.PriceBasis)
	fmt.Fprintf(w, "  prices     $%s per 1M requests, $%s per GB-s, provisioned concurrency $%s per GB-s\n",
		plain(cost.Prices.RequestsPerMillion), plain(cost.Prices.GBSecond), plain(cost.Prices.PCGBSecond))
	fmt.Fprintf(w, "  pings      %12.0f requests  %10.2f GB-s  %s\n", cost.Pings.Requests, cost.Pings.GBSeconds, usd(cost.Pings.USD))
	fmt.Fprintf(w, "  scheduler  %12.0f requests  %10.2f GB-s  %s\n", cost.Scheduler.Requests, cost.Scheduler.GBSeconds, usd(cost.Scheduler.USD))
	fmt.Fprintf(w, "  total      %s a month\n", usd(cost.TotalUSD))
	fmt.Fprintf(w, "  vs provisioned concurrency for the same %d %s at %d MB: %s a month (the concurrency charge alone; requests and duration come on top)\n",
		o.Sandboxes, pluralWord(o.Sandboxes, "sandbox", "sandboxes"), c.memoryMB, usd(cost.ProvisionedUSD))
	fmt.Fprintln(w, "  Not included: the free tier, the init (cold starts) the pings pay, and data transfer. Warming is best-effort: run")
	fmt.Fprintln(w, "  the scheduler and read its report's \"reached K of N\"; provisioned concurrency is the guarantee.")
	if len(o.Warnings) > 0 {
		fmt.Fprintln(w, "\nWarnings:")
		for _, s := range o.Warnings {
			fmt.Fprintf(w, "  - %s\n", s)
		}
	}
	fmt.Fprintf(w, "\n%s\n%s", o.SAM, o.Terraform)
}

// plain formats a price without an exponent.
func plain(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// runWarmPlan is `faasprobe warm-plan`.
func runWarmPlan(args []string, stdout, stderr io.Writer) int {
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--help" {
			fmt.Fprint(stdout, warmPlanUsage)
			return 0
		}
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "faasprobe warm-plan: %v\nRun 'faasprobe warm-plan --help' for usage.\n", strings.TrimPrefix(err.Error(), errUsage.Error()+": "))
		return 2
	}
	c, err := parseWarmPlanArgs(args)
	if err != nil {
		return fail(err)
	}

	var advice *warmer.Advice
	if c.history != "" {
		f, err := os.Open(c.history)
		if err != nil {
			return fail(fmt.Errorf("--history: %w", err))
		}
		times, err := readHistory(io.LimitReader(f, 64<<20))
		f.Close()
		if err != nil {
			return fail(fmt.Errorf("--history %s: %w", c.history, err))
		}
		a := warmer.Advise(times, warmer.AdviceConfig{})
		advice = &a
	}

	var sched schedule.Schedule
	switch {
	case c.cron != "":
		sched, err = parseCronFlag(c.cron)
	case c.rate != "":
		sched, err = parseRateFlag(c.rate)
	case advice != nil && advice.Worth:
		sched, err = schedule.Every(advice.Interval)
	default:
		sched, err = schedule.Every(warmer.DefaultEvery)
	}
	if err != nil {
		return fail(errors.New(strings.TrimPrefix(err.Error(), "schedule: ")))
	}

	out := planWarm(c, sched, advice)
	if c.asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			fmt.Fprintf(stderr, "faasprobe warm-plan: %v\n", err)
			return 1
		}
		return 0
	}
	printWarmPlan(stdout, c, out)
	return 0
}
