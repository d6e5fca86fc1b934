package fleet

// Kind is what a line (or a CloudWatch event's message) turned out to be.
// Every line read is counted under exactly one Kind.
type Kind uint8

// Kinds of lines. The first four are read; the rest are counted and
// skipped.
const (
	// KindStartup: faasprobe's startup line ("message":"faasprobe.startup").
	KindStartup Kind = iota
	// KindInvocation: faasprobe's invocation line ("message":"faasprobe.invocation").
	KindInvocation
	// KindReport: Lambda's end-of-invocation record, JSON
	// ("type":"platform.report") or text ("REPORT RequestId: …").
	KindReport
	// KindShutdown: faasprobe's shutdown line ("message":"faasprobe.shutdown").
	KindShutdown
	// KindIncomplete: one of the above lacking a field the analysis needs
	// (a startup, invocation or shutdown line without a sandbox id, a
	// REPORT without a request id or a Duration), or one breaking a bound
	// (a string over MaxFieldBytes, a duration over MaxMillis: see bounds.go).
	KindIncomplete
	// KindFaasprobeOther: another faasprobe message ("faasprobe.warmer.round", …).
	KindFaasprobeOther
	// KindPlatform: another Lambda platform line (START, END, INIT_START,
	// XRAY, "platform.start", "platform.initReport", …).
	KindPlatform
	// KindOtherJSON: a JSON object without our keys (the function's own logs).
	KindOtherJSON
	// KindTruncated: JSON that ends before the object does (a line cut short).
	KindTruncated
	// KindMalformed: starts as a JSON object but breaks the grammar.
	KindMalformed
	// KindNotJSON: a text line we do not read.
	KindNotJSON
	// KindTooLong: a line longer than MaxLineBytes (skipped unread).
	KindTooLong
	// KindBlank: an empty or all-white-space line.
	KindBlank

	numKinds
)

// String is the name used in the text and JSON output.
func (k Kind) String() string {
	switch k {
	case KindStartup:
		return "startup"
	case KindInvocation:
		return "invocation"
	case KindReport:
		return "report"
	case KindShutdown:
		return "shutdown"
	case KindIncomplete:
		return "incomplete"
	case KindFaasprobeOther:
		return "faasprobe_other"
	case KindPlatform:
		return "lambda_platform"
	case KindOtherJSON:
		return "json_other"
	case KindTruncated:
		return "json_truncated"
	case KindMalformed:
		return "json_malformed"
	case KindNotJSON:
		return "not_json"
	case KindTooLong:
		return "too_long"
	case KindBlank:
		return "blank"
	}
	return "unknown"
}
