package fleet

// Bounds on what one record may hold. The analysis keeps strings of
// startup, invocation and REPORT records (sandbox and request ids, boot
// ids, function names, CPU models, …) per sandbox, per VM and per pending
// REPORT, and sums durations; a log written by someone else may hold
// anything. A record past a bound is counted as KindIncomplete and kept
// nowhere, and the results say how many there were.
const (
	// MaxFieldBytes bounds every string a record keeps (after JSON
	// unescaping). Lambda's longest, a log stream name, is under 100 bytes.
	MaxFieldBytes = 256
	// MaxListBytes bounds a comma-joined list of a startup line
	// (host.instance.*_candidates, host.network.addresses).
	MaxListBytes = 4096
	// MaxMillis bounds every duration in milliseconds (Duration, Billed
	// Duration, Init Duration, since_init_ms): 10^10 ms, about 116 days,
	// far beyond Lambda's 15-minute timeout and any sandbox's life. With
	// every value finite and at most this, no sum or mean over up to 2^63
	// values can overflow to Inf.
	MaxMillis = 1e10
	// MaxCPUMillis bounds a VM sample's CPU times (vm.cpu_ms, vm.steal_ms:
	// summed over the VM's CPUs): MaxMillis over 1000 CPUs.
	MaxCPUMillis = 1e13
	// MaxMemoryBytes bounds vm.memory_available_bytes and
	// host.memory_total_bytes: 1 PiB.
	MaxMemoryBytes = 1 << 50
)

// flaw is why checkBounds rejected a record.
type flaw uint8

const (
	flawNone     flaw = iota
	flawTooLong       // a string over MaxFieldBytes, or a list over MaxListBytes
	flawDuration      // a duration that is negative, not finite or over MaxMillis
	flawVM            // a vm sample or memory total out of range: the sample (or total) alone is dropped
	numFlaws
)

// checkBounds turns a startup, invocation or REPORT record that breaks a
// bound into KindIncomplete and says why in r.flaw. Records of other kinds
// keep nothing and are left alone.
func (r *record) checkBounds() {
	switch r.kind {
	case KindStartup, KindInvocation, KindReport:
	default:
		return
	}
	st := &r.st
	for _, s := range [...][]byte{
		r.sandboxID, r.requestID, r.inv.reason, r.inv.initType,
		st.function, st.region, st.provider, st.service, st.arch, st.kernel, st.bootID, st.cpuModel,
		st.microarch, st.hypervisor, st.confidence, st.idScope, st.isolation, st.sandboxBootID, st.azID,
	} {
		if len(s) > MaxFieldBytes {
			r.kind, r.flaw = KindIncomplete, flawTooLong
			return
		}
	}
	if len(st.families) > MaxListBytes || len(st.hostCPUs) > MaxListBytes || len(st.types) > MaxListBytes || len(st.addresses) > MaxListBytes {
		r.kind, r.flaw = KindIncomplete, flawTooLong
		return
	}
	for _, ms := range [...]float64{r.inv.sinceInitMs, r.rep.durationMs, r.rep.billedMs, r.rep.initMs} {
		if !(ms >= 0 && ms <= MaxMillis) { // also true for NaN
			r.kind, r.flaw = KindIncomplete, flawDuration
			return
		}
	}
	if !inRange(st.memTotal, MaxMemoryBytes) {
		st.memTotal, r.flaw = 0, flawVM
	}
	if v := &r.vm; v.seen && !(inRange(v.cpuMs, MaxCPUMillis) && inRange(v.stealMs, v.cpuMs) && inRange(v.memAvail, MaxMemoryBytes)) {
		*v, r.flaw = vmFacts{}, flawVM
	}
}

// inRange: x is a number from 0 to limit (false for NaN).
func inRange(x, limit float64) bool { return x >= 0 && x <= limit }
