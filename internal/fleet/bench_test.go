package fleet

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/faasprobe/faasprobe/internal/vmstat"
)

// BenchmarkParseMessage is the cost of one real hello line of each kind,
// beside encoding/json decoding the same line into a small struct (the
// baseline the walker replaces):
//
//	go test ./internal/fleet -run '^$' -bench ParseMessage
func BenchmarkParseMessage(b *testing.B) {
	lines := map[string]string{}
	for _, l := range fixtureLines(b) {
		switch {
		case strings.Contains(l, `"message":"faasprobe.startup"`):
			lines["startup"] = l
		case strings.Contains(l, `"message":"faasprobe.invocation"`):
			lines["invocation"] = l
		case strings.HasPrefix(l, "REPORT "):
			lines["report"] = l
		}
	}
	for _, kind := range []string{"startup", "invocation", "report"} {
		line := []byte(lines[kind])
		b.Run(kind, func(b *testing.B) {
			p := newParser()
			b.SetBytes(int64(len(line)))
			b.ReportAllocs()
			for b.Loop() {
				if r := p.parseMessage(line); r.kind.String() != kind {
					b.Fatalf("kind %s", r.kind)
				}
			}
		})
	}
	type small struct {
		Message    string `json:"message"`
		SandboxID  string `json:"sandbox_id"`
		RequestID  string `json:"requestId"`
		Invocation struct {
			First  bool      `json:"first"`
			Cold   bool      `json:"cold"`
			Reason string    `json:"reason"`
			Seq    uint64    `json:"seq"`
			Time   time.Time `json:"time"`
		} `json:"invocation"`
	}
	b.Run("baseline-encoding-json-invocation", func(b *testing.B) {
		line := []byte(lines["invocation"])
		b.SetBytes(int64(len(line)))
		b.ReportAllocs()
		for b.Loop() {
			var s small
			if err := json.Unmarshal(line, &s); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkStealSamples is the cost of reading invocation lines with a VM
// sample (the totals, the bin and the sandbox's cell of the steal series)
// beside the same lines without their "vm" object, in the same run:
//
//	go test ./internal/fleet -run '^$' -bench StealSamples
func BenchmarkStealSamples(b *testing.B) {
	l := newLineLogger()
	var with, without strings.Builder
	vmObject := regexp.MustCompile(`,"vm":\{[^}]*\}`)
	for i := range 1000 {
		id, boot := fmt.Sprintf("s%04d", i), fmt.Sprintf("b%04d", i)
		line := withMemory(l.startup(at(0), fmt.Sprint("fn", i%3), boot, id), "4294967296") + "\n"
		with.WriteString(line)
		without.WriteString(line)
	}
	for k := range 50 {
		for i := range 1000 {
			t := at(time.Duration(k)*5*time.Minute + time.Duration(i)*time.Millisecond)
			line := l.sampled(t, fmt.Sprintf("s%04d", i), fmt.Sprint("r", i, "-", k), uint64(k+2),
				vmstat.Sample{CPUMs: 1000, StealMs: float64(i % 100), MemoryAvailableBytes: 1 << 30})
			with.WriteString(line + "\n")
			without.WriteString(vmObject.ReplaceAllString(line, "") + "\n")
		}
	}
	for _, in := range []struct{ name, text string }{{"with-vm", with.String()}, {"baseline-without-vm", without.String()}} {
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(in.text)))
			b.ReportAllocs()
			for b.Loop() {
				a := New()
				if err := a.Read("bench", strings.NewReader(in.text), int64(len(in.text))); err != nil {
					b.Fatal(err)
				}
				if res := a.Result(); in.name == "with-vm" && len(res.Steal.VMs[0].Series) != 50 {
					b.Fatalf("series %d", len(res.Steal.VMs[0].Series))
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/51000, "ns/line")
		})
	}
}
