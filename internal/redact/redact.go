package redact

import "strings"

// Placeholder replaces a secret value, or the secret part of one.
const Placeholder = "<REDACTED>"

// class is what a variable's name says about its value.
type class uint8

const (
	plain  class = iota // nothing: the value alone decides (rules 3, 4)
	weak                // TOKEN, KEY, …: redacted unless harmless or a short plain word
	strong              // SECRET, PASSWORD, …: redacted unless harmless
	always              // a known credential
)

// IsSecretName reports whether a variable's name marks it as a credential
// (always redacted) or suggests one (redacted when its value looks secret;
// see the package doc). Names that say nothing return false, though their
// values may still be redacted (a URL with a password, a connection
// string).
func IsSecretName(name string) bool {
	return nameClass(name) != plain
}

// Env returns what may be recorded of the variable name=value, and whether
// that differs from the value because something was redacted. See the
// package doc for the rules.
func Env(name, value string) (string, bool) {
	if value == "" {
		return value, false
	}
	c := nameClass(name)
	if c == always || carriesSecret(value) {
		return Placeholder, true
	}
	v, changed := redactUserinfo(value)
	switch {
	case c == strong && !harmless(v):
		return Placeholder, true
	case c == weak && !harmless(v) && !plainWord(v):
		return Placeholder, true
	}
	return v, changed
}

// nameClass classifies a variable name (rules 2 and 5).
func nameClass(name string) class {
	n := strings.TrimPrefix(strings.ToUpper(name), "APPSETTING_")
	switch n {
	case "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
		"AWS_LAMBDA_METADATA_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN",
		"AZUREWEBJOBSSTORAGE", "AZUREWEBJOBSDASHBOARD", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING",
		"WEBSITE_AUTH_ENCRYPTION_KEY", "WEBSITE_AUTH_SIGNING_KEY", "CONTAINER_ENCRYPTION_KEY",
		"MSI_SECRET", "IDENTITY_HEADER",
		"GOOGLE_OAUTH_ACCESS_TOKEN", "CLOUDSDK_AUTH_ACCESS_TOKEN", "GOOGLE_CREDENTIALS", "GOOGLE_CLOUD_KEYFILE_JSON":
		return always
	}
	squeezed := strings.ReplaceAll(n, "_", "")
	for _, s := range [...]string{"CONNECTIONSTRING", "SASURI", "SASURL", "SASTOKEN"} {
		if strings.Contains(squeezed, s) {
			return always
		}
	}
	for _, s := range [...]string{"SECRET", "PASSWORD", "PASSWD", "PASSPHRASE", "PRIVATE", "CREDENTIAL"} {
		if strings.Contains(n, s) {
			return strong
		}
	}
	if strings.HasSuffix(n, "_PWD") || strings.HasSuffix(n, "_PASS") {
		return strong
	}
	for _, s := range [...]string{"TOKEN", "KEY", "AUTH", "SIGNATURE", "COOKIE"} {
		if strings.Contains(n, s) {
			return weak
		}
	}
	return plain
}

// carriesSecret reports whether a value holds a credential whatever its
// variable's name (rule 3).
func carriesSecret(v string) bool {
	return hasSecretParam(v) || hasAWSKeyID(v) || hasPEMKey(v) || hasJWT(v)
}

// paramSep ends a KEY=VALUE parameter in a connection string, a query or a
// command line.
func isParamSep(c byte) bool {
	switch c {
	case ';', '&', '?', ',', ' ', '\t', '\n', '\r', '"', '\'':
		return true
	}
	return false
}

// hasSecretParam finds a KEY=VALUE parameter with a non-empty value whose key
// names a secret: "AccountKey=…", "?sig=…", "Password=…".
func hasSecretParam(v string) bool {
	for i := 0; i < len(v); i++ {
		if v[i] != '=' {
			continue
		}
		start := i
		for start > 0 && !isParamSep(v[start-1]) && v[start-1] != '=' {
			start--
		}
		if i+1 >= len(v) || isParamSep(v[i+1]) || v[i+1] == '=' {
			continue // empty value
		}
		if secretParamName(strings.TrimLeft(strings.ToLower(v[start:i]), "-")) {
			return true
		}
	}
	return false
}

