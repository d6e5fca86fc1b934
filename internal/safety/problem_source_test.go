package safety

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/hostinfo"
	"github.com/faasprobe/faasprobe/sandbox"
)

// A Problem's Source is the path below the root without a leading slash
// ("." for the root itself) or an environment variable's name: never the
// tree's real path, never a leading "/", never "env NAME".
var (
	pathSource = regexp.MustCompile(`^[a-z0-9_.][a-z0-9_./-]*$`)
	envSource  = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)
)

// brokenTree writes a tree in which many sources fail: garbage in the
// parsed files, a directory where a file belongs (a read error), a bad env
// file and a bad memory variable.
func brokenTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"env":                            "AWS_LAMBDA_FUNCTION_NAME=fn\nAWS_LAMBDA_FUNCTION_MEMORY_SIZE=lots\nAWS_LAMBDA_LOG_STREAM_NAME=bad stream\nthis line is bad\n",
		"proc/meminfo":                   "MemTotal: many kB\n",
		"proc/cpuinfo":                   "processor\t: x\n",
		"proc/stat":                      "btime soon\n",
		"proc/uptime":                    "-1 x\n",
		"proc/sys/kernel/random/boot_id": "not-a-uuid\x00\n",
		"proc/self/cgroup":               "junk\n",
		"proc/self/mountinfo":            "1 2 3\n",
		"proc/self/status":               "Uid:\tx\n",
		"proc/self/limits":               "Max processes  x y\n",
		"sys/class/dmi/id/bios_version":  "1.0\x00\x01junk",
	}
	for name, content := range files {
		writeFile(t, filepath.Join(dir, filepath.FromSlash(name)), content)
	}
	for _, name := range []string{"proc/version", "proc/cmdline", "proc/modules", "sys/class/net", "sys/devices/system/cpu/online"} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(p, 0o755))
		if name == "sys/class/net" { // a file where the directory belongs
			require.NoError(t, os.Remove(p))
			writeFile(t, p, "x")
		}
	}
	return dir
}

func TestProblemSourcesAreRelative(t *testing.T) {
	t.Parallel()
	scenarios, err := filepath.Glob(filepath.Join("..", "..", "testdata", "scenarios", "*"))
	require.NoError(t, err)
	var trees []string
	for _, s := range scenarios {
		if st, err := os.Stat(s); err == nil && st.IsDir() {
			trees = append(trees, s)
		}
	}
	require.NotEmpty(t, trees)
	trees = append(trees, brokenTree(t), filepath.Join(t.TempDir(), "missing"))
	seen := 0
	for _, dir := range trees {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			h, _ := hostinfo.Detect(hostinfo.WithRoot(dir))
			s, _ := sandbox.Detect(sandbox.WithRoot(dir), sandbox.WithHost(h))
			sb, _ := sandbox.Detect(sandbox.WithRoot(dir))
			for _, p := range append(append(h.Problems, s.Problems...), sb.Problems...) {
				seen++
				ok := pathSource.MatchString(p.Source) || envSource.MatchString(p.Source)
				assert.True(t, ok, "source %q (%s)", p.Source, p.Error)
				assert.False(t, strings.HasPrefix(p.Source, "/"), p.Source)
				assert.NotContains(t, p.Source, filepath.ToSlash(dir), "the tree's real path is not a source")
			}
		})
	}
	// The broken and the missing tree give problems: the check above ran.
	assert.Greater(t, seen, 10)
}
