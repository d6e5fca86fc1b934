// Package vmstat samples the state of the VM under a function at each
// invocation: the "vm" object of the invocation line (docs/schema.md),
// which faasprobe.WithVMStats and the Lambda extension's
// FAASPROBE_VM_STATS=1 turn on.
//
//	s := vmstat.New(root) // the baseline, at init
//	v := s.Sample()       // per invocation: since the previous sample
//
// A sample holds the memory available (/proc/meminfo MemAvailable) and the
// CPU time of the whole VM since the previous sample, from the aggregate
// "cpu" line of /proc/stat, in milliseconds summed over the CPUs (USER_HZ
// ticks of 10 ms): user (user+nice), system (system+irq+softirq), idle,
// iowait and steal, their sum, and the steal share of that sum. Steal is
// time the hypervisor ran something else while the VM's CPUs had work:
// the noisy-neighbour signal.
//
// Unknown: a missing file leaves its fields 0; one that cannot be read or
// parsed does too, and names itself in Problem. When the counters cannot be compared with the previous
// sample (none was read, the boot time changed, or a counter went
// backwards, as after a snapshot restore onto another VM) the CPU fields
// are 0, Reset says why, and the sample is the new baseline.
//
// The files are read through internal/sysroot (bounded, inside the root)
// into buffers kept by the Sampler, and parsed by internal/procfile.
package vmstat