func secretParamName(k string) bool {
	switch k {
	case "sig", "key", "pwd", "pass", "code", "token":
		return true
	}
	for _, s := range [...]string{"token", "secret", "password", "passwd", "credential", "signature",
		"apikey", "api_key", "api-key", "accountkey", "accesskey", "authorization", "auth_key", "private"} {
		if strings.Contains(k, s) {
			return true
		}
	}
	return false
}

// hasAWSKeyID finds an AWS access key id: AKIA (long-term) or ASIA
// (temporary) followed by at least 16 upper-case letters or digits.
func hasAWSKeyID(v string) bool {
	for _, p := range [...]string{"AKIA", "ASIA"} {
		for rest := v; ; {
			i := strings.Index(rest, p)
			if i < 0 {
				break
			}
			rest = rest[i+len(p):]
			n := 0
			for n < len(rest) && (isUpper(rest[n]) || isDigit(rest[n])) {
				n++
			}
			if n >= 16 {
				return true
			}
		}
	}
	return false
}

// hasPEMKey finds a PEM private key block (also inside JSON, as in a
// service-account key file).
func hasPEMKey(v string) bool {
	return strings.Contains(v, "-----BEGIN") && strings.Contains(v, "PRIVATE KEY")
}

// hasJWT finds a JSON Web Token: "eyJ" (base64url of `{"`), a payload and a
// signature part, dot-separated.
func hasJWT(v string) bool {
	for rest := v; ; {
		i := strings.Index(rest, "eyJ")
		if i < 0 {
			return false
		}
		rest = rest[i:]
		n1 := b64urlRun(rest)
		if n1 >= 10 && n1 < len(rest) && rest[n1] == '.' {
			n2 := b64urlRun(rest[n1+1:])
			if n2 >= 10 && n1+1+n2 < len(rest) && rest[n1+1+n2] == '.' {
				return true
			}
		}
		rest = rest[3:]
	}
}

func b64urlRun(s string) int {
	n := 0
	for n < len(s) && (isUpper(s[n]) || isLower(s[n]) || isDigit(s[n]) || s[n] == '-' || s[n] == '_') {
		n++
	}
	return n
}

// endsAuthority ends a URL's authority (user info and host): RFC 3986
// delimiters, white space and quotes. ',' and ';' may occur in user info.
func endsAuthority(c byte) bool {
	switch c {
	case '/', '?', '#', ' ', '\t', '\n', '\r', '"', '\'':
		return true
	}
	return false
}

// redactUserinfo replaces the password of every scheme://user:password@host
// in v, and user info without a password that is not a plain word (rule 4).
func redactUserinfo(v string) (string, bool) {
	if !strings.Contains(v, "://") {
		return v, false
	}
	var b strings.Builder
	changed := false
	rest := v
	for {
		i := strings.Index(rest, "://")
		if i < 0 {
			break
		}
		b.WriteString(rest[:i+3])
		rest = rest[i+3:]
		end := 0
		for end < len(rest) && !endsAuthority(rest[end]) {
			end++
		}
		auth := rest[:end]
		at := strings.LastIndexByte(auth, '@')
		if at < 0 {
			continue
		}
		user, pass, hasPass := strings.Cut(auth[:at], ":")
		switch {
		case hasPass && pass != "" && pass != Placeholder:
			b.WriteString(user)
			b.WriteString(":" + Placeholder)
			changed = true
		case !hasPass && user != "" && user != Placeholder && !plainWord(user):
			b.WriteString(Placeholder)
			changed = true
		default:
			b.WriteString(auth[:at])
		}
		rest = rest[at:]
	}
	if !changed {
		return v, false
	}
	b.WriteString(rest)
	return b.String(), true
}

