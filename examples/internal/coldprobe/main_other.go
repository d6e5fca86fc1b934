//go:build !linux

package main

import (
	"fmt"
	"os"
)

// main: the phases and page-fault counts are Linux's (/proc, getrusage
// ru_minflt); elsewhere there is nothing to measure.
func main() {
	fmt.Fprintln(os.Stderr, "coldprobe: Linux only")
	os.Exit(2)
}
