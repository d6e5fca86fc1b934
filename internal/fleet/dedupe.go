package fleet

import "github.com/faasprobe/faasprobe/internal/logline"

// A Go function that imports the library and also runs the Lambda
// extension (cmd/faasprobe-extension) logs each fact twice: two startup
// lines, two invocation lines per request, up to two shutdown lines, with
// the same sandbox_id (both read the execution environment's id from
// AWS_LAMBDA_LOG_STREAM_NAME). The reader counts each once:
//
//   - invocations: the library's line. Once a library line of a sandbox
//     has been read, the extension's invocation lines of that sandbox are
//     dropped (counted in Totals.ExtensionDuplicates). In a time-ordered
//     log stream the library's startup line, written during init, precedes
//     every invocation line of its sandbox, so this drops exactly the
//     extension's copies. The library's startup line is written when its
//     detection (in the background) ends, so the extension's line of the
//     first invocation can come first: the extension's invocation lines
//     counted before a library line keep their request ids (the first
//     maxExtReqs), and the library's line of the same request is then not
//     counted again. Beyond those, a note says the sandbox's invocations
//     may be counted twice.
//   - startup: the first line of either source; the second is not a
//     duplicate.
//   - shutdown: the extension's, which knows the reason and the exact
//     lifetime; the library's only when the extension wrote none.
//
// Under the emulator each side makes its own process-scoped id (there is
// no execution-environment id), so their lines stay apart there.

// sourceExtension is the "source" of the extension's lines.
const sourceExtension = logline.SourceExtension

// maxExtReqs bounds the request ids kept per sandbox of extension
// invocation lines read before its first library line.
const maxExtReqs = 4

// sourceSeen marks that s has a library line, when r is one, and notes a
// sandbox whose extension invocation lines were already counted.
func (a *Analyzer) sourceSeen(s *sandboxState, r *record) {
	if s == nil || r.extension || s.libLines {
		return
	}
	s.libLines = true
	if s.extInvs > maxExtReqs {
		a.note("sandbox %s: %d invocation lines of the extension came before the library's first line; beyond the first %d, its invocations may be counted twice", s.id, s.extInvs, maxExtReqs)
	}
}

// extensionDuplicate reports whether r, an invocation line, is the
// extension's copy of a line the library writes for the same sandbox; it
// counts it and touches its sandbox.
func (a *Analyzer) extensionDuplicate(r *record, ts int64) bool {
	if len(r.sandboxID) == 0 {
		return false
	}
	s := a.sandbox(r.sandboxID)
	if s == nil {
		return false
	}
	a.sourceSeen(s, r)
	switch {
	case r.extension && s.libLines:
		// the extension's copy of a library line: dropped
	case !r.extension && len(r.requestID) > 0 && s.takeExtReq(string(r.requestID)):
		// the library's line of a request already counted from the
		// extension's line: not counted again
	default:
		return false
	}
	a.extensionDuplicates++
	a.touch(s, ts)
	return true
}

// takeExtReq reports whether req is the request id of an extension
// invocation line counted for s, and forgets it.
func (s *sandboxState) takeExtReq(req string) bool {
	for i := range min(s.extInvs, maxExtReqs) {
		if s.extReqs[i] == req {
			s.extReqs[i] = ""
			return true
		}
	}
	return false
}

// secondStartup reports whether r, a startup line of s, is the second
// source's: the sandbox already has a startup line of the other one.
func (a *Analyzer) secondStartup(s *sandboxState, r *record) bool {
	if s == nil {
		return false
	}
	a.sourceSeen(s, r)
	second := (r.extension && s.libStartup) || (!r.extension && s.extStartup)
	if r.extension {
		s.extStartup = true
	} else {
		s.libStartup = true
	}
	return second
}
