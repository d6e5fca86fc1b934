//go:build !race

package cgroupfs

// raceEnabled: the race detector slows everything several-fold.
const raceEnabled = false
