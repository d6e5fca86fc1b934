package hostinfo

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/faasprobe/faasprobe/internal/excerpt"
)

// detectPlatform decides the provider and service from environment
// variables (names only go into the evidence, never values), checking the
// platforms that run on top of others first (Vercel and Netlify functions
// run on AWS Lambda). It returns the problems it found in values (e.g. a
// memory size that is not a number).
func detectPlatform(getenv func(string) string) (Platform, []Problem) {
	var p Platform
	var probs []Problem
	has := func(k string) bool {
		if getenv(k) != "" {
			p.Evidence = append(p.Evidence, k)
			return true
		}
		return false
	}
	memory := func(key string) {
		v := getenv(key)
		if v == "" {
			return
		}
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n <= 0 || n > 1<<24 {
			probs = append(probs, Problem{Source: key,
				Error: fmt.Sprintf("hostinfo: %s=%q is not a memory size in MB", key, excerpt.Clip(v))})
			return
		}
		p.MemoryLimitMB = n
	}
	lambda := getenv("AWS_LAMBDA_FUNCTION_NAME") != ""
	fillLambda := func() {
		p.Region = getenv("AWS_REGION")
		p.FunctionName = getenv("AWS_LAMBDA_FUNCTION_NAME")
		p.FunctionVersion = getenv("AWS_LAMBDA_FUNCTION_VERSION")
		p.Runtime = getenv("AWS_EXECUTION_ENV")
		p.InitializationType = getenv("AWS_LAMBDA_INITIALIZATION_TYPE")
		memory("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
	}

	switch {
	case has("VERCEL") || has("VERCEL_REGION"):
		p.Provider, p.Service = "vercel", "functions"
		if lambda {
			has("AWS_LAMBDA_FUNCTION_NAME")
			p.RunsOn = "aws_lambda"
			fillLambda()
		}
		p.Region = firstNonEmpty(getenv("VERCEL_REGION"), p.Region)
	case (has("NETLIFY") || has("SITE_ID") && has("SITE_NAME")) && lambda:
		has("AWS_LAMBDA_FUNCTION_NAME")
		p.Provider, p.Service, p.RunsOn = "netlify", "functions", "aws_lambda"
		fillLambda()
	case has("AWS_LAMBDA_FUNCTION_NAME"):
		p.Provider, p.Service = "aws", "lambda"
		fillLambda()
		if p.InitializationType == "lambda-managed-instances" {
			p.Evidence = append(p.Evidence, "AWS_LAMBDA_INITIALIZATION_TYPE")
			p.Service = "lambda_managed_instances"
		}
	case has("ECS_CONTAINER_METADATA_URI_V4") || has("ECS_CONTAINER_METADATA_URI"):
		p.Provider, p.Service = "aws", "ecs"
		p.Region = getenv("AWS_REGION")
	case has("FUNCTION_TARGET"):
		p.Provider, p.Service = "gcp", "cloud_functions"
		p.FunctionName = firstNonEmpty(getenv("K_SERVICE"), getenv("FUNCTION_NAME"), getenv("FUNCTION_TARGET"))
		p.FunctionVersion = firstNonEmpty(getenv("K_REVISION"), getenv("X_GOOGLE_FUNCTION_VERSION"))
		p.Region = getenv("FUNCTION_REGION")
		memory("FUNCTION_MEMORY_MB")
		p.Runtime = getenv("GOOGLE_RUNTIME")
	case has("CLOUD_RUN_JOB"):
		p.Provider, p.Service = "gcp", "cloud_run_job"
		p.FunctionName = getenv("CLOUD_RUN_JOB")
		p.FunctionVersion = getenv("CLOUD_RUN_EXECUTION")
	case has("CLOUD_RUN_WORKER_POOL"):
		p.Provider, p.Service = "gcp", "cloud_run_worker_pool"
		p.FunctionName = getenv("CLOUD_RUN_WORKER_POOL")
		p.FunctionVersion = getenv("CLOUD_RUN_WORKER_POOL_REVISION")
	case has("GAE_SERVICE"):
		p.Provider, p.Service = "gcp", "app_engine"
		p.FunctionName, p.FunctionVersion = getenv("GAE_SERVICE"), getenv("GAE_VERSION")
		p.Runtime = getenv("GAE_RUNTIME")
	case has("K_SERVICE"):
		// Cloud Run sets the Knative variables; refineByHost moves this to
		// gcp/cloud_run when the machine says Google.
		has("K_REVISION")
		p.Provider, p.Service = "knative", "service"
		p.FunctionName, p.FunctionVersion = getenv("K_SERVICE"), getenv("K_REVISION")
	case has("FUNCTIONS_WORKER_RUNTIME") || has("FUNCTIONS_EXTENSION_VERSION"):
		p.Provider, p.Service = "azure", "functions"
		has("WEBSITE_SITE_NAME")
		p.FunctionName = getenv("WEBSITE_SITE_NAME")
		p.FunctionVersion = getenv("FUNCTIONS_EXTENSION_VERSION")
		p.Runtime = getenv("FUNCTIONS_WORKER_RUNTIME")
		p.Region = getenv("REGION_NAME")
		memory("WEBSITE_MEMORY_LIMIT_MB")
	case has("CONTAINER_APP_NAME"):
		p.Provider, p.Service = "azure", "container_apps"
		p.FunctionName = getenv("CONTAINER_APP_NAME")
		p.FunctionVersion = getenv("CONTAINER_APP_REVISION")
	case has("WEBSITE_SITE_NAME"):
		p.Provider, p.Service = "azure", "app_service"
		p.FunctionName = getenv("WEBSITE_SITE_NAME")
		p.Region = getenv("REGION_NAME")
	case has("FLY_MACHINE_ID") || has("FLY_APP_NAME"):
		p.Provider, p.Service = "fly", "machines"
		p.FunctionName = getenv("FLY_APP_NAME")
		p.FunctionVersion = getenv("FLY_MACHINE_VERSION")
		p.Region = getenv("FLY_REGION")
		memory("FLY_VM_MEMORY_MB")
	case has("FC_FUNCTION_NAME"):
		p.Provider, p.Service = "alibaba", "function_compute"
		p.FunctionName = getenv("FC_FUNCTION_NAME")
		p.FunctionVersion = getenv("FC_QUALIFIER")
		p.Region = getenv("FC_REGION")
		memory("FC_FUNCTION_MEMORY_SIZE")
	case has("CE_APP") || has("CE_JOB"):
		p.Provider, p.Service = "ibm", "code_engine"
		p.FunctionName = firstNonEmpty(getenv("CE_APP"), getenv("CE_JOB"))
		p.FunctionVersion = getenv("CE_REVISION")
	case has("fprocess"):
		p.Provider, p.Service = "openfaas", "functions"
	}
	p.Evidence = nonNil(p.Evidence)
	return p, probs
}

// refinePlatform uses machine facts where the environment is silent or
// ambiguous: EC2 is recognised from DMI alone, and Knative variables on a
// Google machine are Cloud Run.
func refinePlatform(p *Platform, m Machine) {
	google := m.DMI.ProductName == "Google Compute Engine" || m.DMI.SysVendor == "Google"
	switch {
	case p.Provider == "knative" && (google || m.Hypervisor.Kind == HypervisorGVisor):
		p.Provider, p.Service = "gcp", "cloud_run"
		p.Evidence = append(p.Evidence, "DMI/gVisor: Google machine")
	case p.Provider == "" && m.Hypervisor.Kind == HypervisorNitro:
		p.Provider, p.Service = "aws", "ec2"
		p.Evidence = append(p.Evidence, "DMI Amazon EC2")
	case p.Provider == "" && (m.DMI.SysVendor == "Amazon EC2" || strings.HasPrefix(m.DMI.BIOSVersion, "4.2.amazon") || strings.HasSuffix(m.DMI.BIOSVersion, ".amazon")):
		p.Provider, p.Service = "aws", "ec2"
		p.Evidence = append(p.Evidence, "DMI Amazon BIOS/vendor")
	case p.Provider == "" && google:
		p.Provider, p.Service = "gcp", "compute_engine"
		p.Evidence = append(p.Evidence, "DMI Google Compute Engine")
	case p.Provider == "" && m.DMI.ChassisAssetTag == azureAssetTag:
		p.Provider, p.Service = "azure", "vm"
		p.Evidence = append(p.Evidence, "DMI Azure chassis asset tag")
	}
}
