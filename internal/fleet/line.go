package fleet

import (
	"bytes"
	"errors"
	"strconv"
)

// Message values and platform types the parser recognises.
const (
	msgStartup       = "faasprobe.startup"
	msgInvocation    = "faasprobe.invocation"
	msgShutdown      = "faasprobe.shutdown"
	msgPrefix        = "faasprobe."
	typeReport       = "platform.report"
	typePrefix       = "platform."
	reportTextPrefix = "REPORT RequestId:"
)

// Reasons (coldstart.Reason values) the analysis tells apart.
const (
	reasonProactive = "proactive-init"
	reasonWarm      = "warm"
)

// record is one parsed line. Byte slices alias the line or the parser's
// arena: valid until the next parse.
type record struct {
	kind Kind
	ts   int64 // the line's own time (Unix ns), 0 if none

	// From an event envelope inside the line ({"logStreamName","timestamp","message"}).
	stream []byte
	envTS  int64

	sandboxID []byte // sandbox_id (sandbox.id on a startup line without it)
	extension bool   // "source":"extension": written by the Lambda extension, not the library
	requestID []byte // requestId / record.requestId / REPORT RequestId

	inv invocationFacts
	vm  vmFacts // the invocation line's "vm" sample (steal.go)
	st  startupFacts
	rep reportFacts

	flaw flaw // why a startup, invocation or REPORT record became KindIncomplete by checkBounds
	end  shutdownFacts
}

// shutdownFacts: a shutdown line's "stats" (coldstart.SandboxStats.LogValue)
// and, from the Lambda extension, its "shutdown" object.
type shutdownFacts struct {
	invocations       uint64
	firstInv, lastInv int64 // Unix ns, 0 unknown
	processStart      int64 // Unix ns, 0 unknown
	reason            []byte
	lifetimeMs        float64
	hasLifetime       bool
}

// invocationFacts: the "invocation" group of an invocation line
// (coldstart.Invocation.LogValue).
type invocationFacts struct {
	seen        bool // the group had a "first" key
	ping        bool // the line has a "ping" object: a keep-warm ping
	first, cold bool
	reason      []byte
	initType    []byte
	seq         uint64
	sinceInitMs float64
}

// startupFacts: the "host" and "sandbox" groups of a startup line
// (hostinfo.Host.LogValue, sandbox.Sandbox.LogValue).
type startupFacts struct {
	function, region, provider, service []byte
	memoryMB                            int
	arch, kernel, bootID, cpuModel      []byte
	microarch, hypervisor, confidence   []byte
	cacheKB                             int
	families, hostCPUs, types           []byte // comma-joined candidate lists
	idScope, isolation, sandboxBootID   []byte
	coTenants                           int
	azID                                []byte
	addresses                           []byte  // host.network.addresses, comma-joined
	memTotal                            float64 // host.memory_total_bytes; 0 unknown
}

// reportFacts: a REPORT line or platform.report record, in milliseconds.
type reportFacts struct {
	durationMs, billedMs, initMs float64
	hasInit                      bool
	hasDuration                  bool
	memoryMB, maxMemoryMB        int
}

// parser parses lines; it keeps buffers across calls and is not safe for
// concurrent use.
type parser struct {
	w     walker
	visit func([]byte, jsonValue)
	rec   record
	arena []byte // unescaped strings and joined lists of the current line

	// raw values collected during a walk, decoded afterwards
	message, typ, timestamp, timeKey, invTime jsonValue
	envStream, envMessage, envTimestamp       jsonValue
	envelope                                  bool
	firstInv, lastInv, processStart           jsonValue // shutdown line's stats
	families, hostCPUs, types                 []byte
	addresses                                 []byte
}

func newParser() *parser {
	p := &parser{arena: make([]byte, 0, 4096)}
	p.visit = p.visitValue
	return p
}

// parseMessage parses one message: a whole raw line, or the message part of
// a CloudWatch line or event. It never fails: anything it cannot read is a
// record of a skipped Kind.
func (p *parser) parseMessage(b []byte) *record {
	p.arena = p.arena[:0]
	p.parseInto(b, 0, false)
	return &p.rec
}

