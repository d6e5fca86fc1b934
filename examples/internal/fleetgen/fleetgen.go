package fleetgen

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"time"

	"github.com/faasprobe/faasprobe/coldstart"
	"github.com/faasprobe/faasprobe/hostinfo"
	"github.com/faasprobe/faasprobe/internal/logline"
	"github.com/faasprobe/faasprobe/sandbox"
)

// Format is the shape of the output.
type Format int

// Output formats.
const (
	// Raw: the function's own lines, as a collector would forward them.
	Raw Format = iota
	// Tail: `aws logs tail` (detailed): "<timestamp> <log stream> <message>".
	Tail
	// Events: one `aws logs filter-log-events` JSON document.
	Events
)

// Reports says whether and how Lambda's REPORT records are included.
type Reports int

// REPORT styles.
const (
	NoReports   Reports = iota
	TextReports         // "REPORT RequestId: …" plus START/END lines (Lambda's text log format)
	JSONReports         // {"type":"platform.report",…} plus platform.start (Lambda's JSON log format)
)

// Function is one function of the fleet.
type Function struct {
	Name     string
	Region   string
	MemoryMB int
}

// Profile is a host as the library describes it; the VMs of the fleet are
// made from profiles, in turn.
type Profile struct {
	Name string
	Host hostinfo.Host
}

// Config describes the fleet. Zero fields take the defaults noted.
type Config struct {
	Seed  uint64
	Start time.Time     // default 2026-01-15T09:00:00Z
	Span  time.Duration // sandboxes are initialised within [Start, Start+Span); default 2 h
	// Functions; default one: {"orders", "us-east-1", 128}.
	Functions []Function
	Sandboxes int // default 20
	// SandboxesPerVM: sandboxes sharing one VM (boot id); default 1.
	SandboxesPerVM int
	// Lifetime bounds (uniform); default 5 min to 90 min.
	MinLifetime, MaxLifetime time.Duration
	// Invocations per sandbox (uniform); default 1 to 20.
	MinInvocations, MaxInvocations int
	// Shares of sandboxes (0–1): proactively initialised, provisioned,
	// started before the window. The rest are on-demand cold starts.
	Proactive, Provisioned, BeforeWindow float64
	Reports                              Reports
	// Noise: lines of the function's own (JSON and text) per invocation,
	// on average; Damaged: truncated or malformed copies of faasprobe lines
	// per invocation, on average (each is an extra line).
	Noise, Damaged float64
	Format         Format
	// Profiles of the VMs (round robin); default DefaultProfiles().
	Profiles []Profile
}

// Truth is what the analysis must find.
type Truth struct {
	Lines            int64 // lines written (events, for Events)
	Sandboxes        int
	WithStartup      int
	VMs              int
	Functions        int
	Invocations      int64
	Cold             int64
	FirstInvocations int64
	ProactiveInit    int64
	FirstReasons     map[string]int64
	Reports          int64
	ReportsWithInit  int64
	// MissingInvocations: invocations of sandboxes started before the
	// window whose lines are not written (their seq starts later).
	MissingInvocations int64
	// Kinds: expected records per kind name (fleet.Kind.String()).
	Kinds map[string]int64
	// SandboxesPerVM: per VM with a startup line, its sandboxes with one.
	SandboxesPerVM []int
	// ConcurrentPerVM: per VM, the most sandboxes alive at once.
	ConcurrentPerVM []int
	// Lifetimes: per sandbox, last − first time the analysis can see.
	Lifetimes []time.Duration
	// SandboxIDs, in creation order.
	SandboxIDs []string
	// BootIDs of the VMs with a startup line.
	BootIDs []string
}

