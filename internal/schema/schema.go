// Package schema reads docs/schema.md — the one description of every
// faasprobe output — and checks JSON documents and log lines against it, so
// that tests can hold every producer (the CLI, the library's lines, the
// examples under the emulator) and every reader (fleet, the Logs Insights
// queries) to one shape.
//
// The page is made of "### Name" sections, each with a table whose rows are
// | `key` | `type` | presence | meaning |. Types are string, integer,
// number, boolean, time, []string, another section's Name, or []Name.
// Presence is "always", "if set" or "not in lines".
package schema

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
)

// Presence says when a key is written.
type Presence string

// Presences.
const (
	Always     Presence = "always"
	IfSet      Presence = "if set"
	NotInLines Presence = "not in lines"
)

// Field is one row of a section's table.
type Field struct {
	Key      string
	Type     string
	Presence Presence
}

// Schema is the parsed page: the sections by name.
type Schema struct {
	Objects map[string][]Field
}

// Parse reads the page.
func Parse(page []byte) (Schema, error) {
	headingRE := regexp.MustCompile("^###\\s+([A-Za-z][A-Za-z0-9]*)\\s*$")
	rowRE := regexp.MustCompile("^\\|\\s*`([^`]+)`\\s*\\|\\s*`([^`]+)`\\s*\\|\\s*([a-z ]+?)\\s*\\|")
	s := Schema{Objects: map[string][]Field{}}
	var current string
	sc := bufio.NewScanner(bytes.NewReader(page))
	for sc.Scan() {
		line := sc.Text()
		if m := headingRE.FindStringSubmatch(line); m != nil {
			current = m[1]
			continue
		}
		if strings.HasPrefix(line, "## ") {
			current = ""
			continue
		}
		m := rowRE.FindStringSubmatch(line)
		if m == nil || current == "" {
			continue
		}
		p := Presence(m[3])
		if p != Always && p != IfSet && p != NotInLines {
			return Schema{}, fmt.Errorf("schema: %s.%s: presence %q", current, m[1], m[3])
		}
		s.Objects[current] = append(s.Objects[current], Field{Key: m[1], Type: m[2], Presence: p})
	}
	if err := sc.Err(); err != nil {
		return Schema{}, err
	}
	for name, fields := range s.Objects {
		seen := map[string]bool{}
		for _, f := range fields {
			if seen[f.Key] {
				return Schema{}, fmt.Errorf("schema: %s.%s: listed twice", name, f.Key)
			}
			seen[f.Key] = true
			if elem, ok := objectType(f.Type); ok {
				if _, found := s.Objects[elem]; !found {
					return Schema{}, fmt.Errorf("schema: %s.%s: type %s is not described", name, f.Key, f.Type)
				}
			} else if !isPrimitive(strings.TrimPrefix(f.Type, "[]")) {
				return Schema{}, fmt.Errorf("schema: %s.%s: unknown type %s", name, f.Key, f.Type)
			}
		}
	}
	if len(s.Objects) == 0 {
		return Schema{}, errors.New("schema: no sections")
	}
	return s, nil
}

// isPrimitive reports whether t is one of the page's plain types.
func isPrimitive(t string) bool {
	switch t {
	case "string", "integer", "number", "boolean", "time":
		return true
	}
	return false
}

// objectType returns the section named by a type ("Host", "[]Problem").
func objectType(t string) (string, bool) {
	t = strings.TrimPrefix(t, "[]")
	if isPrimitive(t) {
		return "", false
	}
	return t, true
}

// Mode says what a value is: a document (`faasprobe --json`) or a log line.
type Mode int

// Modes.
const (
	Document Mode = iota
	Line
)

// Validate checks one JSON value against section name: every key must be
// described, with its type; keys that are "always" (and, in a document,
// "not in lines") must be there; in a line, "not in lines" keys must not.
// It returns every violation, with its path.
func (s Schema) Validate(name string, raw []byte, mode Mode) []error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return []error{fmt.Errorf("not JSON: %w", err)}
	}
	var errs []error
	s.check(name, name, v, mode, &errs)
	return errs
}