// parseEvent parses one CloudWatch event object ({"logStreamName",
// "timestamp","message",…}) and then its message. An event without a
// string message is KindMalformed.
func (p *parser) parseEvent(b []byte) *record {
	p.arena = p.arena[:0]
	p.parseInto(b, 0, true)
	return &p.rec
}

func (p *parser) parseInto(b []byte, depth int, event bool) {
	b = bytes.TrimSpace(b)
	r := &p.rec
	*r = record{}
	if len(b) == 0 {
		r.kind = KindBlank
		return
	}
	if b[0] != '{' {
		if event {
			r.kind = KindMalformed
			return
		}
		r.kind = classifyText(b)
		if r.kind == KindReport && !parseReportText(b, r) {
			r.kind = KindIncomplete
		}
		r.checkBounds()
		return
	}
	p.resetWalk()
	if err := p.w.walkJSON(b, p.visit); err != nil {
		*r = record{kind: KindMalformed}
		if errors.Is(err, errTruncated) {
			r.kind = KindTruncated
		}
		return
	}
	if (event || p.envelope) && p.envMessage.kind == jsonString && depth == 0 {
		// A CloudWatch event (one per line, or from an events document):
		// read its message.
		stream := p.text(p.envStream)
		envTS := p.eventTime(p.envTimestamp)
		inner := p.text(p.envMessage)
		p.parseInto(inner, depth+1, false)
		r.stream, r.envTS = stream, envTS
		return
	}
	if event {
		*r = record{kind: KindMalformed}
		return
	}
	p.finishJSON()
	r.checkBounds()
}

// eventTime reads an event timestamp: epoch milliseconds or an RFC 3339 string.
func (p *parser) eventTime(v jsonValue) int64 {
	switch v.kind {
	case jsonNumber:
		t, _ := parseEpochMillis(v.raw)
		return t
	case jsonString:
		t, _ := parseTimestamp(p.text(v))
		return t
	}
	return 0
}

func (p *parser) resetWalk() {
	p.message, p.typ, p.timestamp, p.timeKey, p.invTime = jsonValue{}, jsonValue{}, jsonValue{}, jsonValue{}, jsonValue{}
	p.envStream, p.envMessage, p.envTimestamp = jsonValue{}, jsonValue{}, jsonValue{}
	p.envelope = false
	p.firstInv, p.lastInv, p.processStart = jsonValue{}, jsonValue{}, jsonValue{}
	p.families, p.hostCPUs, p.types = p.families[:0], p.hostCPUs[:0], p.types[:0]
	p.addresses = p.addresses[:0]
}

// text returns a string value's decoded bytes (nil for a non-string).
func (p *parser) text(v jsonValue) []byte {
	if v.kind != jsonString {
		return nil
	}
	if !v.escaped {
		return v.raw
	}
	start := len(p.arena)
	p.arena = unescapeJSON(p.arena, v.raw)
	return p.arena[start:len(p.arena):len(p.arena)]
}

