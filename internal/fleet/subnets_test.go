package fleet

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/hostinfo"
	"github.com/faasprobe/faasprobe/internal/logline"
	"github.com/faasprobe/faasprobe/sandbox"
)

// startupNet is a startup line (as internal/logline writes it) of a
// sandbox with the given addresses and AZ id.
func (l *lineLogger) startupNet(t time.Time, fn, boot, id, az string, addrs ...string) string {
	var h hostinfo.Host
	h.Platform = hostinfo.Platform{Provider: "aws", Service: "lambda", Region: "us-east-1", FunctionName: fn, MemoryLimitMB: 128}
	h.Machine.BootID = boot
	h.Machine.Network = hostinfo.Network{Addresses: addrs, Interfaces: []string{"vinternal_1"}}
	sb := sandbox.Sandbox{ID: id, IDSource: "AWS_LAMBDA_LOG_STREAM_NAME", IDScope: sandbox.ScopeSandbox, BootID: boot, AvailabilityZoneID: az}
	return l.line(t, msgStartup, logline.StartupAttrs(h, sb, nil, time.Millisecond)...)
}

func TestAppendSubnets(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"", ""},
		{"10.12.3.4/20", "10.12.0.0/16,10.12.3.0/24"},
		{"169.254.76.1/23,169.254.79.1/32,169.254.79.130/30", "169.254.0.0/16,169.254.76.0/24,169.254.79.0/24"},
		{"fd00::2/64,192.0.2.2/24", "192.0.0.0/16,192.0.2.0/24,fd00::/64"},
		{"2600:1f18:a:b:c::1/128", "2600:1f18:a:b::/64"},
		{"not an address,10.0.0.1,10.0.0.1/33,,\x00", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			assert.Equal(t, tt.want, string(appendSubnets(nil, []byte(tt.in))))
		})
	}
	var many []string
	for i := range 100 {
		many = append(many, "10."+strconv.Itoa(i)+".0.1/16")
	}
	got := strings.Split(string(appendSubnets(nil, []byte(strings.Join(many, ",")))), ",")
	assert.Len(t, got, maxSandboxSubnets)
}

// TestSubnetHopping: one function whose sandboxes land on VMs in 10.11,
// 10.12 and 10.13 (and two AZs): each /16 and /24 is listed once, with
// its sandboxes, VMs, AZ ids and time span.
func TestSubnetHopping(t *testing.T) {
	t.Parallel()
	l := newLineLogger()
	lines := []string{
		l.startupNet(at(0), "hop", "b1", "s1", "use1-az1", "169.254.76.1/23", "10.11.5.9/20"),
		l.startupNet(at(time.Hour), "hop", "b2", "s2", "use1-az1", "10.12.3.4/20"),
		l.startupNet(at(2*time.Hour), "hop", "b3", "s3", "use1-az2", "10.13.0.7/20"),
		l.startupNet(at(3*time.Hour), "hop", "b2", "s4", "use1-az1", "10.12.3.9/20"),
		l.startupNet(at(4*time.Hour), "other", "b9", "s9", "", "10.99.0.1/16"),
	}
	res := analyze(t, strings.Join(lines, "\n")+"\n")
	var hop FunctionStats
	for _, f := range res.Functions {
		if f.Name == "hop" {
			hop = f
		}
	}
	require.Equal(t, "hop", hop.Name)
	subnet := func(s string) SubnetStats {
		for _, n := range hop.Subnets {
			if n.Subnet == s {
				return n
			}
		}
		t.Fatalf("no subnet %s in %+v", s, hop.Subnets)
		return SubnetStats{}
	}
	var names []string
	for _, n := range hop.Subnets {
		names = append(names, n.Subnet)
	}
	assert.Equal(t, []string{"10.11.0.0/16", "10.11.5.0/24", "10.12.0.0/16", "10.12.3.0/24", "10.13.0.0/16", "10.13.0.0/24",
		"169.254.0.0/16", "169.254.76.0/24"}, names)
	assert.Equal(t, SubnetStats{Subnet: "10.12.3.0/24", Sandboxes: 2, VMs: 1, AZIDs: []string{"use1-az1"},
		First: at(time.Hour), Last: at(3 * time.Hour)}, subnet("10.12.3.0/24"))
	assert.Equal(t, []string{"use1-az2"}, subnet("10.13.0.0/16").AZIDs)
	assert.Equal(t, 1, subnet("169.254.0.0/16").Sandboxes)

	var text strings.Builder
	require.NoError(t, WriteText(&text, res))
	assert.Contains(t, text.String(), "10.13.0.0/16")
	assert.Contains(t, text.String(), "use1-az2")
}

// TestSubnetsBound: an address list over MaxListBytes makes the startup
// line incomplete; nothing of it is kept.
func TestSubnetsBound(t *testing.T) {
	t.Parallel()
	l := newLineLogger()
	var addrs []string
	for len(strings.Join(addrs, ",")) <= MaxListBytes {
		addrs = append(addrs, "10.12.3.4/20")
	}
	res := analyze(t, l.startupNet(at(0), "hop", "b1", "s1", "", addrs...)+"\n")
	assert.Equal(t, int64(1), res.Kinds[KindIncomplete.String()])
	assert.Empty(t, res.Functions)
}

func FuzzAppendSubnets(f *testing.F) {
	f.Add([]byte("169.254.76.1/23,10.0.12.5/20,fd00::2/64"))
	f.Add([]byte(",,::/0,0.0.0.0/0,1.2.3.4/99"))
	f.Fuzz(func(t *testing.T, list []byte) {
		out := appendSubnets(nil, list)
		if len(out) == 0 {
			return
		}
		parts := strings.Split(string(out), ",")
		if len(parts) > maxSandboxSubnets {
			t.Fatalf("%d subnets", len(parts))
		}
		for _, p := range parts {
			if !strings.Contains(p, "/16") && !strings.Contains(p, "/24") && !strings.Contains(p, "/64") {
				t.Fatalf("subnet %q", p)
			}
		}
	})
}