// defaults fills the zero fields.
func (c *Config) defaults() error {
	if c.Start.IsZero() {
		c.Start = time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC)
	}
	if c.Span <= 0 {
		c.Span = 2 * time.Hour
	}
	if len(c.Functions) == 0 {
		c.Functions = []Function{{Name: "orders", Region: "us-east-1", MemoryMB: 128}}
	}
	if c.Sandboxes <= 0 {
		c.Sandboxes = 20
	}
	c.SandboxesPerVM = max(c.SandboxesPerVM, 1)
	if c.MinLifetime <= 0 {
		c.MinLifetime = 5 * time.Minute
	}
	if c.MaxLifetime < c.MinLifetime {
		c.MaxLifetime = max(90*time.Minute, c.MinLifetime)
	}
	c.MinInvocations = max(c.MinInvocations, 1)
	c.MaxInvocations = max(c.MaxInvocations, c.MinInvocations)
	if c.MaxInvocations == 1 && c.MinInvocations == 1 && c.MaxInvocations < 20 {
		c.MaxInvocations = 20
	}
	if c.Proactive+c.Provisioned+c.BeforeWindow > 1 || c.Proactive < 0 || c.Provisioned < 0 || c.BeforeWindow < 0 {
		return errors.New("fleetgen: Proactive + Provisioned + BeforeWindow must be within [0, 1]")
	}
	if len(c.Profiles) == 0 {
		p, err := DefaultProfiles()
		if err != nil {
			return err
		}
		c.Profiles = p
	}
	return nil
}

// DefaultProfiles loads the Lambda scenarios recorded in the repository
// (testdata/scenarios/lambda-*): Firecracker 2020 (Cascade Lake), 2022, and
// the 2017 Xen c4.
func DefaultProfiles() ([]Profile, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return nil, errors.New("fleetgen: cannot locate the repository's testdata")
	}
	dir := filepath.Join(filepath.Dir(file), "..", "..", "..", "testdata", "scenarios")
	return LoadProfiles(dir, "lambda-firecracker-2020-x86-36608", "lambda-firecracker-2022-x86", "lambda-xen-2017-c4")
}

// LoadProfiles detects the host of each named scenario tree under dir.
func LoadProfiles(dir string, names ...string) ([]Profile, error) {
	var out []Profile
	for _, n := range names {
		h, _ := hostinfo.Detect(hostinfo.WithRoot(filepath.Join(dir, n))) // problems stay in h.Problems
		if h.Platform.Provider == "" && h.Machine.CPU.ModelName == "" {
			return nil, fmt.Errorf("fleetgen: scenario %s under %s: nothing detected", n, dir)
		}
		out = append(out, Profile{Name: n, Host: h})
	}
	return out, nil
}

// kinds of generated lines
const (
	evStartup = iota
	evInvocation
	evReport
	evStart // START / platform.start
	evEnd   // END (text format only)
	evAppJSON
	evAppText
	evTruncated
	evMalformed
)

// event is one line to write, before rendering.
type event struct {
	t    int64 // Unix ns
	sb   int32
	kind uint8
	inv  int32 // invocation number within the sandbox (0-based)
}

// sbModel is one generated sandbox.
type sbModel struct {
	id, stream  string
	fn, vm      int
	init        int64 // startup line time
	before      bool  // started before the window
	reason      coldstart.Reason
	invTimes    []int64
	seq0        uint64 // seq of the first written invocation
	reqIDs      []string
	initMs      float64
	durs        []float64
	first, last int64 // truth span
}

// Generate writes the fleet described by cfg to w and returns its Truth.
func Generate(w io.Writer, cfg Config) (Truth, error) {
	if err := cfg.defaults(); err != nil {
		return Truth{}, err
	}
	g := &gen{cfg: cfg, rng: rand.New(rand.NewPCG(cfg.Seed, 0x5eed))}
	g.model()
	g.schedule()
	bw := bufio.NewWriterSize(w, 1<<20)
	if err := g.write(bw); err != nil {
		return Truth{}, err
	}
	if err := bw.Flush(); err != nil {
		return Truth{}, err
	}
	return g.truth(), nil
}

type gen struct {
	cfg    Config
	rng    *rand.Rand
	sbs    []sbModel
	vmBoot []string
	events []event
	lines  int64
	kinds  map[string]int64
}

