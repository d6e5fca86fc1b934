package fleet

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/coldstart"
	"github.com/faasprobe/faasprobe/hostinfo"
	"github.com/faasprobe/faasprobe/internal/logline"
	"github.com/faasprobe/faasprobe/sandbox"
)

// fixturePath holds lines of examples/hello run under the Runtime Interface
// Emulator (three sandboxes; testdata/PROVENANCE.md).
const fixturePath = "testdata/hello-rie.log"

// fixtureLines returns the fixture's lines.
func fixtureLines(t testing.TB) []string {
	t.Helper()
	b, err := os.ReadFile(fixturePath)
	require.NoError(t, err)
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	require.NoError(t, sc.Err())
	require.NotEmpty(t, lines)
	return lines
}

// fixtureFacts is what encoding/json (not our walker) finds in the
// fixture: the reference the analysis is checked against.
type fixtureFacts struct {
	sandboxes   map[string]bool
	boots       map[string]bool
	startups    int
	invocations int
	cold        int
	first       int
	reports     int
	reportInits int
	functions   map[string]bool
}

// helloLine is the part of hello's lines the reference decodes.
type helloLine struct {
	Message   string `json:"message"`
	SandboxID string `json:"sandbox_id"`
	RequestID string `json:"requestId"`
	Platform  struct {
		FunctionName string `json:"function_name"`
	} `json:"platform"`
	Host struct {
		BootID string `json:"boot_id"`
	} `json:"host"`
	Sandbox struct {
		ID string `json:"id"`
	} `json:"sandbox"`
	Invocation struct {
		First  bool   `json:"first"`
		Cold   bool   `json:"cold"`
		Reason string `json:"reason"`
		Seq    uint64 `json:"seq"`
	} `json:"invocation"`
}

func referenceFacts(t testing.TB, lines []string) fixtureFacts {
	t.Helper()
	f := fixtureFacts{sandboxes: map[string]bool{}, boots: map[string]bool{}, functions: map[string]bool{}}
	for _, l := range lines {
		if strings.HasPrefix(l, "REPORT RequestId: ") {
			f.reports++
			if strings.Contains(l, "\tInit Duration: ") {
				f.reportInits++
			}
			continue
		}
		var h helloLine
		if json.Unmarshal([]byte(l), &h) != nil {
			continue
		}
		switch h.Message {
		case msgStartup:
			f.startups++
			f.sandboxes[h.Sandbox.ID] = true
			f.boots[h.Host.BootID] = true
			f.functions[h.Platform.FunctionName] = true
		case msgInvocation:
			f.invocations++
			f.sandboxes[h.SandboxID] = true
			if h.Invocation.Cold {
				f.cold++
			}
			if h.Invocation.First {
				f.first++
			}
		}
	}
	return f
}

// analyze reads input and returns the analysis.
func analyze(t testing.TB, input string, opts ...Option) *Result {
	t.Helper()
	a := New(opts...)
	require.NoError(t, a.Read("test", strings.NewReader(input), int64(len(input))))
	return a.Result()
}

// lineLogger writes lines as hello does: slog JSON with Lambda's keys.
type lineLogger struct {
	buf bytes.Buffer
	h   slog.Handler
}

func newLineLogger() *lineLogger {
	l := &lineLogger{}
	l.h = slog.NewJSONHandler(&l.buf, &slog.HandlerOptions{ReplaceAttr: lambdacontext.ReplaceAttr})
	return l
}

// line logs one record at t and returns it without its newline.
func (l *lineLogger) line(t time.Time, msg string, attrs ...slog.Attr) string {
	l.buf.Reset()
	r := slog.NewRecord(t, slog.LevelInfo, msg, 0)
	r.AddAttrs(attrs...)
	if err := l.h.Handle(context.Background(), r); err != nil {
		panic(err)
	}
	return strings.TrimSuffix(l.buf.String(), "\n")
}

// startup is a startup line as internal/logline writes it, from real types.
func (l *lineLogger) startup(t time.Time, fn, boot, id string) string {
	var h hostinfo.Host
	h.Platform = hostinfo.Platform{Provider: "aws", Service: "lambda", Region: "us-east-1", FunctionName: fn, MemoryLimitMB: 128}
	h.Machine.Arch = "amd64"
	h.Machine.BootID = boot
	h.Machine.CPU = hostinfo.CPU{ModelName: "Intel(R) Xeon(R) Processor @ 2.50GHz", CacheKB: 36608, Count: 2, Microarchitecture: "Cascade Lake-SP"}
	h.Machine.Hypervisor.Kind = hostinfo.HypervisorFirecracker
	h.Machine.Instance = hostinfo.Instance{FamilyCandidates: []string{"m5", "r5"}, HostCPUCandidates: []string{"Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz"}, Confidence: hostinfo.ConfidenceLow}
	sb := sandbox.Sandbox{ID: id, IDSource: "AWS_LAMBDA_LOG_STREAM_NAME", IDScope: sandbox.ScopeSandbox, Isolation: sandbox.IsolationMicroVM,
		BootID: boot, CoTenants: sandbox.CoTenants{PerVM: 1, Confidence: hostinfo.ConfidenceHigh}}
	return l.line(t, msgStartup, logline.StartupAttrs(h, sb, nil, 500*time.Microsecond)...)
}

// invocation is an invocation line as internal/logline writes it, from real types.
func (l *lineLogger) invocation(t time.Time, id, req string, seq uint64, reason coldstart.Reason, sinceInitMs float64) string {
	inv := coldstart.Invocation{
		First: seq == 1, Cold: reason == coldstart.ReasonOnDemand || reason == coldstart.ReasonSnapStart, Reason: reason, Seq: seq,
		SinceInitMs: sinceInitMs, Time: t, RequestID: req, InitSource: coldstart.InitFromWrap,
	}
	return l.line(t, msgInvocation, logline.InvocationAttrs(nil, req, id, inv)...)
}

// at is a fixed time plus d.
func at(d time.Duration) time.Time {
	return time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC).Add(d)
}
