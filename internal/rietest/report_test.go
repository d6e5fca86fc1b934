package rietest

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Lines as printed by the pinned emulator (captured from a run of
// examples/bare) and by Lambda itself (Init Duration last, plus XRAY).
const (
	rieColdReport = "REPORT RequestId: 1bb89cbd-f744-45c6-94f1-1c99434eefd2\tInit Duration: 0.02 ms\tDuration: 4.65 ms\tBilled Duration: 5 ms\tMemory Size: 3008 MB\tMax Memory Used: 3008 MB\t"
	rieWarmReport = "REPORT RequestId: 3325f1db-6f7e-486f-ad59-5f5886ecde37\tDuration: 0.71 ms\tBilled Duration: 1 ms\tMemory Size: 3008 MB\tMax Memory Used: 3008 MB\t"
	lambdaReport  = "REPORT RequestId: 6f1c9a2e-0d4b-4a57-9a0e-2f8e3b1c7d10\tDuration: 1.52 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 19 MB\tInit Duration: 62.31 ms\t\nXRAY TraceId: 1-5e1b4151-43a0913a12345678\tSegmentId: 6d3d1ab1\tSampled: true\t"
	rieInitReport = "25 Nov 2026 17:39:46,613 [INFO] (rapid) INIT REPORT(durationMs: 3.913000)"
)

func TestParseReport(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		line string
		want Report
	}{
		{
			name: "emulator cold",
			line: rieColdReport,
			want: Report{
				RequestID: "1bb89cbd-f744-45c6-94f1-1c99434eefd2", HasInit: true,
				InitDuration: 20 * time.Microsecond, Duration: 4650 * time.Microsecond,
				BilledDuration: 5 * time.Millisecond, MemorySizeMB: 3008, MaxMemoryUsedMB: 3008,
			},
		},
		{
			name: "emulator warm",
			line: rieWarmReport,
			want: Report{
				RequestID: "3325f1db-6f7e-486f-ad59-5f5886ecde37", Duration: 710 * time.Microsecond,
				BilledDuration: time.Millisecond, MemorySizeMB: 3008, MaxMemoryUsedMB: 3008,
			},
		},
		{
			name: "lambda order, unknown fields after a newline are ignored",
			line: strings.ReplaceAll(lambdaReport, "\n", "\t"),
			want: Report{
				RequestID: "6f1c9a2e-0d4b-4a57-9a0e-2f8e3b1c7d10", HasInit: true,
				InitDuration: 62310 * time.Microsecond, Duration: 1520 * time.Microsecond,
				BilledDuration: 2 * time.Millisecond, MemorySizeMB: 128, MaxMemoryUsedMB: 19,
			},
		},
		{
			// The emulator echoes AWS_LAMBDA_FUNCTION_MEMORY_SIZE verbatim.
			name: "garbage memory size is unknown",
			line: "REPORT RequestId: x\tDuration: 9.14 ms\tBilled Duration: 10 ms\tMemory Size: lots MB\tMax Memory Used: -5 MB\t",
			want: Report{RequestID: "x", Duration: 9140 * time.Microsecond, BilledDuration: 10 * time.Millisecond},
		},
		{
			name: "trailing newline",
			line: rieWarmReport + "\n",
			want: Report{
				RequestID: "3325f1db-6f7e-486f-ad59-5f5886ecde37", Duration: 710 * time.Microsecond,
				BilledDuration: time.Millisecond, MemorySizeMB: 3008, MaxMemoryUsedMB: 3008,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseReport(tt.line)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseReportErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		line    string
		wantErr string
	}{
		{"empty", "", "not a REPORT line"},
		{"START line", "START RequestId: x Version: $LATEST", "not a REPORT line"},
		{"no request id", "REPORT RequestId: \tDuration: 1 ms\t", "without a RequestId"},
		{"no duration", "REPORT RequestId: x\tMemory Size: 128 MB\t", "without a Duration"},
		{"duration without unit", "REPORT RequestId: x\tDuration: 1.5\t", `"Duration: 1.5"`},
		{"negative duration", "REPORT RequestId: x\tDuration: -1 ms\t", "out of range"},
		{"NaN duration", "REPORT RequestId: x\tDuration: NaN ms\t", "out of range"},
		{"huge duration", "REPORT RequestId: x\tDuration: 1e300 ms\t", "out of range"},
		{"field without separator", "REPORT RequestId: x\tDuration 1 ms\t", "no ':'"},
		{"bad init duration", "REPORT RequestId: x\tInit Duration: soon ms\tDuration: 1 ms\t", `"Init Duration: soon ms"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseReport(tt.line)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}

func TestParseInitReport(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		line    string
		want    time.Duration
		wantErr string
	}{
		{name: "emulator line", line: rieInitReport, want: 3913 * time.Microsecond},
		{name: "bare", line: "INIT REPORT(durationMs: 0.250000)", want: 250 * time.Microsecond},
		{name: "other log line", line: "25 Nov 2026 17:39:46,613 [INFO] (rapid) INIT RTDONE(status: success)", wantErr: "not an INIT REPORT"},
		{name: "unterminated", line: "INIT REPORT(durationMs: 3.9", wantErr: "without ')'"},
		{name: "not a number", line: "INIT REPORT(durationMs: abc)", wantErr: "durationMs"},
		{name: "negative", line: "INIT REPORT(durationMs: -3)", wantErr: "out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseInitReport(tt.line)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			assert.True(t, IsInitReport(tt.line))
		})
	}
}

func FuzzParseReport(f *testing.F) {
	for _, s := range []string{rieColdReport, rieWarmReport, strings.ReplaceAll(lambdaReport, "\n", "\t"), "REPORT RequestId: x\tDuration: 1 ms", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		r, err := ParseReport(line)
		if err != nil {
			assert.Equal(t, Report{}, r, "a failed parse returns the zero Report")
			return
		}
		assert.True(t, IsReport(line))
		assert.NotEmpty(t, r.RequestID)
		assert.GreaterOrEqual(t, r.Duration, time.Duration(0))
		assert.GreaterOrEqual(t, r.BilledDuration, time.Duration(0))
		assert.GreaterOrEqual(t, r.InitDuration, time.Duration(0))
		assert.GreaterOrEqual(t, r.MemorySizeMB, 0)
		assert.GreaterOrEqual(t, r.MaxMemoryUsedMB, 0)
		if !r.HasInit {
			assert.Zero(t, r.InitDuration)
			assert.NotContains(t, line, "\tInit Duration: ")
		}
	})
}

func FuzzParseInitReport(f *testing.F) {
	f.Add(rieInitReport)
	f.Add("INIT REPORT(durationMs: 0)")
	f.Add("INIT REPORT(durationMs: ")
	f.Fuzz(func(t *testing.T, line string) {
		d, err := ParseInitReport(line)
		if err != nil {
			assert.Zero(t, d)
			return
		}
		assert.True(t, IsInitReport(line))
		assert.GreaterOrEqual(t, d, time.Duration(0))
	})
}
