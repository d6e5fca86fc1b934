// Command recorder is a Lambda function that records its own sandbox: every
// invocation answers with the tree `faasprobe --root DIR` reads (the files
// faasprobe reads, the environment with credentials redacted, a RECORDED
// note) as a base64 gzip'd tar. Deploy it anywhere, invoke it once, unpack
// the answer, and you have a scenario to contribute (testdata/README.md,
// "Capture a platform with the recorder").
//
// The response:
//
//	{"recorded_at":"2026-11-25T17:38:12Z","files":["RECORDED","env","proc/cpuinfo",…],
//	 "redacted":["AWS_ACCESS_KEY_ID",…],"not_recorded":[],"tar_gz_base64":"H4sIAAAA…"}
//
// Unpack it:
//
//	aws lambda invoke --function-name recorder out.json
//	jq -r .tar_gz_base64 out.json | base64 -d | tar -xz -C testdata/scenarios/NEW
//
// Nothing is recorded at init: each invocation records afresh (a few ms),
// so proc/self/* is the function's own process as it serves a request.
//
// Build for provided.al2023 (GOARCH amd64 or arm64):
//
//	CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go build -tags lambda.norpc -o bootstrap ./examples/recorder
package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	"github.com/faasprobe/faasprobe"
	"github.com/faasprobe/faasprobe/internal/record"
	"github.com/faasprobe/faasprobe/internal/sysroot"
)

// maxResponse keeps the answer under Lambda's 6 MB synchronous response
// limit (a recording is some tens of KB).
const maxResponse = 5 << 20

// response is the answer to every invocation.
type response struct {
	RecordedAt string   `json:"recorded_at"` // UTC, RFC 3339
	Files      []string `json:"files"`       // paths in the tree, sorted
	Redacted   []string `json:"redacted"`    // names of the variables whose values were redacted
	// NotRecorded lists sources that exist but could not be read (a
	// root-only file) or could not be a tree path.
	NotRecorded []string `json:"not_recorded"`
	TarGzBase64 string   `json:"tar_gz_base64"` // the tree, tar + gzip + base64
}

// recordSandbox records root and packs the tree.
func recordSandbox(root sysroot.Root, opts ...record.Option) (response, error) {
	tree, _ := record.Collect(root, opts...) // what failed is in tree.Notes
	var buf bytes.Buffer
	if err := tree.WriteTarGz(&buf); err != nil {
		return response{}, err
	}
	if n := base64.StdEncoding.EncodedLen(buf.Len()); n > maxResponse {
		return response{}, fmt.Errorf("recorder: the tree is %d bytes in base64, over the %d-byte response limit", n, maxResponse)
	}
	r := response{
		RecordedAt:  tree.RecordedAt.Format(time.RFC3339),
		Files:       []string{},
		Redacted:    tree.Redacted,
		NotRecorded: tree.Notes,
		TarGzBase64: base64.StdEncoding.EncodeToString(buf.Bytes()),
	}
	for _, f := range tree.Files {
		r.Files = append(r.Files, f.Path)
	}
	if r.Redacted == nil {
		r.Redacted = []string{}
	}
	if r.NotRecorded == nil {
		r.NotRecorded = []string{}
	}
	return r, nil
}

func handle(context.Context, json.RawMessage) (response, error) {
	return recordSandbox(sysroot.Live())
}

func main() {
	faasprobe.Start(handle) // also logs the sandbox's startup and invocation lines
}
