package sandbox

import (
	"github.com/faasprobe/faasprobe/hostinfo"
	"github.com/faasprobe/faasprobe/internal/platformenv"
)

// platform is the little sandbox needs to know about the service: the
// host's Platform when it names a provider, else the environment's through
// the one decoder (so that WithHost of a bare Host, or a hostinfo that found
// nothing, still lets the environment speak).
type platform struct {
	Provider string // "aws", "azure", "fly", "gcp", … or ""
	Service  string // "lambda", "lambda_managed_instances", "ecs", "functions", "machines", "cloud_run", …
	// OnLambda: AWS Lambda itself, or a platform running on it (Vercel,
	// Netlify: hostinfo RunsOn "aws_lambda").
	OnLambda             bool
	LaunchType           string   // ECS: "fargate", "ec2", ""
	ExecutionEnvironment string   // Cloud Run: "gen1", "gen2", ""
	Evidence             []string // the variables (names) that decided
}

// platformOf decides the platform: the host's when known, else the
// environment's (env, from platformenv.Decode).
func platformOf(h hostinfo.Host, env platformenv.Env) platform {
	hp := h.Platform
	p := platform{Provider: hp.Provider, Service: hp.Service, LaunchType: hp.LaunchType,
		ExecutionEnvironment: hp.ExecutionEnvironment, Evidence: hp.Evidence}
	runsOn := hp.RunsOn
	if p.Provider == "" {
		p = platform{Provider: env.Provider, Service: env.Service, LaunchType: env.LaunchType,
			ExecutionEnvironment: env.ExecutionEnvironment, Evidence: env.Evidence}
		runsOn = env.RunsOn
	}
	p.OnLambda = (p.Provider == "aws" && p.Service == "lambda") || runsOn == "aws_lambda"
	return p
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
