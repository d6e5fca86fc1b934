package platformenv

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

// TestRuleOrder pins the table's order: platforms that run on others before
// the one under them (Vercel, Netlify before Lambda), the specific before the
// general (Managed Instances before Lambda, an ECS launch type before bare
// ECS, Cloud Functions and Cloud Run jobs before the Knative variables they
// also set, Azure Functions before App Service).
func TestRuleOrder(t *testing.T) {
	t.Parallel()
	var names []string
	for _, r := range ruleTable {
		names = append(names, r.Name)
	}
	assert.Equal(t, []string{
		"vercel", "netlify", "aws-lambda-managed-instances", "aws-lambda",
		"aws-ecs-fargate", "aws-ecs-ec2", "aws-ecs",
		"gcp-cloud-functions", "gcp-cloud-run-job", "gcp-cloud-run-worker-pool", "gcp-app-engine",
		"knative",
		"azure-functions", "azure-container-apps", "azure-app-service",
		"fly-machines", "alibaba-function-compute", "ibm-code-engine", "openfaas",
	}, names)
}

// TestDocsListTheRulesInOrder: docs/platforms.md shows the table as it is.
func TestDocsListTheRulesInOrder(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "platforms.md"))
	require.NoError(t, err)
	doc := string(b)
	at := 0
	for _, r := range ruleTable {
		i := strings.Index(doc[at:], "| `"+r.Name+"` |")
		if !assert.GreaterOrEqual(t, i, 0, "docs/platforms.md lacks rule %s after the previous one", r.Name) {
			return
		}
		at += i
	}
}

