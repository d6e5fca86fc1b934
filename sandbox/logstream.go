package sandbox

import (
	"errors"
	"fmt"
	"strings"

	"github.com/faasprobe/faasprobe/internal/excerpt"
)

// logStream is AWS_LAMBDA_LOG_STREAM_NAME taken apart. Lambda writes it as
// "YYYY/MM/DD/[VERSION]GUID" or "YYYY/MM/DD/PREFIX[VERSION]GUID", GUID being
// 32 lowercase hex digits that name the execution environment. The Runtime
// Interface Emulator sets just "$LATEST" (Emulator).
type logStream struct {
	Date     string // "2022/02/24"
	Prefix   string // text before "[" ("" in the common form)
	Version  string // "$LATEST", "12"
	GUID     string // 32 hex digits; "" for the emulator form
	Emulator bool   // the value is exactly "$LATEST"
}

// emulatorLogStream is what the AWS Lambda Runtime Interface Emulator sets
// (aws-lambda-runtime-interface-emulator internal/lambda/rie/handlers.go).
const emulatorLogStream = "$LATEST"

var errNoGUID = errors.New("want YYYY/MM/DD/[VERSION]<32 hex digits>")

// parseLogStream parses AWS_LAMBDA_LOG_STREAM_NAME strictly: anything but
// the two Lambda forms and the emulator's "$LATEST" is an error that quotes
// the value (it holds no secret).
func parseLogStream(s string) (logStream, error) {
	if s == emulatorLogStream {
		return logStream{Version: s, Emulator: true}, nil
	}
	bad := func(why string) (logStream, error) {
		return logStream{}, fmt.Errorf("%q: %s: %w", excerpt.Clip(s), why, errNoGUID)
	}
	if len(s) < 11 || !validDate(s[:10]) || s[10] != '/' {
		return bad("no YYYY/MM/DD/ date")
	}
	if len(s) < 11+3+32 || len(s) > 512 {
		return bad("bad length")
	}
	date := s[:10]
	rest := s[11:]
	guid := rest[len(rest)-32:]
	if !isLowerHex(guid) {
		return bad("does not end in 32 lowercase hex digits")
	}
	rest = rest[:len(rest)-32]
	if !strings.HasSuffix(rest, "]") {
		return bad("no ] before the id")
	}
	rest = rest[:len(rest)-1]
	open := strings.LastIndexByte(rest, '[')
	if open < 0 {
		return bad("no [version]")
	}
	prefix, version := rest[:open], rest[open+1:]
	if version == "" || len(version) > 64 || !isNameChars(version) {
		return bad("bad version")
	}
	if len(prefix) > 256 || (prefix != "" && !isNameChars(prefix)) {
		return bad("bad text before [version]")
	}
	return logStream{Date: date, Prefix: prefix, Version: version, GUID: guid}, nil
}

// validDate checks "YYYY/MM/DD" with a month 01–12 and a day 01–31.
func validDate(d string) bool {
	if len(d) != 10 || d[4] != '/' || d[7] != '/' {
		return false
	}
	for _, i := range [...]int{0, 1, 2, 3, 5, 6, 8, 9} {
		if d[i] < '0' || d[i] > '9' {
			return false
		}
	}
	month := int(d[5]-'0')*10 + int(d[6]-'0')
	day := int(d[8]-'0')*10 + int(d[9]-'0')
	return month >= 1 && month <= 12 && day >= 1 && day <= 31
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// isNameChars allows what Lambda puts in names and versions: ASCII letters,
// digits and "$._-".
func isNameChars(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '$', c == '.', c == '_', c == '-':
		default:
			return false
		}
	}
	return true
}
