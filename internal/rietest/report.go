package rietest

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Report is one REPORT line, as the emulator (and Lambda) print it after an
// invocation:
//
//	REPORT RequestId: <id>\tInit Duration: 1.23 ms\tDuration: 0.45 ms\tBilled Duration: 1 ms\tMemory Size: 3008 MB\tMax Memory Used: 3008 MB\t
//
// The emulator prints Memory Size as Max Memory Used (it does not measure),
// and its Init Duration is not the init's duration (see
// Invocation.InitDuration and ParseInitReport).
type Report struct {
	RequestID string `json:"request_id"` // "RequestId"
	// HasInit: the line carried "Init Duration", i.e. this invocation ran
	// the function's init (a cold start).
	HasInit         bool          `json:"has_init"`
	InitDuration    time.Duration `json:"init_duration"`      // "Init Duration"; 0 if absent
	Duration        time.Duration `json:"duration"`           // "Duration"
	BilledDuration  time.Duration `json:"billed_duration"`    // "Billed Duration"
	MemorySizeMB    int           `json:"memory_size_mb"`     // "Memory Size"; 0 if not a whole number
	MaxMemoryUsedMB int           `json:"max_memory_used_mb"` // "Max Memory Used"; 0 if not a whole number
}

// reportPrefix starts every REPORT line.
const reportPrefix = "REPORT RequestId: "

// maxReportMillis bounds a duration field (a year), so the conversion to
// time.Duration cannot overflow.
const maxReportMillis = 365 * 24 * 3600 * 1000.0

// IsReport says whether line is a REPORT line (by its prefix).
func IsReport(line string) bool {
	return strings.HasPrefix(line, reportPrefix)
}

// ParseReport parses one REPORT line. Fields are tab-separated "Key: value"
// pairs; fields it does not know ("XRAY TraceId", "Restore Duration", …) are
// ignored. It fails, quoting the offending field, on a line that is not a
// REPORT line, has no request id or no Duration, or has a malformed
// duration. A memory value that is not a whole number of MB is 0 (unknown).
func ParseReport(line string) (Report, error) {
	line = strings.TrimRight(line, "\r\n")
	if !IsReport(line) {
		return Report{}, fmt.Errorf("rietest: not a REPORT line: %q", truncate(line))
	}
	var r Report
	var sawDuration bool
	for i, field := range strings.Split(strings.TrimPrefix(line, "REPORT "), "\t") {
		field = strings.TrimSpace(field)
		if field == "" {
			continue
		}
		key, value, ok := strings.Cut(field, ":")
		if !ok {
			return Report{}, fmt.Errorf("rietest: REPORT field %d %q: no ':'", i, truncate(field))
		}
		value = strings.TrimSpace(value)
		var err error
		switch key {
		case "RequestId":
			r.RequestID = value
		case "Init Duration":
			r.InitDuration, err = parseMillis(value)
			r.HasInit = err == nil
		case "Duration":
			r.Duration, err = parseMillis(value)
			sawDuration = err == nil
		case "Billed Duration":
			r.BilledDuration, err = parseMillis(value)
		case "Memory Size":
			r.MemorySizeMB = parseMB(value)
		case "Max Memory Used":
			r.MaxMemoryUsedMB = parseMB(value)
		}
		if err != nil {
			return Report{}, fmt.Errorf("rietest: REPORT field %q: %w", truncate(field), err)
		}
	}
	if r.RequestID == "" {
		return Report{}, fmt.Errorf("rietest: REPORT line without a RequestId: %q", truncate(line))
	}
	if !sawDuration {
		return Report{}, fmt.Errorf("rietest: REPORT line without a Duration: %q", truncate(line))
	}
	return r, nil
}

// initReportMarker precedes the runtime's init duration in the emulator's
// own log line (internal/lambda/rapid/handlers.go, sendInitReportLogEvent;
// format in internal/lambda/interop/events_api.go):
//
//	25 Nov 2026 17:39:00,901 [INFO] (rapid) INIT REPORT(durationMs: 3.430000)
const initReportMarker = "INIT REPORT(durationMs: "

// IsInitReport says whether line is the emulator's INIT REPORT log line.
func IsInitReport(line string) bool {
	return strings.Contains(line, initReportMarker)
}

// ParseInitReport returns the duration of the emulator's INIT REPORT log
// line: the time from the start of the init phase (before the bootstrap is
// executed) to the runtime's first /next, with microsecond resolution. This
// is what Lambda reports as Init Duration; the emulator's REPORT line does
// not (see Invocation.InitDuration).
func ParseInitReport(line string) (time.Duration, error) {
	_, rest, ok := strings.Cut(line, initReportMarker)
	if !ok {
		return 0, fmt.Errorf("rietest: not an INIT REPORT line: %q", truncate(line))
	}
	num, _, ok := strings.Cut(rest, ")")
	if !ok {
		return 0, fmt.Errorf("rietest: INIT REPORT without ')': %q", truncate(line))
	}
	d, err := parseMillis(num + " ms")
	if err != nil {
		return 0, fmt.Errorf("rietest: INIT REPORT durationMs %q: %w", truncate(num), err)
	}
	return d, nil
}

// parseMillis parses "12.34 ms".
func parseMillis(v string) (time.Duration, error) {
	num, ok := strings.CutSuffix(v, " ms")
	if !ok {
		return 0, errors.New("want \"<number> ms\"")
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, err
	}
	if math.IsNaN(f) || f < 0 || f > maxReportMillis {
		return 0, fmt.Errorf("duration %q out of range", num)
	}
	return time.Duration(math.Round(f * float64(time.Millisecond))), nil
}

// parseMB parses "3008 MB"; anything else is 0 (unknown): the emulator
// echoes AWS_LAMBDA_FUNCTION_MEMORY_SIZE verbatim ("Memory Size: lots MB"),
// so a garbage value there is the function's configuration, not a broken
// line.
func parseMB(v string) int {
	num, ok := strings.CutSuffix(v, " MB")
	if !ok {
		return 0
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// truncate keeps error messages short.
func truncate(s string) string {
	const max = 200
	if len(s) > max {
		return s[:max] + "…"
	}
	return s
}
