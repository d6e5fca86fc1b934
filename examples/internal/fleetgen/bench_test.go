package fleetgen

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/faasprobe/faasprobe/internal/fleet"
)

// millionFile is the Million fleet written once per test binary.
var millionFile struct {
	once  sync.Once
	path  string
	truth Truth
	err   error
}

func millionPath(b *testing.B) (string, Truth) {
	b.Helper()
	millionFile.once.Do(func() {
		dir, err := os.MkdirTemp("", "fleetgen-bench-")
		if err != nil {
			millionFile.err = err
			return
		}
		millionFile.path = filepath.Join(dir, "fleet-1m.log")
		f, err := os.Create(millionFile.path)
		if err != nil {
			millionFile.err = err
			return
		}
		defer f.Close()
		millionFile.truth, millionFile.err = Generate(f, Million())
	})
	if millionFile.err != nil {
		b.Fatal(millionFile.err)
	}
	return millionFile.path, millionFile.truth
}

// BenchmarkFleet1M analyses the Million fleet (~1.08 M lines, ~220 MB),
// beside two baselines on the same file in the same run: splitting it into
// lines (the floor any reader pays) and decoding each JSON line with
// encoding/json into a small struct (the obvious implementation). Run:
//
//	go test ./examples/internal/fleetgen -run '^$' -bench Fleet1M -benchtime 3x
func BenchmarkFleet1M(b *testing.B) {
	path, truth := millionPath(b)
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(filepath.Dir(path))
	report := func(b *testing.B, elapsed time.Duration, n int) {
		b.SetBytes(st.Size())
		b.ReportMetric(float64(truth.Lines)*float64(n)/elapsed.Seconds(), "lines/s")
	}

	b.Run("analyze", func(b *testing.B) {
		start, n := time.Now(), 0
		for b.Loop() {
			f, err := os.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			a := fleet.New()
			if err := a.Read(path, f, st.Size()); err != nil {
				b.Fatal(err)
			}
			res := a.Result()
			f.Close()
			if res.Cold.Invocations != truth.Invocations || res.Lines != truth.Lines {
				b.Fatalf("analysis found %d invocations in %d lines, want %d in %d", res.Cold.Invocations, res.Lines, truth.Invocations, truth.Lines)
			}
			n++
		}
		report(b, time.Since(start), n)
	})
	b.Run("baseline-split-lines", func(b *testing.B) {
		start, n := time.Now(), 0
		for b.Loop() {
			f, err := os.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			sc := bufio.NewScanner(f)
			sc.Buffer(make([]byte, 256<<10), fleet.MaxLineBytes)
			lines := 0
			for sc.Scan() {
				lines++
			}
			f.Close()
			if int64(lines) != truth.Lines {
				b.Fatalf("%d lines, want %d", lines, truth.Lines)
			}
			n++
		}
		report(b, time.Since(start), n)
	})
	b.Run("baseline-encoding-json", func(b *testing.B) {
		type small struct {
			Message    string `json:"message"`
			SandboxID  string `json:"sandbox_id"`
			Invocation struct {
				First bool      `json:"first"`
				Cold  bool      `json:"cold"`
				Time  time.Time `json:"time"`
			} `json:"invocation"`
		}
		start, n := time.Now(), 0
		for b.Loop() {
			f, err := os.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			sc := bufio.NewScanner(f)
			sc.Buffer(make([]byte, 256<<10), fleet.MaxLineBytes)
			for sc.Scan() {
				if l := sc.Bytes(); len(l) > 0 && l[0] == '{' {
					var s small
					_ = json.Unmarshal(l, &s)
				}
			}
			f.Close()
			n++
		}
		report(b, time.Since(start), n)
	})
}
