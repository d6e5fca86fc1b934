package sources_test

import (
	"fmt"

	"github.com/faasprobe/faasprobe/internal/sources"
)

// What hostinfo reads other than whole files.
func Example() {
	for _, p := range sources.Packages() {
		if p.Dir != "hostinfo" {
			continue
		}
		for _, s := range p.Sources {
			switch s.Kind {
			case sources.File:
			case sources.Head:
				fmt.Printf("%-6s %s (%d bytes)\n", s.Kind, s.Path, s.HeadBytes)
			default:
				fmt.Printf("%-6s %s\n", s.Kind, s.Path)
			}
		}
	}
	// Output:
	// marker proc/sentry-meminfo
	// dir    sys/class/dmi/id
	// head   sys/firmware/acpi/tables/DSDT (16 bytes)
	// head   sys/firmware/devicetree/base/compatible (256 bytes)
	// glob   sys/class/net/*/device/uevent
	// live-only sys/class/net/*/device/driver
	// marker .dockerenv
	// marker run/.containerenv
}
