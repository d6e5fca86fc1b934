package sandbox

import (
	"bytes"
	"fmt"
	"math"
)

// Field counts of the colon-separated databases.
const (
	passwdFields = 7 // name:password:uid:gid:gecos:home:shell (/etc/passwd)
	groupFields  = 4 // name:password:gid:members (/etc/group)
)

// lookupName finds the name of id in an /etc/passwd or /etc/group file
// (the name is field 1, the id field 3, as in both). The first matching
// entry wins, as getpwuid(3) does. Blank lines, comments and NIS "+"/"-"
// entries are skipped. Malformed lines (too few fields, an empty name, an id
// that is not a number) are skipped and named by line number in the error;
// their text is not quoted, since a legacy passwd may hold password hashes.
func lookupName(data []byte, id int, fields int) (name string, found bool, err error) {
	var bad []int
	badCount := 0
	for n := 1; len(data) > 0; n++ {
		var line []byte
		line, data, _ = bytes.Cut(data, []byte{'\n'})
		line = bytes.TrimSuffix(line, []byte{'\r'})
		if len(bytes.TrimSpace(line)) == 0 || line[0] == '#' || line[0] == '+' || line[0] == '-' {
			continue
		}
		name0, idField, nf := colonFields(line)
		v, ok := idFromBytes(idField)
		if nf < fields || len(name0) == 0 || !ok {
			badCount++
			if len(bad) < 5 {
				bad = append(bad, n)
			}
			continue
		}
		if v == id && !found {
			name, found = string(name0), true
		}
	}
	if badCount > 0 {
		err = fmt.Errorf("%d malformed line(s) (want %d colon-separated fields with a numeric id), first at line(s) %v", badCount, fields, bad)
	}
	return name, found, err
}

// colonFields returns field 1 and field 3 of a colon-separated line and the
// number of fields, without allocating.
func colonFields(line []byte) (first, third []byte, n int) {
	n = 1
	start := 0
	for i := 0; i <= len(line); i++ {
		if i < len(line) && line[i] != ':' {
			continue
		}
		switch n {
		case 1:
			first = line[start:i]
		case 3:
			third = line[start:i]
		}
		if i < len(line) {
			n++
		}
		start = i + 1
	}
	return first, third, n
}

// idFromBytes is parseID for a field, without allocating: decimal digits,
// below 4294967295, fitting an int.
func idFromBytes(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 10 {
		return -1, false
	}
	var v uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return -1, false
		}
		v = v*10 + uint64(c-'0')
	}
	if v >= math.MaxUint32 || v > math.MaxInt {
		return -1, false
	}
	return int(v), true
}
