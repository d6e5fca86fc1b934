// Command procfs links github.com/prometheus/procfs and exits: run it under
// initcheck (-bin) to measure what the dependency's package init costs a
// process that imports it. faasprobe's library packages do not import it
// (internal/safety's TestNoLibraryPackageImportsProcfs keeps it so); only
// tests do.
package main

import _ "github.com/prometheus/procfs"

func main() {}
