package fleet

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type visited struct {
	path, raw string
	kind      byte
}

func walkAll(b []byte) ([]visited, error) {
	var w walker
	var out []visited
	err := w.walkJSON(b, func(p []byte, v jsonValue) {
		out = append(out, visited{string(p), string(v.raw), v.kind})
	})
	return out, err
}

func TestWalkJSON(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want []visited
	}{
		{"empty object", ` {} `, nil},
		{"scalars", `{"a":"x","b":-1.5e3,"c":true,"d":false,"e":null,"f":0}`, []visited{
			{"a", "x", jsonString}, {"b", "-1.5e3", jsonNumber}, {"c", "", jsonTrue}, {"d", "", jsonFalse}, {"e", "", jsonNull}, {"f", "0", jsonNumber},
		}},
		{"nested paths", `{"host":{"cpu":{"model_name":"AMD EPYC"},"arch":"arm64"},"x":1}`, []visited{
			{"host.cpu.model_name", "AMD EPYC", jsonString}, {"host.arch", "arm64", jsonString}, {"x", "1", jsonNumber},
		}},
		{"array elements keep the array's path", `{"l":["a",["b"],{"k":"c"}],"m":[]}`, []visited{
			{"l", "a", jsonString}, {"l", "b", jsonString}, {"l.k", "c", jsonString},
		}},
		{"escapes stay raw", `{"a\"b":"\u00e9\n"}`, []visited{{`a\"b`, `\u00e9\n`, jsonString}}},
		{"white space everywhere", "{ \"a\" :\t[ 1 , 2 ]\r\n}", []visited{{"a", "1", jsonNumber}, {"a", "2", jsonNumber}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := walkAll([]byte(tt.in))
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestWalkJSONErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     error
	}{
		{"empty", "", errNotObject},
		{"array", "[1]", errNotObject},
		{"text", "REPORT RequestId: x", errNotObject},
		{"cut after key", `{"a":`, errTruncated},
		{"cut in literal", `{"a":tr`, errTruncated},
		{"cut in string", `{"a":"abc`, errTruncated},
		{"cut after escape", `{"a":"\`, errTruncated},
		{"cut in unicode escape", `{"a":"\u00`, errTruncated},
		{"cut after number", `{"a":12`, errTruncated},
		{"cut after fraction point", `{"a":1.`, errTruncated},
		{"cut in nested", `{"a":{"b":[1,2`, errTruncated},
		{"trailing comma", `{"a":1,}`, errMalformed},
		{"trailing data", `{"a":1} x`, errMalformed},
		{"two objects", `{"a":1}{"b":2}`, errMalformed},
		{"control character in string", "{\"a\":\"\x01\"}", errMalformed},
		{"leading zero", `{"a":01}`, errMalformed},
		{"bare minus", `{"a":-}`, errMalformed},
		{"empty fraction", `{"a":1.x}`, errMalformed},
		{"empty exponent", `{"a":1e}`, errMalformed},
		{"bad escape", `{"a":"\x"}`, errMalformed},
		{"bad unicode escape", `{"a":"\u12G4"}`, errMalformed},
		{"wrong literal", `{"a":nul}`, errMalformed},
		{"single quotes", `{'a':1}`, errMalformed},
		{"missing colon", `{"a" 1}`, errMalformed},
		{"deep", strings.Repeat(`{"a":`, maxJSONDepth+1) + "1" + strings.Repeat("}", maxJSONDepth+1), errTooDeep},
		{"long path", `{"` + strings.Repeat("k", maxJSONPath+1) + `":1}`, errPathTooBig},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := walkAll([]byte(tt.in))
			assert.ErrorIs(t, err, tt.want)
		})
	}
}

// TestWalkJSONMatchesEncodingJSON: on every fixture line, the walker
// accepts exactly what encoding/json accepts, and any cut of a line is
// truncated, never accepted.
func TestWalkJSONMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	for i, l := range fixtureLines(t) {
		b := []byte(l)
		_, err := walkAll(b)
		isObject := bytes.HasPrefix(bytes.TrimSpace(b), []byte("{"))
		assert.Equal(t, json.Valid(b) && isObject, err == nil, "line %d: %v", i+1, err)
		if err == nil {
			for _, cut := range []int{1, len(b) / 3, len(b) / 2, len(b) - 1} {
				_, err := walkAll(b[:cut])
				assert.ErrorIs(t, err, errTruncated, "line %d cut at %d", i+1, cut)
			}
		}
	}
}

func TestUnescapeJSON(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"plain", `a\"b\\c\/d`, `\b\f\n\r\t`, `\u00e9\u20ac`, `\ud83d\ude00`, `\ud800x`, `\udc00`, `\ud800\u0041`} {
		t.Run(s, func(t *testing.T) {
			t.Parallel()
			var want string
			require.NoError(t, json.Unmarshal([]byte(`"`+s+`"`), &want))
			assert.Equal(t, want, string(unescapeJSON(nil, []byte(s))))
		})
	}
}

func FuzzWalkJSON(f *testing.F) {
	for _, l := range fixtureLines(f) {
		f.Add([]byte(l))
	}
	f.Add([]byte(`{"a":[1,{"b":"\u00e9"}],"c":-0.5e-3}`))
	f.Add([]byte(`{"a":"\ud83d\ude00"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var paths []string
		_, err := walkAll(b)
		var w walker
		_ = w.walkJSON(b, func(p []byte, v jsonValue) {
			paths = append(paths, string(p))
			if v.kind == jsonString {
				// decoding a walked string never fails and matches encoding/json on valid UTF-8
				got := unescapeJSON(nil, v.raw)
				if utf8.Valid(v.raw) {
					var want string
					if json.Unmarshal([]byte(`"`+string(v.raw)+`"`), &want) == nil {
						assert.Equal(t, want, string(got))
					}
				}
			}
		})
		isObject := bytes.HasPrefix(bytes.TrimLeft(b, " \t\r\n"), []byte("{"))
		switch {
		case err == nil:
			assert.True(t, json.Valid(b) && isObject, "accepted invalid JSON %q", b)
		case errors.Is(err, errTooDeep), errors.Is(err, errPathTooBig):
			// limits of ours; encoding/json goes deeper
		default:
			assert.False(t, json.Valid(b) && isObject, "rejected valid JSON %q: %v", b, err)
		}
		for _, p := range paths {
			assert.LessOrEqual(t, len(p), maxJSONPath)
		}
	})
}