// visitValue collects the values the analysis reads. Paths are those of the
// lines hello writes (see docs/fleet.md); everything else is ignored.
func (p *parser) visitValue(path []byte, v jsonValue) {
	r := &p.rec
	switch string(path) {
	// top level, all lines
	case "message":
		p.message = v
		p.envMessage = v
	case "msg": // slog's default JSON handler
		if p.message.kind == 0 {
			p.message = v
		}
	case "type":
		p.typ = v
	case "timestamp":
		p.timestamp = v
		p.envTimestamp = v
	case "time":
		p.timeKey = v
	case "requestId":
		r.requestID = p.text(v)
	case "sandbox_id":
		r.sandboxID = p.text(v)
	case "source":
		r.extension = string(p.text(v)) == sourceExtension
	// event envelope keys (aws logs filter-log-events events, one per line)
	case "logStreamName":
		p.envStream = v
		p.envelope = true
	case "eventId", "ingestionTime":
		p.envelope = true

	// invocation line: coldstart.Invocation.LogValue
	case "invocation.first":
		r.inv.seen = true
		r.inv.first = v.kind == jsonTrue
	case "invocation.cold":
		r.inv.cold = v.kind == jsonTrue
	case "invocation.reason":
		r.inv.reason = p.text(v)
	case "invocation.init_type":
		r.inv.initType = p.text(v)
	case "invocation.seq":
		if v.kind == jsonNumber {
			r.inv.seq, _ = parseUint(v.raw)
		}
	case "invocation.since_init_ms":
		r.inv.sinceInitMs, _ = number(v)
	case "invocation.time":
		p.invTime = v
	case "invocation.request_id":
		if len(r.requestID) == 0 {
			r.requestID = p.text(v)
		}

	// invocation line: the VM sample (internal/vmstat) under "vm"
	case "vm.cpu_ms":
		r.vm.cpuMs, r.vm.hasCPU = number(v)
		r.vm.seen = true
	case "vm.steal_ms":
		r.vm.stealMs, _ = number(v)
		r.vm.seen = true
	case "vm.memory_available_bytes":
		r.vm.memAvail, _ = number(v)
		r.vm.seen = true
	case "vm.reset":
		r.vm.reset = v.kind == jsonString && len(v.raw) > 0
		r.vm.seen = true

	// invocation line of a keep-warm ping: warmer.Reply.LogValue under "ping"
	case "ping.format":
		r.inv.ping = true

	// shutdown line: coldstart.SandboxStats.LogValue under "stats", and the
	// end as the Lambda extension saw it under "shutdown"
	case "stats.invocations":
		if v.kind == jsonNumber {
			r.end.invocations, _ = parseUint(v.raw)
		}
	case "stats.first_invocation":
		p.firstInv = v
	case "stats.last_invocation":
		p.lastInv = v
	case "stats.process_start":
		p.processStart = v
	case "shutdown.reason":
		r.end.reason = p.text(v)
	case "shutdown.lifetime_ms":
		r.end.lifetimeMs, r.end.hasLifetime = number(v)

	// startup line: hostinfo.Platform.LogValue under "platform"
	case "platform.provider":
		r.st.provider = p.text(v)
	case "platform.service":
		r.st.service = p.text(v)
	case "platform.region":
		r.st.region = p.text(v)
	case "platform.function_name":
		r.st.function = p.text(v)
	case "platform.memory_limit_mb":
		r.st.memoryMB = intValue(v)

	// startup line: hostinfo.Machine.LogValue under "host"
	case "host.arch":
		r.st.arch = p.text(v)
	case "host.kernel.release":
		r.st.kernel = p.text(v)
	case "host.boot_id":
		r.st.bootID = p.text(v)
	case "host.memory_total_bytes":
		r.st.memTotal, _ = number(v)
	case "host.cpu.model_name":
		r.st.cpuModel = p.text(v)
	case "host.cpu.cache_kb":
		r.st.cacheKB = intValue(v)
	case "host.cpu.microarchitecture":
		r.st.microarch = p.text(v)
	case "host.hypervisor.kind":
		r.st.hypervisor = p.text(v)
	case "host.instance.type_candidates":
		p.types = p.appendList(p.types, v)
	case "host.instance.family_candidates":
		p.families = p.appendList(p.families, v)
	case "host.instance.host_cpu_candidates":
		p.hostCPUs = p.appendList(p.hostCPUs, v)
	case "host.instance.confidence":
		r.st.confidence = p.text(v)
	case "host.network.addresses":
		p.addresses = p.appendList(p.addresses, v)

	// startup line: sandbox.Sandbox.LogValue under "sandbox"
	case "sandbox.id":
		if len(r.sandboxID) == 0 {
			r.sandboxID = p.text(v)
		}
	case "sandbox.id_scope":
		r.st.idScope = p.text(v)
	case "sandbox.isolation":
		r.st.isolation = p.text(v)
	case "sandbox.co_tenants.per_vm":
		r.st.coTenants = intValue(v)
	case "sandbox.boot_id":
		r.st.sandboxBootID = p.text(v)
	case "sandbox.availability_zone_id":
		r.st.azID = p.text(v)

	// platform.report (Lambda JSON log format)
	case "record.requestId":
		r.requestID = p.text(v)
	case "record.metrics.durationMs":
		r.rep.durationMs, r.rep.hasDuration = number(v)
	case "record.metrics.billedDurationMs":
		r.rep.billedMs, _ = number(v)
	case "record.metrics.initDurationMs":
		r.rep.initMs, r.rep.hasInit = number(v)
	case "record.metrics.memorySizeMB":
		r.rep.memoryMB = intValue(v)
	case "record.metrics.maxMemoryUsedMB":
		r.rep.maxMemoryMB = intValue(v)
	}
}

