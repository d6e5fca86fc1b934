package sandbox

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"

	"github.com/faasprobe/faasprobe/internal/excerpt"
	"github.com/faasprobe/faasprobe/internal/sysroot"
)

// identity is the sandbox id with where it came from.
type identity struct {
	ID, Source, Scope, Note string
	GUID                    bool // a Lambda log stream with an execution-environment GUID
	Emulator                bool // the Runtime Interface Emulator's "$LATEST" log stream
}

// sandboxID picks the sandbox id, first match wins:
//
//  1. AWS_LAMBDA_LOG_STREAM_NAME: its 32-hex GUID (malformed → problem).
//  2. Azure (the platform is azure: WEBSITE_SITE_NAME or
//     FUNCTIONS_WORKER_RUNTIME set, or the host says so): CONTAINER_NAME
//     (Linux consumption), else WEBSITE_INSTANCE_ID.
//  3. FLY_MACHINE_ID.
//  4. A Lambda "sandbox-root-XXXXXX" cgroup.
//  5. A random id made once per process (scope "process").
func sandboxID(root sysroot.Root, p platform, cgroupID string, probs *problems) identity {
	emulator := false
	if s := root.Getenv("AWS_LAMBDA_LOG_STREAM_NAME"); s != "" {
		ls, err := parseLogStream(s)
		switch {
		case err != nil:
			probs.add("AWS_LAMBDA_LOG_STREAM_NAME", err)
		case ls.GUID != "":
			return identity{ID: ls.GUID, Source: "AWS_LAMBDA_LOG_STREAM_NAME", Scope: ScopeSandbox, GUID: true}
		}
		emulator = ls.Emulator
	}
	if p.Provider == "azure" {
		for _, k := range [...]string{"CONTAINER_NAME", "WEBSITE_INSTANCE_ID"} {
			if id, ok := envID(root, k, probs); ok {
				return identity{ID: id, Source: k, Scope: ScopeSandbox}
			}
		}
	}
	if id, ok := envID(root, "FLY_MACHINE_ID", probs); ok {
		return identity{ID: id, Source: "FLY_MACHINE_ID", Scope: ScopeSandbox}
	}
	if cgroupID != "" {
		return identity{ID: cgroupID, Source: "proc/self/cgroup", Scope: ScopeSandbox, Emulator: emulator}
	}
	id := identity{ID: processID(), Source: "crypto/rand", Scope: ScopeProcess, Emulator: emulator}
	switch {
	case emulator:
		id.Note = `AWS_LAMBDA_LOG_STREAM_NAME is the emulator's "$LATEST", which names no execution environment`
	case p.Provider == "gcp":
		id.Note = "Cloud Run and Cloud Functions give the instance id only through the metadata server, which is not queried"
	}
	return id
}

// envID reads an id variable: unset or empty → not there; longer than 256
// bytes or holding anything but printable ASCII without spaces → a problem.
func envID(root sysroot.Root, key string, probs *problems) (string, bool) {
	v := root.Getenv(key)
	if v == "" {
		return "", false
	}
	if len(v) > 256 || !printableNoSpace(v) {
		probs.add(key, fmt.Errorf("%q: want up to 256 printable ASCII characters without spaces", excerpt.Clip(v)))
		return "", false
	}
	return v, true
}

func printableNoSpace(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}

// procID is the random per-process sandbox id, made on first use.
var procID struct {
	once sync.Once
	id   string
}

// processID returns 32 hex digits from the kernel's CSPRNG, the same for
// the whole life of the process: getrandom(2) on Linux, which is what
// crypto/rand reads there (IDSource stays "crypto/rand"), without its
// first-call setup inside the cold start; crypto/rand elsewhere or if the
// system call fails.
func processID() string {
	procID.once.Do(func() {
		var b [16]byte
		if !getrandom(b[:]) {
			_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go ≥ 1.24: it crashes the program instead)
		}
		procID.id = hex.EncodeToString(b[:])
	})
	return procID.id
}
