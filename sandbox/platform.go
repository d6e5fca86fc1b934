package sandbox

import (
	"fmt"

	"github.com/faasprobe/faasprobe/hostinfo"
	"github.com/faasprobe/faasprobe/internal/excerpt"
	"github.com/faasprobe/faasprobe/internal/sysroot"
)

// platform is the little sandbox needs to know about the service: the
// host's Platform when it names a provider, else a few env vars read here
// (so that WithHost of a bare Host, or a hostinfo that found nothing, still
// lets the environment speak).
type platform struct {
	Provider string // "aws", "azure", "fly", "gcp", … or ""
	Service  string // "lambda", "lambda_managed_instances", "functions", "machines", "cloud_run", …
	// OnLambda: AWS Lambda itself, or a platform running on it (Vercel,
	// Netlify: hostinfo RunsOn "aws_lambda").
	OnLambda bool
}

// platformOf decides the platform: the host's when known, else the
// environment's.
func platformOf(h hostinfo.Host, root sysroot.Root) platform {
	p := platform{Provider: h.Platform.Provider, Service: h.Platform.Service}
	if p.Provider == "" {
		switch {
		case root.Getenv("AWS_LAMBDA_FUNCTION_NAME") != "":
			p.Provider, p.Service = "aws", "lambda"
			if root.Getenv("AWS_LAMBDA_INITIALIZATION_TYPE") == "lambda-managed-instances" {
				p.Service = "lambda_managed_instances"
			}
		case azureSigns(root):
			p.Provider, p.Service = "azure", "functions"
		case root.Getenv("FLY_MACHINE_ID") != "" || root.Getenv("FLY_APP_NAME") != "":
			p.Provider, p.Service = "fly", "machines"
		case root.Getenv("FUNCTION_TARGET") != "":
			p.Provider, p.Service = "gcp", "cloud_functions"
		case root.Getenv("K_SERVICE") != "":
			p.Provider, p.Service = "gcp", "cloud_run"
		}
	}
	p.OnLambda = (p.Provider == "aws" && p.Service == "lambda") || h.Platform.RunsOn == "aws_lambda"
	return p
}

// azureSigns reports Azure Functions / App Service variables. CONTAINER_NAME
// alone is not one: plenty of other machines set it.
func azureSigns(root sysroot.Root) bool {
	return root.Getenv("WEBSITE_SITE_NAME") != "" || root.Getenv("FUNCTIONS_WORKER_RUNTIME") != ""
}

// memoryEnv lists the configured-memory variables in the order they are
// consulted (megabytes each).
var memoryEnv = [...]string{
	"AWS_LAMBDA_FUNCTION_MEMORY_SIZE", // AWS Lambda
	"FLY_VM_MEMORY_MB",                // Fly Machines
	"WEBSITE_MEMORY_LIMIT_MB",         // Azure App Service / Functions
	"FC_MEMORY_SIZE",                  // Alibaba Function Compute
}

// maxMemoryMB bounds a configured memory size (1 TiB); above it is garbage.
const maxMemoryMB = 1 << 20

// parseMemoryMB parses a configured memory size in MB: decimal digits only,
// 1…1048576.
func parseMemoryMB(s string) (int, error) {
	if !isDigits(s) || len(s) > 8 {
		return 0, fmt.Errorf("%q: want a whole number of megabytes", excerpt.Clip(s))
	}
	v := 0
	for i := 0; i < len(s); i++ {
		v = v*10 + int(s[i]-'0')
	}
	if v < 1 || v > maxMemoryMB {
		return 0, fmt.Errorf("%q: want 1…%d megabytes", s, maxMemoryMB)
	}
	return v, nil
}

// lambdaMBPerVCPU: Lambda allocates CPU in proportion to memory; 1,769 MB
// buys one vCPU of credit (AWS "Configuring function memory").
const (
	lambdaMBPerVCPU = 1769
	lambdaMaxVCPU   = 6
)

// vcpuEntitlement is memoryMB / 1769, at most 6, rounded to 3 decimals.
func vcpuEntitlement(memoryMB int) float64 {
	if memoryMB <= 0 {
		return 0
	}
	v := float64(memoryMB) / lambdaMBPerVCPU
	if v > lambdaMaxVCPU {
		v = lambdaMaxVCPU
	}
	return float64(int64(v*1000+0.5)) / 1000
}