// appendList adds a string element to a comma-joined list.
func (p *parser) appendList(list []byte, v jsonValue) []byte {
	if v.kind != jsonString {
		return list
	}
	if len(list) > 0 {
		list = append(list, ',')
	}
	if v.escaped {
		return unescapeJSON(list, v.raw)
	}
	return append(list, v.raw...)
}

// finishJSON decides the kind of a walked JSON object.
func (p *parser) finishJSON() {
	r := &p.rec
	msg := p.text(p.message)
	switch {
	case string(msg) == msgStartup:
		r.kind = KindStartup
		r.ts = p.lineTime()
		if r.st.bootID == nil {
			r.st.bootID = r.st.sandboxBootID
		}
		r.st.families, r.st.hostCPUs, r.st.types = p.families, p.hostCPUs, p.types
		r.st.addresses = p.addresses
		if len(r.sandboxID) == 0 {
			r.kind = KindIncomplete
		}
		return
	case string(msg) == msgInvocation:
		r.kind = KindInvocation
		if t, ok := parseTimestamp(p.text(p.invTime)); ok {
			r.ts = t
		} else {
			r.ts = p.lineTime()
		}
		if len(r.sandboxID) == 0 || !r.inv.seen {
			r.kind = KindIncomplete
		}
		return
	case string(msg) == msgShutdown:
		r.kind = KindShutdown
		r.ts = p.lineTime()
		r.end.firstInv, _ = parseTimestamp(p.text(p.firstInv))
		r.end.lastInv, _ = parseTimestamp(p.text(p.lastInv))
		r.end.processStart, _ = parseTimestamp(p.text(p.processStart))
		if len(r.sandboxID) == 0 {
			r.kind = KindIncomplete
		}
		return
	case bytes.HasPrefix(msg, []byte(msgPrefix)):
		r.kind = KindFaasprobeOther
		return
	}
	typ := p.text(p.typ)
	switch {
	case string(typ) == typeReport:
		r.kind = KindReport
		r.ts, _ = parseTimestamp(p.text(p.timeKey))
		if len(r.requestID) == 0 || !r.rep.hasDuration {
			r.kind = KindIncomplete
		}
	case bytes.HasPrefix(typ, []byte(typePrefix)):
		r.kind = KindPlatform
	default:
		r.kind = KindOtherJSON
	}
}

// lineTime is the line's own time: "timestamp" (Lambda's JSON log format),
// else "time" (slog's default JSON handler); 0 if neither parses.
func (p *parser) lineTime() int64 {
	if t, ok := parseTimestamp(p.text(p.timestamp)); ok {
		return t
	}
	t, _ := parseTimestamp(p.text(p.timeKey))
	return t
}

// classifyText sorts a line that is not JSON.
func classifyText(b []byte) Kind {
	switch {
	case bytes.HasPrefix(b, []byte(reportTextPrefix)):
		return KindReport
	case bytes.HasPrefix(b, []byte("START RequestId:")),
		bytes.HasPrefix(b, []byte("END RequestId:")),
		bytes.HasPrefix(b, []byte("INIT_START ")),
		bytes.HasPrefix(b, []byte("INIT_REPORT ")),
		bytes.HasPrefix(b, []byte("RESTORE_START ")),
		bytes.HasPrefix(b, []byte("RESTORE_REPORT ")),
		bytes.HasPrefix(b, []byte("XRAY TraceId:")),
		bytes.HasPrefix(b, []byte("EXTENSION\t")),
		bytes.HasPrefix(b, []byte("TELEMETRY\t")):
		return KindPlatform
	}
	return KindNotJSON
}

