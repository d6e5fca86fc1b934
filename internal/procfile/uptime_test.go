package procfile

import (
	"bytes"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseUptime(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    Uptime
		wantErr string
	}{
		{name: "real", in: "835.32 1019.33\n", want: Uptime{835*time.Second + 320*time.Millisecond, 1019*time.Second + 330*time.Millisecond}},
		{name: "no decimals", in: "12 3", want: Uptime{12 * time.Second, 3 * time.Second}},
		{name: "gVisor nine decimals", in: "1.123456789 0", want: Uptime{time.Second + 123456789, 0}},
		{name: "leading space", in: "  7.5 1", want: Uptime{7500 * time.Millisecond, time.Second}},
		{name: "largest that fits", in: "9223372036.854775807 0", want: Uptime{time.Duration(1<<63 - 1), 0}},
		{name: "one field", in: "0.01", wantErr: "want two numbers"},
		{name: "three fields", in: "1 2 3", wantErr: "want two numbers"},
		{name: "empty", in: "", wantErr: "empty"},
		{name: "blank", in: " \n", wantErr: "empty"},
		{name: "negative", in: "-1.00 2", wantErr: "not a decimal number"},
		{name: "exponent", in: "1e3 2", wantErr: "not a decimal number"},
		{name: "NaN", in: "NaN 2", wantErr: "not a decimal number"},
		{name: "dot only", in: ". 2", wantErr: "not a decimal number"},
		{name: "trailing dot", in: "12. 2", wantErr: "not a decimal number"},
		{name: "leading dot", in: ".5 2", wantErr: "not a decimal number"},
		{name: "ten decimals", in: "1.1234567890 0", wantErr: "more than 9 decimals"},
		{name: "garbage", in: "up 3", wantErr: `uptime "up"`},
		{name: "garbage idle", in: "3 idle", wantErr: `idle time "idle"`},
		{name: "too large", in: "9223372037.00 0", wantErr: "out of range"},
		{name: "top of range overflows", in: "9223372036.999999999 0", wantErr: "out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseUptime([]byte(tt.in))
			if tt.wantErr != "" {
				assert.ErrorContains(t, err, tt.wantErr)
				assert.Zero(t, got)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func FuzzParseUptime(f *testing.F) {
	f.Add([]byte("835.32 1019.33\n"))
	f.Add([]byte("0.00 0.00"))
	f.Add([]byte("1.123456789 0"))
	f.Add([]byte("9223372036.854775807 1"))
	f.Add([]byte("-1 2"))
	for _, b := range scenarioFiles(f, "proc/uptime") {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		u, err := ParseUptime(data)
		if err != nil {
			assert.Zero(t, u)
			return
		}
		assert.GreaterOrEqual(t, u.Uptime, time.Duration(0))
		assert.GreaterOrEqual(t, u.Idle, time.Duration(0))
		// Each field is a plain decimal that ParseFloat reads to within
		// float precision.
		fields := bytes.Fields(data)
		for i, d := range []time.Duration{u.Uptime, u.Idle} {
			v, perr := strconv.ParseFloat(string(fields[i]), 64)
			require.NoError(t, perr)
			assert.InEpsilon(t, v+1, d.Seconds()+1, 1e-9)
		}
	})
}
