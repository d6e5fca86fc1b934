package sysroot

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
)

// ParseEnv parses an env file: one KEY=VALUE per line, as written by
// `env` or by faasprobe's recorder. Blank lines and lines starting with '#'
// are skipped. A value runs to the end of its line; a key must be non-empty
// and contain no white space. Bad lines are skipped and reported in the
// returned error (the map still holds every good line).
func ParseEnv(data []byte) (map[string]string, error) {
	env := make(map[string]string)
	var errs []error
	for n := 1; len(data) > 0; n++ {
		var line []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			line, data = data, nil
		}
		line = bytes.TrimSuffix(line, []byte{'\r'})
		if len(bytes.TrimSpace(line)) == 0 || line[0] == '#' {
			continue
		}
		k, v, ok := bytes.Cut(line, []byte{'='})
		key := string(k)
		if !ok || key == "" || strings.ContainsAny(key, " \t\x00") {
			if len(errs) < 5 {
				// The line's text is not quoted: it may be part of a secret.
				errs = append(errs, fmt.Errorf("line %d: want KEY=VALUE (%d bytes, not shown)", n, len(line)))
			}
			continue
		}
		env[key] = string(v)
	}
	return env, errors.Join(errs...)
}