// parseReportText parses Lambda's text REPORT record:
//
//	REPORT RequestId: <id>\tDuration: 1.52 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 19 MB\tInit Duration: 62.31 ms\t
//
// Fields are separated by tabs (a newline may precede an XRAY part, which
// is ignored); unknown fields are skipped. It reports false without a
// request id or a Duration, or with a malformed duration.
func parseReportText(b []byte, r *record) bool {
	rest := b[len("REPORT "):]
	for len(rest) > 0 {
		var field []byte
		if i := bytes.IndexAny(rest, "\t\n"); i >= 0 {
			field, rest = rest[:i], rest[i+1:]
		} else {
			field, rest = rest, nil
		}
		field = bytes.TrimSpace(field)
		key, value, ok := bytes.Cut(field, []byte(":"))
		if !ok {
			continue
		}
		value = bytes.TrimSpace(value)
		switch string(key) {
		case "RequestId":
			r.requestID = value
		case "Duration":
			d, ok := millis(value)
			if !ok {
				return false
			}
			r.rep.durationMs, r.rep.hasDuration = d, true
		case "Billed Duration":
			r.rep.billedMs, _ = millis(value)
		case "Init Duration":
			d, ok := millis(value)
			if !ok {
				return false
			}
			r.rep.initMs, r.rep.hasInit = d, true
		case "Memory Size":
			r.rep.memoryMB = megabytes(value)
		case "Max Memory Used":
			r.rep.maxMemoryMB = megabytes(value)
		case "XRAY TraceId":
			rest = nil // the X-Ray part follows; nothing more for us
		}
	}
	return len(r.requestID) > 0 && r.rep.hasDuration
}

// millis parses "12.34 ms".
func millis(v []byte) (float64, bool) {
	num, ok := bytes.CutSuffix(v, []byte(" ms"))
	if !ok {
		return 0, false
	}
	return parseDecimal(num)
}

// megabytes parses "128 MB"; anything else is 0 (unknown).
func megabytes(v []byte) int {
	num, ok := bytes.CutSuffix(v, []byte(" MB"))
	if !ok {
		return 0
	}
	n, ok := parseUint(num)
	if !ok || n > 1<<31 {
		return 0
	}
	return int(n)
}

// number reads a JSON number value as a float64. A number too large for a
// float64 ("1e400") reads as +Inf, a negative one as itself: both are
// present, and checkBounds rejects them where a duration must be in range.
func number(v jsonValue) (float64, bool) {
	if v.kind != jsonNumber {
		return 0, false
	}
	if f, ok := parseDecimal(v.raw); ok {
		return f, true
	}
	f, err := strconv.ParseFloat(string(v.raw), 64) // exponents, signs: rare
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, false
	}
	return f, true // ErrRange: ±Inf on overflow, 0 on underflow
}

// intValue reads a JSON number as a non-negative int; 0 otherwise.
func intValue(v jsonValue) int {
	f, ok := number(v)
	if !ok || !(f >= 0 && f <= 1<<40) {
		return 0
	}
	return int(f)
}

// maxDecimalDigits bounds parseDecimal's mantissa (exact in a float64).
const maxDecimalDigits = 15

// parseDecimal parses a plain non-negative decimal ("12", "12.375") without
// allocating. It reports false for signs, exponents and more than 15
// significant digits (number falls back to strconv for those).
func parseDecimal(b []byte) (float64, bool) {
	var mant uint64
	digits, frac := 0, -1
	for i, c := range b {
		switch {
		case c >= '0' && c <= '9':
			if digits == maxDecimalDigits {
				return 0, false
			}
			mant = mant*10 + uint64(c-'0')
			if mant > 0 {
				digits++
			}
			if frac >= 0 {
				frac++
			}
		case c == '.' && frac < 0 && i > 0 && i < len(b)-1:
			frac = 0
		default:
			return 0, false
		}
	}
	if len(b) == 0 {
		return 0, false
	}
	f := float64(mant)
	if frac > 0 {
		f /= pow10[frac] // exact operands: one correctly rounded division
	}
	return f, true
}

// pow10 holds the powers of ten parseDecimal divides by.
var pow10 = [maxDecimalDigits + 1]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// parseUint parses ASCII digits into a uint64, refusing overflow.
func parseUint(b []byte) (uint64, bool) {
	if len(b) == 0 || len(b) > 19 {
		return 0, false
	}
	var n uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	return n, true
}
