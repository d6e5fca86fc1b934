package coldstart

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/internal/platformenv"
)

// realStat is `cat /proc/self/stat` on the development microVM (Linux 6.x,
// Firecracker, 2026-11-25): 52 fields, starttime 83532.
const realStat = "28486 (cat) R 28484 28484 3435 0 -1 4194304 101 0 0 0 0 0 0 0 20 0 1 0 83532 3133440 415 18446744073709551615 94343478947840 94343478967721 140720621688640 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 94343478983728 94343478985344 94343719821312 140720621693616 140720621693636 140720621693636 140720621694955 0\n"

// oldKernelStat is a 44-field line as 2.6-era kernels wrote it (proc(5)).
const oldKernelStat = "1 (init) S 0 1 1 0 -1 4202752 1402 33585 23 133 9 88 1013 341 20 0 1 0 3 2125824 146 18446744073709551615 134512640 134544500 3218960224 3218958044 12068006 0 0 1475401980 671819267 18446744071579299622 0 0 0 0 0 0 0 0 0\n"

func TestParseProcSelfStat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    procSelfStat
		wantErr string
	}{
		{name: "real line", in: realStat, want: procSelfStat{PID: 28486, Comm: "cat", StartTicks: 83532}},
		{name: "old kernel, 44 fields", in: oldKernelStat, want: procSelfStat{PID: 1, Comm: "init", StartTicks: 3}},
		{name: "comm with spaces", in: statLine("my handler", "120"), want: procSelfStat{PID: 6732, Comm: "my handler", StartTicks: 120}},
		{name: "comm with parens and fake fields", in: statLine(") S 1 2 3 (x", "77"), want: procSelfStat{PID: 6732, Comm: ") S 1 2 3 (x", StartTicks: 77}},
		{name: "comm with newline", in: statLine("a\nb", "5"), want: procSelfStat{PID: 6732, Comm: "a\nb", StartTicks: 5}},
		{name: "empty comm", in: statLine("", "5"), want: procSelfStat{PID: 6732, Comm: "", StartTicks: 5}},
		{name: "no trailing newline", in: strings.TrimSuffix(realStat, "\n"), want: procSelfStat{PID: 28486, Comm: "cat", StartTicks: 83532}},
		{name: "empty", in: "", wantErr: "no (comm) field"},
		{name: "no parens", in: "28486 cat R 1 2 3", wantErr: "no (comm) field"},
		{name: "close before open", in: "1 )x( R", wantErr: "no (comm) field"},
		{name: "no pid", in: "(cat) R" + strings.Repeat(" 1", 30), wantErr: "pid field"},
		{name: "negative pid", in: "-3 (cat) R" + strings.Repeat(" 1", 30), wantErr: "pid field"},
		{name: "truncated", in: realStat[:60], wantErr: "fields after comm"},
		{name: "state not one char", in: strings.Replace(realStat, ") R ", ") RUN ", 1), wantErr: "state field"},
		{name: "starttime not a number", in: statLine("x", "12ab"), wantErr: "starttime field"},
		{name: "starttime negative", in: statLine("x", "-12"), wantErr: "starttime field"},
		{name: "starttime over uint64", in: statLine("x", "99999999999999999999999"), wantErr: "starttime field"},
		{name: "starttime over a Duration", in: statLine("x", strconv.FormatUint(maxTicks+1, 10)), wantErr: "out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseProcSelfStat([]byte(tt.in))
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseProcUptime(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    time.Duration
		wantErr bool
	}{
		{name: "real", in: "835.32 1019.33\n", want: 835*time.Second + 320*time.Millisecond},
		{name: "no decimals", in: "12 3", want: 12 * time.Second},
		{name: "gVisor nine decimals", in: "1.123456789 0", want: time.Second + 123456789},
		{name: "one field", in: "0.01", want: 10 * time.Millisecond},
		{name: "leading space", in: "  7.5 1", want: 7500 * time.Millisecond},
		{name: "empty", in: "", wantErr: true},
		{name: "blank", in: " \n", wantErr: true},
		{name: "negative", in: "-1.00 2", wantErr: true},
		{name: "exponent", in: "1e3 2", wantErr: true},
		{name: "dot only", in: ". 2", wantErr: true},
		{name: "trailing dot", in: "12. 2", wantErr: true},
		{name: "leading dot", in: ".5 2", wantErr: true},
		{name: "ten decimals", in: "1.1234567890 0", wantErr: true},
		{name: "garbage", in: "up 3 days", wantErr: true},
		{name: "too large", in: "9223372037.00 0", wantErr: true},
		{name: "top of range overflows", in: "9223372036.999999999", wantErr: true},
		{name: "largest that fits", in: "9223372036.854775807", want: time.Duration(1<<63 - 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseProcUptime([]byte(tt.in))
			if tt.wantErr {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// realProcStat is the head of /proc/stat on the development microVM.
const realProcStat = "cpu  52055 0 12037 101933 198 0 68 128 0 0\ncpu0 25798 0 6026 51260 45 0 11 57 0 0\ncpu1 26256 0 6011 50673 152 0 57 71 0 0\nintr 1729248 0 0 0\nctxt 4620969\nbtime 1795627794\nprocesses 28490\nprocs_running 1\nprocs_blocked 0\nsoftirq 1 2 3\n"

func TestParseProcStatBtime(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    int64
		wantErr string
	}{
		{name: "real", in: realProcStat, want: 1795627794},
		{name: "btime first, no newline", in: "btime 42", want: 42},
		{name: "tab separated", in: "btime\t42\n", want: 42},
		{name: "gVisor: all zero except btime", in: "cpu 0 0 0 0 0 0 0 0 0 0\nbtime 1700000000\n", want: 1700000000},
		{name: "missing", in: "cpu 1 2 3\nctxt 4\n", wantErr: "no btime line"},
		{name: "empty", in: "", wantErr: "no btime line"},
		{name: "btimex is not btime", in: "btimex 5\n", wantErr: "no btime line"},
		{name: "not a number", in: "btime soon\n", wantErr: "not a positive number"},
		{name: "zero", in: "btime 0\n", wantErr: "not a positive number"},
		{name: "negative", in: "btime -5\n", wantErr: "not a positive number"},
		{name: "empty value", in: "btime \n", wantErr: "not a positive number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseProcStatBtime([]byte(tt.in))
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestParseInitType: the InitType constants are what the one decoder
// (internal/platformenv) returns.
func TestParseInitType(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"", ""},
		{"on-demand", InitTypeOnDemand},
		{"provisioned-concurrency", InitTypeProvisioned},
		{"snap-start", InitTypeSnapStart},
		{"lambda-managed-instances", InitTypeManagedInstances},
		{" Provisioned-Concurrency\n", InitTypeProvisioned},
		{"managed-instances", InitTypeUnknown}, // the Reason's spelling, not the variable's
		{"ondemand", InitTypeUnknown},
		{"\x00\xff", InitTypeUnknown},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, platformenv.ParseInitType(tt.in), "input %q", tt.in)
	}
}

func FuzzParseProcSelfStat(f *testing.F) {
	f.Add([]byte(realStat))
	f.Add([]byte(oldKernelStat))
	f.Add([]byte(statLine("my (weird) handler", "120")))
	f.Add([]byte(statLine(")", "1")))
	f.Add([]byte("1 () R"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		st, err := parseProcSelfStat(data)
		if err != nil {
			assert.Zero(t, st, "no partial result with an error")
			return
		}
		assert.Positive(t, st.PID)
		assert.LessOrEqual(t, st.StartTicks, uint64(maxTicks), "starttime must fit a Duration")
		// comm is exactly what lies between the first '(' and the last ')'.
		open := bytes.IndexByte(data, '(')
		end := bytes.LastIndexByte(bytes.TrimRight(data, " \t\r\n\x00"), ')')
		require.True(t, open >= 0 && end > open)
		assert.Equal(t, string(data[open+1:end]), st.Comm)
	})
}

// FuzzParseProcSelfStatComm puts arbitrary comm and starttime values into a
// real line: whatever comm holds, the starttime must come back unchanged.
func FuzzParseProcSelfStatComm(f *testing.F) {
	f.Add("cat", uint64(83532))
	f.Add("a) R 1 2 (b", uint64(0))
	f.Add("sp ace", uint64(maxTicks))
	f.Add("x\ny", uint64(1))
	f.Fuzz(func(t *testing.T, comm string, ticks uint64) {
		line := statLine(comm, strconv.FormatUint(ticks, 10))
		st, err := parseProcSelfStat([]byte(line))
		if ticks > maxTicks {
			require.Error(t, err)
			return
		}
		require.NoError(t, err)
		assert.Equal(t, ticks, st.StartTicks)
		assert.Equal(t, 6732, st.PID)
		assert.Equal(t, comm, st.Comm)
	})
}

func FuzzParseProcUptime(f *testing.F) {
	f.Add([]byte("835.32 1019.33\n"))
	f.Add([]byte("0.00 0.00"))
	f.Add([]byte("1.123456789 0"))
	f.Add([]byte("9223372036.854775807"))
	f.Add([]byte("-1 2"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := parseProcUptime(data)
		if err != nil {
			assert.Zero(t, d)
			return
		}
		assert.GreaterOrEqual(t, d, time.Duration(0), "uptime is never negative")
		// The first field is a plain decimal that round-trips through ParseFloat
		// to within float precision.
		first := bytes.Fields(data)[0]
		f, perr := strconv.ParseFloat(string(first), 64)
		require.NoError(t, perr)
		assert.InEpsilon(t, f+1, d.Seconds()+1, 1e-9)
	})
}

func FuzzParseProcStatBtime(f *testing.F) {
	f.Add([]byte(realProcStat))
	f.Add([]byte("btime 1\n"))
	f.Add([]byte("btime\t-1\n"))
	f.Add([]byte("cpu 0\nbtime 9223372036854775807"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sec, err := parseProcStatBtime(data)
		if err != nil {
			assert.Zero(t, sec)
			return
		}
		assert.Positive(t, sec)
		assert.True(t, bytes.Contains(data, []byte(strconv.FormatInt(sec, 10))), "the value comes from the input")
	})
}
