package envswitch

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestBool(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name    string
		value   string
		set     bool
		on, bad bool
	}{
		{name: "unset"},
		{name: "empty", set: true},
		{name: "one", value: "1", set: true, on: true},
		{name: "true with space", value: " true\n", set: true, on: true},
		{name: "zero", value: "0", set: true},
		{name: "FALSE", value: "FALSE", set: true},
		{name: "yes is not a boolean", value: "yes", set: true, bad: true},
		{name: "control bytes", value: "1\x00", set: true, bad: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			lookup := func(k string) (string, bool) {
				if k != "X" || !tt.set {
					return "", false
				}
				return tt.value, true
			}
			on, bad := Bool(lookup, "X")
			assert.Equal(t, tt.on, on)
			assert.Equal(t, tt.bad, bad)
		})
	}
	on, bad := Bool(nil, "X")
	assert.False(t, on)
	assert.False(t, bad)
}

func FuzzBool(f *testing.F) {
	for _, s := range []string{"", "1", "true", " t ", "yes", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		on, bad := Bool(func(string) (string, bool) { return v, true }, "X")
		assert.False(t, on && bad, "a bad value is off")
	})
}