func (s Schema) check(path, name string, v any, mode Mode, errs *[]error) {
	fields, ok := s.Objects[name]
	if !ok {
		*errs = append(*errs, fmt.Errorf("%s: no section %s", path, name))
		return
	}
	obj, ok := v.(map[string]any)
	if !ok {
		*errs = append(*errs, fmt.Errorf("%s: want an object %s, got %T", path, name, v))
		return
	}
	byKey := make(map[string]Field, len(fields))
	for _, f := range fields {
		byKey[f.Key] = f
		_, present := obj[f.Key]
		switch {
		case present && mode == Line && f.Presence == NotInLines:
			*errs = append(*errs, fmt.Errorf("%s.%s: not in lines, but present", path, f.Key))
		case !present && (f.Presence == Always || (mode == Document && f.Presence == NotInLines && !omittable(f))):
			*errs = append(*errs, fmt.Errorf("%s.%s: missing", path, f.Key))
		}
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		f, ok := byKey[k]
		if !ok {
			*errs = append(*errs, fmt.Errorf("%s.%s: not in the schema", path, k))
			continue
		}
		s.checkType(path+"."+k, f.Type, obj[k], mode, errs)
	}
}

// omittable: "not in lines" fields that the document also leaves out when
// empty (their meaning says "omitted").
func omittable(f Field) bool {
	return f.Type == "Filesystem" || f.Key == "id_note" || f.Key == "fanout"
}

func (s Schema) checkType(path, typ string, v any, mode Mode, errs *[]error) {
	if elem, ok := strings.CutPrefix(typ, "[]"); ok {
		list, ok := v.([]any)
		if !ok {
			*errs = append(*errs, fmt.Errorf("%s: want a list (%s), got %T", path, typ, v))
			return
		}
		for i, e := range list {
			s.checkType(fmt.Sprintf("%s[%d]", path, i), elem, e, mode, errs)
		}
		return
	}
	bad := func() { *errs = append(*errs, fmt.Errorf("%s: want %s, got %v (%T)", path, typ, v, v)) }
	switch typ {
	case "string":
		if _, ok := v.(string); !ok {
			bad()
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			bad()
		}
	case "integer":
		n, ok := v.(json.Number)
		if !ok || strings.ContainsAny(n.String(), ".eE") {
			bad()
		}
	case "number":
		if _, ok := v.(json.Number); !ok {
			bad()
		}
	case "time":
		str, ok := v.(string)
		if !ok {
			bad()
			return
		}
		if _, err := time.Parse(time.RFC3339Nano, str); err != nil {
			bad()
		}
	default:
		s.check(path, typ, v, mode, errs)
	}
}

// Resolve returns the type of a dotted path below section name
// ("host.cpu.model_name" below "StartupLine"), looking through lists; a
// numeric part is an element of a list ("host.network.addresses.0").
func (s Schema) Resolve(name, path string) (string, bool) {
	typ := name
	for _, part := range strings.Split(path, ".") {
		if elem, ok := strings.CutPrefix(typ, "[]"); ok && isIndex(part) {
			typ = elem // a list element by index, as Logs Insights names it ("host.network.addresses.0")
			continue
		}
		fields, ok := s.Objects[strings.TrimPrefix(typ, "[]")]
		if !ok {
			return "", false
		}
		found := false
		for _, f := range fields {
			if f.Key == part {
				typ, found = f.Type, true
				break
			}
		}
		if !found {
			return "", false
		}
	}
	return typ, true
}

// ValidateLine checks one log line against the section its "message" (or
// slog's "msg") names: faasprobe.startup → StartupLine, faasprobe.invocation
// → InvocationLine, faasprobe.shutdown → ShutdownLine. Any other message is
// an error: the line is not one of faasprobe's.
func (s Schema) ValidateLine(raw []byte) []error {
	var head struct {
		Message string `json:"message"`
		Msg     string `json:"msg"`
	}
	if err := json.Unmarshal(raw, &head); err != nil {
		return []error{fmt.Errorf("not JSON: %w", err)}
	}
	var name string
	switch msg := cmp.Or(head.Message, head.Msg); msg {
	case "faasprobe.startup":
		name = "StartupLine"
	case "faasprobe.invocation":
		name = "InvocationLine"
	case "faasprobe.shutdown":
		name = "ShutdownLine"
	default:
		return []error{fmt.Errorf("message %q is not a faasprobe line's", msg)}
	}
	return s.Validate(name, raw, Line)
}

// isIndex reports whether part is a list index (decimal digits).
func isIndex(part string) bool {
	for i := 0; i < len(part); i++ {
		if part[i] < '0' || part[i] > '9' {
			return false
		}
	}
	return part != ""
}
