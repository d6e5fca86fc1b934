package fleet

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
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