// harmless reports whether a value cannot itself grant access: a
// boolean-like word, an ARN, a URL without credentials, file paths.
func harmless(v string) bool {
	return boolWord(v) || isARN(v) || isURL(v) || isPathList(v)
}

func boolWord(v string) bool {
	for _, w := range [...]string{"true", "false", "yes", "no", "on", "off", "none", "null", "enabled", "disabled", "0", "1"} {
		if strings.EqualFold(v, w) {
			return true
		}
	}
	return false
}

// isARN: arn:partition:service:region:account:resource.
func isARN(v string) bool {
	if !strings.HasPrefix(v, "arn:") || strings.Count(v, ":") < 5 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if !isUpper(c) && !isLower(c) && !isDigit(c) && !strings.ContainsRune(":/_+=.,@*-", rune(c)) {
			return false
		}
	}
	return true
}

// isURL: scheme://… without white space, whose user info (if any) is
// already redacted and whose path and query hold nothing random-looking
// (a webhook URL with a token in its path is not harmless).
func isURL(v string) bool {
	i := strings.Index(v, "://")
	if i <= 0 || !isLower(lower(v[0])) {
		return false
	}
	for j := 0; j < i; j++ {
		c := v[j]
		if !isUpper(c) && !isLower(c) && !isDigit(c) && c != '+' && c != '.' && c != '-' {
			return false
		}
	}
	rest := v[i+3:]
	for j := 0; j < len(rest); j++ {
		if rest[j] <= ' ' || rest[j] == 0x7f {
			return false
		}
	}
	end := 0
	for end < len(rest) && !endsAuthority(rest[end]) {
		end++
	}
	if at := strings.LastIndexByte(rest[:end], '@'); at >= 0 {
		user, pass, hasPass := strings.Cut(rest[:at], ":")
		if hasPass && pass != Placeholder && pass != "" || !hasPass && user != Placeholder && !plainWord(user) {
			return false
		}
	}
	return !anyRandomPart(rest[end:], "/?&=#;")
}

// isPathList: one file path, or a ':'-separated list of them (PATH), each
// absolute or starting with ./, ../ or ~/, without white space, none of
// whose parts looks random.
func isPathList(v string) bool {
	for _, p := range strings.Split(v, ":") {
		if p == "" {
			continue
		}
		if !strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "./") && !strings.HasPrefix(p, "../") && !strings.HasPrefix(p, "~/") {
			return false
		}
		for j := 0; j < len(p); j++ {
			if p[j] <= ' ' || p[j] == 0x7f {
				return false
			}
		}
		if anyRandomPart(p, "/") {
			return false
		}
	}
	return strings.Trim(v, ":") != ""
}

// anyRandomPart splits s at any of seps and reports whether a part looks
// random.
func anyRandomPart(s, seps string) bool {
	for len(s) > 0 {
		i := strings.IndexAny(s, seps)
		part := s
		if i >= 0 {
			part, s = s[:i], s[i+1:]
		} else {
			s = ""
		}
		if looksRandom(part) {
			return true
		}
	}
	return false
}

// looksRandom: 16 or more characters using lower case, upper case and
// digits (a key, a token, a base64 blob).
func looksRandom(s string) bool {
	if len(s) < 16 {
		return false
	}
	lo, up, dg := classes(s)
	return lo && up && dg
}

// plainWord: under 16 characters of letters, digits, '.', '_' and '-',
// using at most two of lower case, upper case and digits.
func plainWord(s string) bool {
	if len(s) >= 16 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isUpper(c) && !isLower(c) && !isDigit(c) && c != '.' && c != '_' && c != '-' {
			return false
		}
	}
	lo, up, dg := classes(s)
	return !(lo && up && dg)
}

func classes(s string) (lo, up, dg bool) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case isLower(c):
			lo = true
		case isUpper(c):
			up = true
		case isDigit(c):
			dg = true
		}
	}
	return lo, up, dg
}

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }
func isLower(c byte) bool { return 'a' <= c && c <= 'z' }
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func lower(c byte) byte {
	if isUpper(c) {
		return c + 'a' - 'A'
	}
	return c
}