func (g *gen) hex(n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[g.rng.IntN(16)]
	}
	return string(b)
}

func (g *gen) uuid() string {
	h := g.hex(32)
	return h[0:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:32]
}

func (g *gen) between(lo, hi int64) int64 {
	if hi <= lo {
		return lo
	}
	return lo + g.rng.Int64N(hi-lo)
}

// model draws the sandboxes.
func (g *gen) model() {
	c := g.cfg
	nVM := (c.Sandboxes + c.SandboxesPerVM - 1) / c.SandboxesPerVM
	g.vmBoot = make([]string, nVM)
	for i := range g.vmBoot {
		g.vmBoot[i] = g.uuid()
	}
	start := c.Start.UnixNano()
	for i := range c.Sandboxes {
		s := sbModel{id: g.hex(32), fn: i % len(c.Functions), vm: i / c.SandboxesPerVM}
		s.stream = c.Start.Format("2006/01/02") + "/[$LATEST]" + s.id
		life := g.between(int64(c.MinLifetime), int64(c.MaxLifetime)+1)
		s.init = g.between(start, start+int64(c.Span))
		u := g.rng.Float64()
		var firstAt int64
		switch {
		case u < c.BeforeWindow:
			s.before = true
			s.init = start - g.between(int64(time.Minute), int64(time.Hour)) // not written
			firstAt = start + g.between(0, int64(c.Span)/4)
			s.seq0 = uint64(2 + g.rng.IntN(50))
		case u < c.BeforeWindow+c.Proactive:
			s.reason = coldstart.ReasonProactiveInit
			firstAt = s.init + g.between(int64(11*time.Second), int64(60*time.Second))
		case u < c.BeforeWindow+c.Proactive+c.Provisioned:
			s.reason = coldstart.ReasonProvisioned
			firstAt = s.init + g.between(int64(time.Second), int64(20*time.Minute))
		default:
			s.reason = coldstart.ReasonOnDemand
			firstAt = s.init + g.between(int64(time.Millisecond), int64(5*time.Millisecond))
		}
		if s.seq0 == 0 {
			s.seq0 = 1
		}
		n := c.MinInvocations + g.rng.IntN(c.MaxInvocations-c.MinInvocations+1)
		end := max(s.init+life, firstAt)
		s.invTimes = make([]int64, n)
		s.invTimes[0] = firstAt
		for k := 1; k < n; k++ {
			s.invTimes[k] = g.between(firstAt+1, end+1)
		}
		slices.Sort(s.invTimes)
		s.reqIDs = make([]string, n)
		s.durs = make([]float64, n)
		for k := range n {
			s.reqIDs[k] = g.uuid()
			s.durs[k] = 1 + float64(g.rng.IntN(5000))/100
		}
		if s.reason == coldstart.ReasonOnDemand {
			s.initMs = 40 + float64(g.rng.IntN(30000))/100
		}
		g.sbs = append(g.sbs, s)
	}
}

