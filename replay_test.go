package faasprobe

import (
	"context"
	"testing"

	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// talkProbe is the line the talk's companion function
// (github.com/smithclay/lambda-proc-info, index.js) logged on every
// invocation, its "lambdaMemory" event. The values below were written by
// hand, once, from the files of testdata/replay/talk-probe-this-build-vm,
// as that probe computes them: ids trimmed, uptime and idle time the
// parseInt of the two /proc/uptime figures (whole seconds), memory the
// parseInt of the /proc/meminfo values (kB).
type talkProbe struct {
	BootID    string // /proc/sys/kernel/random/boot_id
	Hostname  string // /proc/sys/kernel/hostname
	MachineID string // /var/lib/dbus/machine-id
	SessionID string // /proc/1/sessionid
	Uptime    int64  // /proc/uptime, first figure
	IdleTime  int64  // /proc/uptime, second figure
	MemTotal  uint64 // /proc/meminfo MemTotal, kB
	MemFree   uint64 // MemFree, kB
	MemAvail  uint64 // MemAvailable, kB
}

const talkTree = "testdata/replay/talk-probe-this-build-vm"

var talkWant = talkProbe{
	BootID:    "5d80d3d1-d531-40af-893d-db58f9d48983",
	Hostname:  "vm",
	MachineID: "3d1219c7c4c5404aaa1f6d2a48adfda4",
	SessionID: "4294967295", // (uint32)-1: no audit session
	Uptime:    20840,        // 20840.74
	IdleTime:  30273,        // 30273.91
	MemTotal:  24683748,
	MemFree:   23016748,
	MemAvail:  24204980,
}

// The facts faasprobe derives from the tree carry every field of the
// talk's probe, equal to what the probe would have printed.
func TestTalkProbeReplay(t *testing.T) {
	t.Parallel()
	f, err := Detect(WithRoot(talkTree), WithLogger(nil))
	_ = err // the tree is a container on a build VM: problems unrelated to the probe's fields are allowed
	for _, p := range f.Problems {
		for _, src := range []string{"proc/sys/kernel/random/boot_id", "proc/sys/kernel/hostname", "etc/machine-id", "var/lib/dbus/machine-id", "proc/self/sessionid", "proc/uptime", "proc/meminfo"} {
			assert.NotEqual(t, src, p.Source, "a problem with a file the probe reads: %v", p)
		}
	}
	h := f.Host
	assert.Equal(t, talkWant.BootID, h.BootID, "bootId")
	assert.Equal(t, talkWant.Hostname, h.Name, "hostname")
	assert.Equal(t, talkWant.MachineID, h.ID, "machineId (etc/machine-id, the same id)")
	assert.Zero(t, h.AuditSessionID, "sessionId %s is the unset audit session: faasprobe reports 0", talkWant.SessionID)
	assert.Equal(t, talkWant.Uptime, int64(h.UptimeSeconds), "uptime")
	assert.Equal(t, talkWant.IdleTime, int64(h.IdleSeconds), "idleTime")
	assert.Equal(t, talkWant.MemTotal*1024, h.MemoryTotalBytes, "memTotal")
	assert.Equal(t, talkWant.MemFree*1024, h.MemoryFreeBytes, "memFree")
	assert.Equal(t, talkWant.MemAvail*1024, h.MemoryAvailableBytes, "memAvail")
	assert.Equal(t, talkWant.BootID, f.Sandbox.BootID)

	// coldStart (1 on the process's first invocation, then 0) and
	// awsRequestId: the invocation lines' first flag and request id; with
	// WithVMStats, memAvail on every invocation too.
	p, out := newProbeAt(t, talkTree, WithVMStats())
	hd := p.Handler(handle)
	for _, req := range []string{"req-1", "req-2"} {
		ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{AwsRequestID: req})
		_, err := hd.Invoke(ctx, []byte(`{"id":1}`))
		require.NoError(t, err)
	}
	lines := out.decoded(t)
	require.Len(t, lines, 3)
	for i, want := range []struct {
		req  string
		cold bool
	}{{"req-1", true}, {"req-2", false}} {
		line := lines[i+1]
		assert.Equal(t, want.req, line["requestId"], "awsRequestId")
		inv := line["invocation"].(map[string]any)
		assert.Equal(t, want.cold, inv["first"], "coldStart")
		vm := line["vm"].(map[string]any)
		assert.EqualValues(t, talkWant.MemAvail*1024, vm["memory_available_bytes"], "memAvail")
	}
}

// newProbeAt is newProbe on another tree.
func newProbeAt(t *testing.T, tree string, opts ...Option) (*Probe, *lines) {
	t.Helper()
	var out lines
	return New(append([]Option{WithRoot(tree), WithLogger(newTestLogger(&out))}, opts...)...), &out
}