func TestDecode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		want Env
	}{
		{"nothing", map[string]string{}, Env{Evidence: []string{}}},
		{"lambda", map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "fn", "AWS_REGION": "eu-central-1", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
			"AWS_LAMBDA_FUNCTION_VERSION": "$LATEST", "AWS_EXECUTION_ENV": "AWS_Lambda_nodejs12.x", "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand"},
			Env{Provider: "aws", Service: "lambda", Region: "eu-central-1", FunctionName: "fn", FunctionVersion: "$LATEST",
				MemoryMB: 128, MemorySource: "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Runtime: "AWS_Lambda_nodejs12.x", InitType: InitOnDemand,
				Evidence: []string{"AWS_LAMBDA_FUNCTION_NAME"}}},
		{"lambda managed instances", map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "fn", "AWS_LAMBDA_INITIALIZATION_TYPE": "lambda-managed-instances"},
			Env{Provider: "aws", Service: "lambda_managed_instances", FunctionName: "fn", InitType: InitManagedInstances,
				Evidence: []string{"AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_INITIALIZATION_TYPE"}}},
		{"vercel on lambda", map[string]string{"VERCEL": "1", "VERCEL_REGION": "iad1", "AWS_LAMBDA_FUNCTION_NAME": "fn", "AWS_REGION": "us-east-1"},
			Env{Provider: "vercel", Service: "functions", RunsOn: "aws_lambda", Region: "iad1", FunctionName: "fn",
				Evidence: []string{"VERCEL", "AWS_LAMBDA_FUNCTION_NAME"}}},
		{"vercel alone", map[string]string{"VERCEL_REGION": "iad1"},
			Env{Provider: "vercel", Service: "functions", Region: "iad1", Evidence: []string{"VERCEL_REGION"}}},
		{"netlify on lambda", map[string]string{"SITE_ID": "x", "SITE_NAME": "y", "AWS_LAMBDA_FUNCTION_NAME": "fn"},
			Env{Provider: "netlify", Service: "functions", RunsOn: "aws_lambda", FunctionName: "fn",
				Evidence: []string{"SITE_ID", "SITE_NAME", "AWS_LAMBDA_FUNCTION_NAME"}}},
		{"netlify without lambda is not a platform", map[string]string{"NETLIFY": "true", "SITE_ID": "x", "SITE_NAME": "y"},
			Env{Evidence: []string{}}},
		{"ecs fargate", map[string]string{"AWS_EXECUTION_ENV": "AWS_ECS_FARGATE", "ECS_CONTAINER_METADATA_URI_V4": "http://169.254.170.2/v4/x", "AWS_REGION": "us-east-1"},
			Env{Provider: "aws", Service: "ecs", LaunchType: "fargate", Region: "us-east-1",
				Evidence: []string{"AWS_EXECUTION_ENV", "ECS_CONTAINER_METADATA_URI_V4"}}},
		{"ecs ec2", map[string]string{"AWS_EXECUTION_ENV": "AWS_ECS_EC2", "ECS_CONTAINER_METADATA_URI_V4": "v4", "ECS_CONTAINER_METADATA_URI": "v3"},
			Env{Provider: "aws", Service: "ecs", LaunchType: "ec2",
				Evidence: []string{"AWS_EXECUTION_ENV", "ECS_CONTAINER_METADATA_URI_V4", "ECS_CONTAINER_METADATA_URI"}}},
		{"ecs, launch type unknown", map[string]string{"ECS_CONTAINER_METADATA_URI": "v3", "AWS_EXECUTION_ENV": "AWS_ECS_SOMETHING_NEW"},
			Env{Provider: "aws", Service: "ecs", Evidence: []string{"ECS_CONTAINER_METADATA_URI"}}},
		{"cloud functions", map[string]string{"FUNCTION_TARGET": "Hello", "K_SERVICE": "hello", "K_REVISION": "hello-00001", "FUNCTION_MEMORY_MB": "256"},
			Env{Provider: "gcp", Service: "cloud_functions", FunctionName: "hello", FunctionVersion: "hello-00001",
				MemoryMB: 256, MemorySource: "FUNCTION_MEMORY_MB", Evidence: []string{"FUNCTION_TARGET"}}},
		{"cloud run job", map[string]string{"CLOUD_RUN_JOB": "j", "CLOUD_RUN_EXECUTION": "j-1", "CLOUD_RUN_TASK_INDEX": "0"},
			Env{Provider: "gcp", Service: "cloud_run_job", ExecutionEnvironment: "gen2", FunctionName: "j", FunctionVersion: "j-1",
				Evidence: []string{"CLOUD_RUN_JOB"}}},
		{"cloud run worker pool", map[string]string{"CLOUD_RUN_WORKER_POOL": "w", "CLOUD_RUN_WORKER_POOL_REVISION": "w-1"},
			Env{Provider: "gcp", Service: "cloud_run_worker_pool", ExecutionEnvironment: "gen2", FunctionName: "w", FunctionVersion: "w-1",
				Evidence: []string{"CLOUD_RUN_WORKER_POOL"}}},
		{"K_SERVICE alone is knative", map[string]string{"K_SERVICE": "s", "K_REVISION": "s-1"},
			Env{Provider: "knative", Service: "service", FunctionName: "s", FunctionVersion: "s-1", Evidence: []string{"K_SERVICE", "K_REVISION"}}},
		{"azure functions", map[string]string{"FUNCTIONS_WORKER_RUNTIME": "custom", "WEBSITE_SITE_NAME": "app", "REGION_NAME": "West Europe", "WEBSITE_MEMORY_LIMIT_MB": "1536"},
			Env{Provider: "azure", Service: "functions", FunctionName: "app", Region: "West Europe", Runtime: "custom",
				MemoryMB: 1536, MemorySource: "WEBSITE_MEMORY_LIMIT_MB", Evidence: []string{"FUNCTIONS_WORKER_RUNTIME", "WEBSITE_SITE_NAME"}}},
		{"stray CONTAINER_NAME is not azure", map[string]string{"CONTAINER_NAME": "also-whale"}, Env{Evidence: []string{}}},
		{"fly", map[string]string{"FLY_MACHINE_ID": "m", "FLY_APP_NAME": "a", "FLY_REGION": "ams", "FLY_VM_MEMORY_MB": "256"},
			Env{Provider: "fly", Service: "machines", FunctionName: "a", Region: "ams", MemoryMB: 256, MemorySource: "FLY_VM_MEMORY_MB",
				Evidence: []string{"FLY_MACHINE_ID"}}},
		// Alibaba documents FC_FUNCTION_MEMORY_SIZE; FC_MEMORY_SIZE is not
		// one of its variables and is not read.
		{"alibaba", map[string]string{"FC_FUNCTION_NAME": "f", "FC_REGION": "cn-hangzhou", "FC_FUNCTION_MEMORY_SIZE": "512", "FC_MEMORY_SIZE": "256", "FC_FUNCTION_VERSION": "LATEST"},
			Env{Provider: "alibaba", Service: "function_compute", FunctionName: "f", Region: "cn-hangzhou", FunctionVersion: "LATEST",
				MemoryMB: 512, MemorySource: "FC_FUNCTION_MEMORY_SIZE", Evidence: []string{"FC_FUNCTION_NAME"}}},
		{"ibm job", map[string]string{"CE_JOB": "j"},
			Env{Provider: "ibm", Service: "code_engine", FunctionName: "j", Evidence: []string{"CE_JOB"}}},
		{"openfaas", map[string]string{"fprocess": "./handler"}, Env{Provider: "openfaas", Service: "functions", Evidence: []string{"fprocess"}}},
		// One white-space rule for every variable.
		{"white space around values is dropped", map[string]string{"AWS_LAMBDA_FUNCTION_NAME": " fn\t", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": " 2048",
			"AWS_LAMBDA_INITIALIZATION_TYPE": " Snap-Start\r"},
			Env{Provider: "aws", Service: "lambda", FunctionName: "fn", MemoryMB: 2048, MemorySource: "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
				InitType: InitSnapStart, Evidence: []string{"AWS_LAMBDA_FUNCTION_NAME"}}},
		{"a value of white space only is unset", map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "  ", "FLY_APP_NAME": "a"},
			Env{Provider: "fly", Service: "machines", FunctionName: "a", Evidence: []string{"FLY_APP_NAME"}}},
		{"unknown init type is not repeated", map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "fn", "AWS_LAMBDA_INITIALIZATION_TYPE": "\x1b[2Jevil"},
			Env{Provider: "aws", Service: "lambda", FunctionName: "fn", InitType: InitUnknown, Evidence: []string{"AWS_LAMBDA_FUNCTION_NAME"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Decode(envOf(tt.env))
			assert.Empty(t, got.Problems)
			got.Problems = nil
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestDecodeMemoryProblems(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"12x", "0", "-128", "1.5", "1e3", "1048577", "99999999", "2048 MB"} {
		t.Run(v, func(t *testing.T) {
			t.Parallel()
			got := Decode(envOf(map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "fn", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": v}))
			assert.Zero(t, got.MemoryMB, "unknown, not a guess")
			assert.Empty(t, got.MemorySource)
			require.Len(t, got.Problems, 1)
			assert.Equal(t, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", got.Problems[0].Source)
			assert.Contains(t, got.Problems[0].Err.Error(), "megabytes")
		})
	}
}

func TestParseMemoryMB(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    int
		wantErr bool
	}{
		{"128", 128, false},
		{"10240", 10240, false},
		{"3008", 3008, false}, // the Runtime Interface Emulator's default
		{" 2048", 2048, false},
		{"2048\n", 2048, false},
		{"1048576", MaxMemoryMB, false},
		{"1048577", 0, true},
		{"16777216", 0, true}, // 16 TiB
		{"12x", 0, true},
		{"0", 0, true},
		{"-128", 0, true},
		{"+128", 0, true},
		{"1.5", 0, true},
		{"", 0, true},
		{"   ", 0, true},
		{"1 28", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseMemoryMB(tt.in)
		assert.Equal(t, tt.want, got, "%q", tt.in)
		assert.Equal(t, tt.wantErr, err != nil, "%q: %v", tt.in, err)
	}
}

func TestParseInitType(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"": "", "on-demand": InitOnDemand, " Provisioned-Concurrency\n": InitProvisioned, "snap-start": InitSnapStart,
		"lambda-managed-instances": InitManagedInstances, "ondemand": InitUnknown, "\x00": InitUnknown,
	} {
		assert.Equal(t, want, ParseInitType(in), "%q", in)
	}
}

func TestLookupCapsValues(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", MaxValue) // 2 bytes each
	got := Lookup(envOf(map[string]string{"K": long}), "K")
	assert.LessOrEqual(t, len(got), MaxValue)
	assert.True(t, utf8.ValidString(got), "cut at a character boundary")
	got = Decode(envOf(map[string]string{"AWS_LAMBDA_FUNCTION_NAME": strings.Repeat("f", 10000)})).FunctionName
	assert.Len(t, got, MaxValue)
}

func FuzzParseMemoryMB(f *testing.F) {
	for _, s := range []string{"128", "12x", "0", "10240", "-1", " 2048", "1048577"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseMemoryMB(s)
		if err != nil {
			assert.Zero(t, v)
			assert.NotContains(t, err.Error(), "\n")
			return
		}
		assert.GreaterOrEqual(t, v, 1)
		assert.LessOrEqual(t, v, MaxMemoryMB)
		n, aerr := strconv.Atoi(strings.TrimSpace(s))
		require.NoError(t, aerr)
		assert.Equal(t, n, v)
	})
}

// FuzzDecode: any environment decodes without a panic, to at most one
// platform whose evidence names only variables that are set, a memory size
// in bounds, and values no longer than MaxValue.
func FuzzDecode(f *testing.F) {
	f.Add("AWS_LAMBDA_FUNCTION_NAME", "fn", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", " 2048")
	f.Add("AWS_EXECUTION_ENV", "AWS_ECS_FARGATE", "ECS_CONTAINER_METADATA_URI_V4", "x")
	f.Add("NETLIFY", "1", "FUNCTION_TARGET", "x")
	f.Add("FC_FUNCTION_NAME", "f", "FC_FUNCTION_MEMORY_SIZE", "99999999999")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		env := map[string]string{k1: v1, k2: v2}
		e := Decode(envOf(env))
		for _, k := range e.Evidence {
			assert.NotEmpty(t, strings.TrimSpace(env[k]), "evidence %s is set", k)
		}
		assert.Equal(t, e.Provider == "", len(e.Evidence) == 0)
		assert.True(t, e.MemoryMB >= 0 && e.MemoryMB <= MaxMemoryMB)
		for _, s := range []string{e.Region, e.FunctionName, e.FunctionVersion, e.Runtime} {
			assert.LessOrEqual(t, len(s), MaxValue)
		}
		for _, p := range e.Problems {
			assert.NotContains(t, p.Err.Error(), "\n")
		}
	})
}