// schedule lists every line and sorts them by time.
func (g *gen) schedule() {
	c := g.cfg
	add := func(t int64, sb, kind, inv int) {
		g.events = append(g.events, event{t: t, sb: int32(sb), kind: uint8(kind), inv: int32(inv)})
	}
	for i := range g.sbs {
		s := &g.sbs[i]
		if !s.before {
			add(s.init, i, evStartup, 0)
		}
		for k, t := range s.invTimes {
			if c.Reports != NoReports {
				add(t-int64(time.Microsecond), i, evStart, k)
			}
			add(t, i, evInvocation, k)
			if c.Reports != NoReports {
				end := t + int64(s.durs[k]*float64(time.Millisecond))
				add(end, i, evReport, k)
				if c.Reports == TextReports {
					add(end-1, i, evEnd, k)
				}
			}
			for range g.poisson(c.Noise) {
				kind := evAppJSON
				if g.rng.IntN(2) == 0 {
					kind = evAppText
				}
				add(t+int64(g.rng.IntN(int(time.Millisecond))), i, kind, k)
			}
			for range g.poisson(c.Damaged) {
				kind := evTruncated
				if g.rng.IntN(2) == 0 {
					kind = evMalformed
				}
				add(t+1, i, kind, k)
			}
		}
	}
	slices.SortStableFunc(g.events, func(a, b event) int {
		if a.t != b.t {
			return cmpInt64(a.t, b.t)
		}
		if a.sb != b.sb {
			return int(a.sb - b.sb)
		}
		return int(a.kind) - int(b.kind)
	})
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// poisson draws a count with mean m (Knuth; m is small).
func (g *gen) poisson(m float64) int {
	if m <= 0 {
		return 0
	}
	l, k, p := math.Exp(-m), 0, 1.0
	for {
		p *= g.rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// writer renders the events in the chosen format.
type writer struct {
	g      *gen
	w      *bufio.Writer
	log    *slog.Logger
	buf    *lineBuffer
	hosts  []hostinfo.Host // per VM
	events bool            // Events format: first event written
	attrs  [3]slog.Attr    // an invocation line's attributes, reused
}

// lineBuffer collects one slog line.
type lineBuffer struct{ b []byte }

func (l *lineBuffer) Write(p []byte) (int, error) {
	l.b = append(l.b, p...)
	return len(p), nil
}

func (g *gen) write(w *bufio.Writer) error {
	g.kinds = map[string]int64{}
	lb := &lineBuffer{}
	wr := &writer{
		g: g, w: w, buf: lb,
		log: logline.NewLogger(lb),
	}
	wr.hosts = make([]hostinfo.Host, len(g.vmBoot))
	for i, boot := range g.vmBoot {
		h := g.cfg.Profiles[i%len(g.cfg.Profiles)].Host
		h.Machine.BootID = boot
		wr.hosts[i] = h
	}
	if g.cfg.Format == Events {
		w.WriteString("{\n    \"events\": [")
	}
	for _, ev := range g.events {
		if err := wr.event(ev); err != nil {
			return err
		}
	}
	if g.cfg.Format == Events {
		w.WriteString("\n    ],\n    \"searchedLogStreams\": []\n}\n")
	}
	return nil
}

// event renders one line.
func (wr *writer) event(ev event) error {
	g := wr.g
	s := &g.sbs[ev.sb]
	c := g.cfg
	wr.buf.b = wr.buf.b[:0]
	var kind string
	switch ev.kind {
	case evStartup:
		wr.startup(s, ev.t)
		kind = "startup"
	case evInvocation:
		wr.invocation(s, int(ev.inv), ev.t)
		kind = "invocation"
	case evReport:
		wr.report(s, int(ev.inv), ev.t)
		kind = "report"
	case evStart:
		if c.Reports == JSONReports {
			wr.buf.b = fmt.Appendf(wr.buf.b, `{"time":%q,"type":"platform.start","record":{"requestId":%q,"version":"$LATEST"}}`+"\n",
				rfc3339ms(ev.t), s.reqIDs[ev.inv])
		} else {
			wr.buf.b = fmt.Appendf(wr.buf.b, "START RequestId: %s Version: $LATEST\n", s.reqIDs[ev.inv])
		}
		kind = "lambda_platform"
	case evEnd:
		wr.buf.b = fmt.Appendf(wr.buf.b, "END RequestId: %s\n", s.reqIDs[ev.inv])
		kind = "lambda_platform"
	case evAppJSON:
		wr.buf.b = fmt.Appendf(wr.buf.b, `{"timestamp":%q,"level":"INFO","message":"order stored","requestId":%q,"order":%d}`+"\n",
			time.Unix(0, ev.t).UTC().Format(time.RFC3339Nano), s.reqIDs[ev.inv], g.rng.IntN(1e6))
		kind = "json_other"
	case evAppText:
		wr.buf.b = fmt.Appendf(wr.buf.b, "order %d stored in %d ms\n", g.rng.IntN(1e6), g.rng.IntN(90))
		kind = "not_json"
	case evTruncated, evMalformed:
		wr.invocation(s, int(ev.inv), ev.t)
		line := wr.buf.b[:len(wr.buf.b)-1]
		if ev.kind == evTruncated {
			line = line[:1+g.rng.IntN(len(line)-1)] // keeps the '{', loses the closing '}'
			kind = "json_truncated"
		} else {
			line = append(line[:len(line)-1], []byte(`,"x":}`)...)
			kind = "json_malformed"
		}
		wr.buf.b = append(line, '\n')
	}
	g.kinds[kind]++
	return wr.emit(s, ev.t)
}

// emit writes the line in wr.buf in the chosen format.
func (wr *writer) emit(s *sbModel, t int64) error {
	msg := wr.buf.b[:len(wr.buf.b)-1] // without the newline
	w := wr.w
	wr.g.lines++
	switch wr.g.cfg.Format {
	case Raw:
		w.Write(msg)
		w.WriteByte('\n')
	case Tail:
		// aws logs tail (detailed): isoformat(timespec='microseconds') in UTC
		ms := t / int64(time.Millisecond) * int64(time.Millisecond)
		w.WriteString(time.Unix(0, ms).UTC().Format("2006-01-02T15:04:05.000000") + "+00:00 ")
		w.WriteString(s.stream)
		w.WriteByte(' ')
		w.Write(msg)
		w.WriteByte('\n')
	case Events:
		if wr.events {
			w.WriteByte(',')
		}
		wr.events = true
		m, err := json.Marshal(string(msg) + "\n") // Lambda's messages end with a newline
		if err != nil {
			return err
		}
		ms := t / int64(time.Millisecond)
		fmt.Fprintf(w, "\n        {\n            \"logStreamName\": %q,\n            \"timestamp\": %d,\n            \"message\": %s,\n            \"ingestionTime\": %d,\n            \"eventId\": \"%d\"\n        }",
			s.stream, ms, m, ms+150, wr.g.lines)
	}
	return nil
}

// startup writes the startup line, as internal/logline writes it.
func (wr *writer) startup(s *sbModel, t int64) {
	c := wr.g.cfg
	f := c.Functions[s.fn]
	h := wr.hosts[s.vm]
	h.Platform.FunctionName, h.Platform.Region, h.Platform.MemoryLimitMB = f.Name, f.Region, f.MemoryMB
	h.Platform.InitializationType = "on-demand"
	if s.reason == coldstart.ReasonProvisioned {
		h.Platform.InitializationType = "provisioned-concurrency"
	}
	sb := sandbox.Sandbox{
		ID: s.id, IDSource: "AWS_LAMBDA_LOG_STREAM_NAME", IDScope: sandbox.ScopeSandbox, LogStream: s.stream,
		User: "sbx_user1051", UID: 993, Isolation: sandbox.IsolationMicroVM, BootID: wr.hosts[s.vm].Machine.BootID,
		Limits:    sandbox.Limits{MemoryLimitMB: f.MemoryMB, VCPUEntitlement: float64(f.MemoryMB) / 1769, VisibleCPUs: 2, MaxOpenFiles: 1024, CgroupMemoryLimitBytes: -1, CgroupCPULimit: -1},
		CoTenants: sandbox.CoTenants{PerVM: 1, Confidence: hostinfo.ConfidenceHigh},
	}
	if c.SandboxesPerVM > 1 {
		sb.Isolation = sandbox.IsolationSharedVM
		sb.CoTenants = sandbox.CoTenants{PerVM: c.SandboxesPerVM, Confidence: hostinfo.ConfidenceMedium}
	}
	problems := h.Problems
	if problems == nil {
		problems = []hostinfo.Problem{}
	}
	detect := time.Duration(400+10*wr.g.rng.IntN(60)) * time.Microsecond
	rec := slog.NewRecord(time.Unix(0, t), slog.LevelInfo, logline.MsgStartup, 0)
	rec.AddAttrs(logline.StartupAttrs(h, sb, problems, detect)...)
	_ = wr.log.Handler().Handle(context.Background(), rec) // writes to memory
}

// invocation writes the invocation line, as internal/logline writes it.
func (wr *writer) invocation(s *sbModel, k int, t int64) {
	inv := coldstart.Invocation{
		Seq: s.seq0 + uint64(k), InitType: "on-demand", ProcessStartSource: "proc-uptime", InitSource: coldstart.InitFromWrap,
		Time: time.Unix(0, t).UTC(), RequestID: s.reqIDs[k], Reason: coldstart.ReasonWarm,
	}
	if s.reason == coldstart.ReasonProvisioned {
		inv.InitType = "provisioned-concurrency"
	}
	inv.SinceInitMs = float64(t-s.init) / 1e6
	inv.SinceProcessStartMs = inv.SinceInitMs + 50
	inv.SandboxAgeMs = inv.SinceProcessStartMs + 120
	if k > 0 {
		inv.SincePreviousMs = float64(t-s.invTimes[k-1]) / 1e6
	}
	if k == 0 && !s.before {
		inv.First, inv.Reason = true, s.reason
		inv.Cold = s.reason == coldstart.ReasonOnDemand
	}
	rec := slog.NewRecord(time.Unix(0, t), slog.LevelInfo, logline.MsgInvocation, 0)
	rec.AddAttrs(logline.InvocationAttrs(wr.attrs[:0], s.reqIDs[k], s.id, inv)...)
	_ = wr.log.Handler().Handle(context.Background(), rec)
}

// report writes Lambda's REPORT record for invocation k.
func (wr *writer) report(s *sbModel, k int, t int64) {
	c := wr.g.cfg
	f := c.Functions[s.fn]
	d := s.durs[k]
	billed := int(math.Ceil(d))
	used := 20 + int(s.seq0)%40
	withInit := k == 0 && s.initMs > 0
	if c.Reports == JSONReports {
		metrics := fmt.Sprintf(`"durationMs":%s,"billedDurationMs":%d,"memorySizeMB":%d,"maxMemoryUsedMB":%d`,
			strconv.FormatFloat(d, 'f', 2, 64), billed, f.MemoryMB, used)
		if withInit {
			metrics += `,"initDurationMs":` + strconv.FormatFloat(s.initMs, 'f', 2, 64)
		}
		wr.buf.b = fmt.Appendf(wr.buf.b, `{"time":%q,"type":"platform.report","record":{"requestId":%q,"metrics":{%s},"status":"success"}}`+"\n",
			rfc3339ms(t), s.reqIDs[k], metrics)
		return
	}
	wr.buf.b = fmt.Appendf(wr.buf.b, "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: %d MB\t",
		s.reqIDs[k], d, billed, f.MemoryMB, used)
	if withInit {
		wr.buf.b = fmt.Appendf(wr.buf.b, "Init Duration: %.2f ms\t", s.initMs)
	}
	wr.buf.b = append(wr.buf.b, '\n')
}

// rfc3339ms is Lambda's "time" format (milliseconds, Z).
func rfc3339ms(t int64) string {
	return time.Unix(0, t).UTC().Format("2006-01-02T15:04:05.000Z")
}

// Million is the fleet of the scale benchmark (BenchmarkFleet1M and
// `fleetgen -preset 1m`): 5,000 sandboxes of three functions over 8 hours,
// 20–80 invocations each with START, END and text REPORT lines, some of the
// function's own lines, a few damaged ones — about 1.08 million lines
// (~230 MB) in time order.
func Million() Config {
	return Config{
		Seed: 1, Sandboxes: 5000, Span: 8 * time.Hour,
		Functions:      []Function{{"orders", "us-east-1", 128}, {"images", "us-east-1", 1024}, {"auth", "us-east-1", 256}},
		MinInvocations: 20, MaxInvocations: 80, Proactive: 0.4, BeforeWindow: 0.05,
		Reports: TextReports, Noise: 0.3, Damaged: 0.01, Format: Raw,
	}
}
