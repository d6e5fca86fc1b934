package sources_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/faasprobe/faasprobe/coldstart"
	"github.com/faasprobe/faasprobe/hostinfo"
	"github.com/faasprobe/faasprobe/internal/sources"
	"github.com/faasprobe/faasprobe/sandbox"
)

// TestEnvNamesCoverTheReaders is the environment's drift check: every
// variable hostinfo, sandbox and coldstart look up, with an empty
// environment (every rule is tried) and with one where every variable is
// set (the branches behind a match), is on sources.EnvNames. A name
// missing there would be dropped by the recorder, and a recorded tree
// would then read differently from the machine it was recorded on.
func TestEnvNamesCoverTheReaders(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	seen := map[string]bool{}
	lookup := func(set bool) func(string) (string, bool) {
		return func(k string) (string, bool) {
			mu.Lock()
			seen[k] = true
			mu.Unlock()
			if set {
				return "1", true
			}
			return "", false
		}
	}
	for _, set := range []bool{false, true} {
		dir := t.TempDir()
		_, _ = hostinfo.Detect(hostinfo.WithRoot(dir), hostinfo.WithEnv(lookup(set)))
		_, _ = sandbox.Detect(sandbox.WithRoot(dir), sandbox.WithEnv(lookup(set)))
		tr := coldstart.New(coldstart.WithRoot(dir), coldstart.WithEnv(lookup(set)), coldstart.WithEMF(&bytes.Buffer{}))
		tr.Observe()
		tr.PowertoolsAttrs(context.Background())
		tr.InitDone()
	}
	names := sources.EnvNames()
	assert.True(t, slices.IsSorted(names), "sorted, so that a reader finds a name")
	assert.Equal(t, len(names), len(slices.Compact(slices.Clone(names))), "no name twice")
	var missing []string
	for k := range seen {
		if !slices.Contains(names, k) {
			missing = append(missing, k)
		}
	}
	slices.Sort(missing)
	assert.Empty(t, missing, "looked up by a reader but not on sources.EnvNames")
	assert.NotEmpty(t, seen)
}

// TestEnvNamesMatchTheSources is the static half of the drift check: every
// string literal in hostinfo, sandbox, coldstart and the decoder they share
// (internal/platformenv) that is shaped like a
// variable name (FOO_BAR) is on sources.EnvNames, and every name on the
// list is such a literal somewhere in them (no name the readers dropped).
func TestEnvNamesMatchTheSources(t *testing.T) {
	t.Parallel()
	envLike := regexp.MustCompile(`"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)"`)
	var text strings.Builder
	found := map[string]bool{}
	for _, dir := range []string{"hostinfo", "sandbox", "coldstart", filepath.Join("internal", "platformenv")} {
		files, err := filepath.Glob(filepath.Join("..", "..", dir, "*.go"))
		assert.NoError(t, err)
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, err := os.ReadFile(f)
			assert.NoError(t, err)
			text.Write(b)
			for _, m := range envLike.FindAllStringSubmatch(string(b), -1) {
				found[m[1]] = true
			}
		}
	}
	// Values a reader compares a variable with, shaped like names.
	values := []string{"AWS_ECS_FARGATE", "AWS_ECS_EC2"} // AWS_EXECUTION_ENV on ECS
	names := sources.EnvNames()
	for k := range found {
		if slices.Contains(values, k) {
			continue
		}
		assert.True(t, slices.Contains(names, k), "%s is in a reader's source but not on sources.EnvNames", k)
	}
	for _, k := range names {
		assert.Contains(t, text.String(), `"`+k+`"`, "%s is on sources.EnvNames but no reader names it", k)
	}
}
