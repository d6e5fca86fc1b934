//go:build !unix

package hostinfo

import "testing"

func mkfifo(t *testing.T, path string) bool { return false }
