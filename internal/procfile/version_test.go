package procfile

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseVersion(t *testing.T) {
	t.Parallel()
	v, err := ParseVersion([]byte("Linux version 4.4.51-40.60.amzn1.x86_64 (mockbuild@gobi-build-60009) (gcc version 4.8.3 20140911 (Red Hat 4.8.3-9) (GCC) ) #1 SMP Wed Mar 29 19:17:24 UTC 2017\n"))
	require.NoError(t, err)
	assert.Equal(t, "4.4.51-40.60.amzn1.x86_64", v.Release)
	assert.Equal(t, "#1 SMP Wed Mar 29 19:17:24 UTC 2017", v.Version)
	assert.Contains(t, v.Banner, "mockbuild")

	v, err = ParseVersion([]byte("\x00\x01binary"))
	assert.ErrorContains(t, err, "binary")
	assert.Zero(t, v)
	_, err = ParseVersion([]byte("Linux version \xff\xfe"))
	assert.ErrorContains(t, err, "not UTF-8")
	v, err = ParseVersion([]byte("Darwin 23\n"))
	assert.ErrorContains(t, err, "Linux version")
	assert.Equal(t, Version{Banner: "Darwin 23"}, v, "the banner of a kernel that is not Linux is kept")
}

// TestBannerVersion: the version (uname -v) is taken from /proc/version
// only when the banner has exactly the kernel's shape; anything else gives
// "" so that the caller reads /proc/sys/kernel/version instead.
func TestBannerVersion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, banner, want string
	}{
		{"this build VM", "Linux version 6.18.44-fc-v657 (builder@sandboxing) (gcc (GCC) 15.3.0, GNU ld (GNU Binutils) 2.46) #1 SMP PREEMPT_DYNAMIC @0",
			"#1 SMP PREEMPT_DYNAMIC @0"},
		{"Lambda 2017, nested groups and a space before the last paren", "Linux version 4.4.35-33.55.amzn1.x86_64 (mockbuild@gobi-build-60006) (gcc version 4.8.3 20140911 (Red Hat 4.8.3-9) (GCC) ) #1 SMP Tue Dec 6 20:30:04 UTC 2016",
			"#1 SMP Tue Dec 6 20:30:04 UTC 2016"},
		{"Lambda 2020", "Linux version 4.14.193-110.317.amzn2.x86_64 (mockbuild@ip-10-0-1-32) (gcc version 7.3.1 20180712 (Red Hat 7.3.1-9) (GCC)) #1 SMP Fri Sep 11 23:37:26 UTC 2020",
			"#1 SMP Fri Sep 11 23:37:26 UTC 2020"},
		{"gVisor: no groups", "Linux version 4.4.0 #1 SMP Sun Jan 10 15:06:54 PST 2016", "#1 SMP Sun Jan 10 15:06:54 PST 2016"},
		{"unbalanced group", "Linux version 6.1.0 (a@b) (gcc (GCC 12 #1 SMP x", ""},
		{"no version after the groups", "Linux version 6.1.0 (a@b) (gcc)", ""},
		{"version without #", "Linux version 6.1.0 (a@b) (gcc) SMP Mon", ""},
		{"only a release", "Linux version 6.1.0", ""},
		{"two lines", "Linux version 6.1.0 #1 SMP\n#2", ""},
		{"not Linux", "Darwin Kernel Version 23.0.0", ""},
		{"just #", "Linux version 6.1.0 (a@b) #", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, bannerVersion(tt.banner))
		})
	}
}

func FuzzParseVersion(f *testing.F) {
	for _, b := range scenarioFiles(f, "proc/version") {
		f.Add(b)
	}
	f.Add([]byte("Linux version 6.1.0 (a@b) (gcc (GCC 12 #1 SMP x"))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := ParseVersion(data)
		if err != nil && v.Banner == "" {
			assert.Zero(t, v)
			return
		}
		require.NoError(t, CheckText(v.Banner))
		if v.Release != "" {
			require.NoError(t, CheckText(v.Release))
		}
		if v.Version != "" {
			assert.True(t, v.Version[0] == '#' && strings.HasSuffix(v.Banner, v.Version) && !strings.Contains(v.Version, "\n"),
				"version %q from banner %q", v.Version, v.Banner)
		}
	})
}
