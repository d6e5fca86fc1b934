package platformenv

import (
	"fmt"
	"strings"

	"github.com/faasprobe/faasprobe/internal/excerpt"
)

// Env is what the environment says about the platform. Empty strings and
// zeros mean unknown.
type Env struct {
	Provider string // "aws", "gcp", "azure", "vercel", "netlify", "fly", "alibaba", "knative", "ibm", "openfaas"
	Service  string // "lambda", "ecs", "cloud_run_job", "functions", …
	// RunsOn: "aws_lambda" when the provider's functions run on AWS Lambda
	// (Vercel, Netlify) and the Lambda variables are there.
	RunsOn          string
	Region          string
	FunctionName    string
	FunctionVersion string
	// MemoryMB: the configured memory; MemorySource names the variable.
	MemoryMB     int
	MemorySource string
	Runtime      string
	// InitType: AWS_LAMBDA_INITIALIZATION_TYPE through ParseInitType.
	InitType string
	// LaunchType: an ECS task's, "fargate" or "ec2" (AWS_EXECUTION_ENV).
	LaunchType string
	// ExecutionEnvironment: Cloud Run's, "gen2" where the service only has
	// that one (jobs and worker pools).
	ExecutionEnvironment string
	// Evidence: the names (never the values) of the variables of the rule
	// that decided; empty when none did.
	Evidence []string
	// Problems: variables whose value could not be used.
	Problems []Problem
}

// Problem is one variable whose value could not be used.
type Problem struct {
	Source string // the variable's name
	Err    error  // names the value, cut by excerpt.Clip
}

// MaxValue is the most bytes of a variable's value kept.
const MaxValue = 256

// MaxMemoryMB bounds a configured memory size: 1 TiB, far above any
// serverless offering (AWS Lambda allows up to 10,240 MB, Cloud Run
// 32 GiB); a larger value is garbage, not a machine.
const MaxMemoryMB = 1 << 20

// Lookup returns the variable's value by the package's rules: white space
// around it dropped, cut to MaxValue bytes; "" if unset.
func Lookup(getenv func(string) string, key string) string {
	return clean(getenv(key))
}

func clean(v string) string {
	v = strings.TrimSpace(v)
	if len(v) > MaxValue {
		n := MaxValue
		for n > 0 && v[n]&0xC0 == 0x80 { // do not split a UTF-8 sequence
			n--
		}
		v = v[:n]
	}
	return v
}

// ParseMemoryMB parses a configured memory size in megabytes: after the
// white space around it is dropped, decimal digits only, 1…MaxMemoryMB.
func ParseMemoryMB(s string) (int, error) {
	t := strings.TrimSpace(s)
	if t == "" || len(t) > 8 {
		return 0, fmt.Errorf("%q: want a whole number of megabytes", excerpt.Clip(s))
	}
	v := 0
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("%q: want a whole number of megabytes", excerpt.Clip(s))
		}
		v = v*10 + int(c-'0')
	}
	if v < 1 || v > MaxMemoryMB {
		return 0, fmt.Errorf("%q: want 1…%d megabytes", excerpt.Clip(s), MaxMemoryMB)
	}
	return v, nil
}

// AWS_LAMBDA_INITIALIZATION_TYPE values (AWS "Defined runtime environment
// variables"), and InitUnknown for a value not listed.
const (
	InitOnDemand         = "on-demand"
	InitProvisioned      = "provisioned-concurrency"
	InitSnapStart        = "snap-start"
	InitManagedInstances = "lambda-managed-instances"
	InitUnknown          = "unknown"
)

// ParseInitType normalises an AWS_LAMBDA_INITIALIZATION_TYPE value: white
// space around it and case are forgiven; "" stays "" (unset); a value not
// listed above is InitUnknown (it is not repeated).
func ParseInitType(v string) string {
	v = strings.ToLower(strings.TrimSpace(v))
	switch v {
	case "":
		return ""
	case InitOnDemand, InitProvisioned, InitSnapStart, InitManagedInstances:
		return v
	}
	return InitUnknown
}

// Decode decides the platform from the environment (getenv returns "" for
// an unset variable) by the first rule of the table that matches.
func Decode(getenv func(string) string) Env {
	get := func(k string) string { return clean(getenv(k)) }
	var e Env
	for i := range ruleTable {
		r := &ruleTable[i]
		ev := r.evidence(get)
		if ev == nil {
			continue
		}
		e.Provider, e.Service = r.Provider, r.Service
		e.Evidence = ev
		for _, k := range r.also {
			if get(k) != "" {
				e.Evidence = append(e.Evidence, k)
			}
		}
		if r.lambda == lambdaSelf || r.lambda != lambdaNone && get(lambdaName) != "" {
			if r.lambda != lambdaSelf {
				e.Evidence = append(e.Evidence, lambdaName)
				e.RunsOn = "aws_lambda"
			}
			e.fillLambda(get)
		}
		e.fill(get, r)
		break
	}
	if e.Evidence == nil {
		e.Evidence = []string{}
	}
	return e
}

// lambdaName is the variable every Lambda runtime sets; the OpenTelemetry
// Lambda detector gates on it too.
const lambdaName = "AWS_LAMBDA_FUNCTION_NAME"

// fillLambda reads the Lambda variables (AWS "Defined runtime environment
// variables").
func (e *Env) fillLambda(get func(string) string) {
	e.Region = get("AWS_REGION")
	e.FunctionName = get(lambdaName)
	e.FunctionVersion = get("AWS_LAMBDA_FUNCTION_VERSION")
	e.Runtime = get("AWS_EXECUTION_ENV")
	e.InitType = ParseInitType(get("AWS_LAMBDA_INITIALIZATION_TYPE"))
	e.memory(get, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
}

// fill reads the rule's own variables; a set one overrides what Lambda's
// gave (VERCEL_REGION over AWS_REGION).
func (e *Env) fill(get func(string) string, r *rule) {
	set := func(dst *string, keys []string) {
		for _, k := range keys {
			if v := get(k); v != "" {
				*dst = v
				return
			}
		}
	}
	set(&e.Region, r.region)
	set(&e.FunctionName, r.name)
	set(&e.FunctionVersion, r.version)
	set(&e.Runtime, r.runtime)
	if r.memory != "" {
		e.memory(get, r.memory)
	}
	if r.LaunchType != "" {
		e.LaunchType = r.LaunchType
	}
	if r.ExecutionEnvironment != "" {
		e.ExecutionEnvironment = r.ExecutionEnvironment
	}
}

func (e *Env) memory(get func(string) string, key string) {
	v := get(key)
	if v == "" {
		return
	}
	mb, err := ParseMemoryMB(v)
	if err != nil {
		e.Problems = append(e.Problems, Problem{Source: key, Err: err})
		return
	}
	e.MemoryMB, e.MemorySource = mb, key
}

// evidence returns the names of the variables that make r match, or nil.
func (r *rule) evidence(get func(string) string) []string {
	switch {
	case r.match != nil:
		return r.match(get)
	case r.is[0] != "":
		if get(r.is[0]) == r.is[1] {
			return []string{r.is[0]}
		}
		return nil
	}
	for _, k := range r.anyOf {
		if get(k) != "" {
			return []string{k}
		}
	}
	return nil
}
