//go:build unix

package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/faasprobe/faasprobe/hostinfo"
	"github.com/faasprobe/faasprobe/sandbox"
)

// outsideSecret is what the files next to a hostile tree hold. It is
// shaped like the lines the readers parse, so that a reader that followed
// a link would quote it in a problem or copy it into a recording.
const outsideSecret = "0::/aws_secret_access_key=OUTSIDE0SECRET0BYTES"

// TestHostileTreeCannotLeak pins the escape where --root and record --root
// followed a tree's symbolic links out of it (to ~/.aws/credentials, to
// /proc/self/environ) and printed or copied those bytes. Each case plants
// one kind of escape; the outside bytes must reach neither the facts, nor
// the problems, nor the recorded tree, and a problem names the path.
func TestHostileTreeCannotLeak(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		path   string // the planted link, below the tree
		target func(base string) string
		source string // the problem's Source; "" when the escape reads as absent
	}{
		{name: "absolute link outside", path: "proc/self/cgroup",
			target: func(base string) string { return filepath.Join(base, "credentials") }, source: "proc/self/cgroup"},
		{name: "relative ../../ escape", path: "proc/sys/kernel/random/boot_id",
			target: func(string) string { return "../../../../../credentials" }, source: "proc/sys/kernel/random/boot_id"},
		{name: "directory link leaving the root", path: "sys/devices/system/cpu",
			target: func(string) string { return "../../../../outside" }, source: "sys/devices/system/cpu/online"},
		{name: "link to the process environment", path: "proc/meminfo",
			target: func(string) string { return "/proc/self/environ" }, source: "proc/meminfo"},
		{name: "symlink loop", path: "proc/cpuinfo",
			target: func(string) string { return "cpuinfo" }, source: "proc/cpuinfo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			base := t.TempDir()
			require.NoError(t, os.WriteFile(filepath.Join(base, "credentials"), []byte(outsideSecret+"\n"), 0o600))
			require.NoError(t, os.Mkdir(filepath.Join(base, "outside"), 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(base, "outside", "online"), []byte(outsideSecret+"\n"), 0o600))
			dir := filepath.Join(base, "tree")
			link := filepath.Join(dir, filepath.FromSlash(tt.path))
			require.NoError(t, os.MkdirAll(filepath.Dir(link), 0o755))
			require.NoError(t, os.MkdirAll(filepath.Join(dir, "proc", "self"), 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(dir, "env"), []byte("AWS_LAMBDA_FUNCTION_NAME=f\nAWS_REGION=eu-west-1\n"), 0o644))
			// A link inside the tree is followed: etc/os-release → usr/lib/os-release.
			require.NoError(t, os.MkdirAll(filepath.Join(dir, "usr", "lib"), 0o755))
			require.NoError(t, os.MkdirAll(filepath.Join(dir, "etc"), 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(dir, "usr", "lib", "version"), []byte("Linux version 5.10.0 (inside) #1 SMP\n"), 0o644))
			require.NoError(t, os.Symlink("../usr/lib/version", filepath.Join(dir, "proc", "version")))
			require.NoError(t, os.Symlink(tt.target(base), link))

			h, herr := hostinfo.Detect(hostinfo.WithRoot(dir))
			s, serr := sandbox.Detect(sandbox.WithRoot(dir))
			var sources []string
			texts := map[string]string{}
			for _, p := range h.Problems {
				sources = append(sources, p.Source)
				texts["host problem "+p.Source] = p.Error
			}
			for _, p := range s.Problems {
				sources = append(sources, p.Source)
				texts["sandbox problem "+p.Source] = p.Error
			}
			if herr != nil {
				texts["host error"] = herr.Error()
			}
			if serr != nil {
				texts["sandbox error"] = serr.Error()
			}
			assert.Contains(t, h.Machine.Kernel.Banner, "(inside)", "a link inside the tree is followed")
			assert.Contains(t, sources, tt.source, "a problem names the path")
			for _, src := range sources {
				assert.False(t, strings.HasPrefix(src, "/"), "Source %q has no leading slash", src)
			}

			_, out, errOut := runCLI(t, "--root", dir, "--json")
			texts["--root --json"] = out + errOut
			_, out, errOut = runCLI(t, "--root", dir)
			texts["--root"] = out + errOut
			rec := filepath.Join(t.TempDir(), "rec")
			code, out, errOut := runRecordCLI(t, "--root", dir, rec)
			require.Equal(t, 0, code, errOut)
			texts["record"] = out + errOut
			require.NoError(t, filepath.WalkDir(rec, func(p string, d fs.DirEntry, err error) error {
				require.NoError(t, err)
				if !d.IsDir() {
					b, err := os.ReadFile(p)
					require.NoError(t, err)
					texts[p] = string(b)
				}
				return nil
			}))
			assert.Contains(t, texts[filepath.Join(rec, "proc", "version")], "(inside)", "the recorder follows links inside the tree")
			for where, text := range texts {
				assert.NotContains(t, text, "OUTSIDE0SECRET", "outside bytes reached %s", where)
				assert.NotContains(t, text, "PATH=", "%s: the process environment never leaks through a link", where)
			}
		})
	}
}
