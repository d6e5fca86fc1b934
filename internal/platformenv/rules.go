package platformenv

// rule is one row of the platform table: when it matches, and which
// variables then give the facts.
type rule struct {
	Name                 string // the row's name, for tests and docs
	Provider, Service    string
	LaunchType           string // set on a match (ECS)
	ExecutionEnvironment string // set on a match (Cloud Run)

	// The rule matches when one of anyOf is set (the evidence is the first
	// set one), when is[0] holds exactly is[1] (the evidence is is[0]), or
	// when match returns evidence (the names of the variables that decided).
	anyOf []string
	is    [2]string
	match func(get func(string) string) []string
	// also: variables added to the evidence when set (they corroborate).
	also []string
	// lambda: how the rule relates to the Lambda variables.
	lambda lambdaUse
	// The facts: the first set variable of each list; memory in MB.
	name, version, region, runtime []string
	memory                         string
}

type lambdaUse int

const (
	lambdaNone     lambdaUse = iota
	lambdaSelf               // AWS Lambda itself: read its variables
	lambdaOptional           // may run on Lambda: if AWS_LAMBDA_FUNCTION_NAME is set, read them
	lambdaRequired           // matches only on Lambda (match checks it)
)

// ruleTable is the platform table in the order it is tried (the first
// rule that matches decides). Sources for each row: docs/platforms.md.
var ruleTable = [...]rule{
	{Name: "vercel", Provider: "vercel", Service: "functions",
		anyOf: []string{"VERCEL", "VERCEL_REGION"}, lambda: lambdaOptional,
		region: []string{"VERCEL_REGION"}},
	{Name: "netlify", Provider: "netlify", Service: "functions",
		match: func(get func(string) string) []string {
			if get(lambdaName) == "" {
				return nil
			}
			if get("NETLIFY") != "" {
				return []string{"NETLIFY"}
			}
			if get("SITE_ID") != "" && get("SITE_NAME") != "" {
				return []string{"SITE_ID", "SITE_NAME"}
			}
			return nil
		}, lambda: lambdaRequired},
	{Name: "aws-lambda-managed-instances", Provider: "aws", Service: "lambda_managed_instances",
		match: func(get func(string) string) []string {
			if get(lambdaName) == "" || ParseInitType(get("AWS_LAMBDA_INITIALIZATION_TYPE")) != InitManagedInstances {
				return nil
			}
			return []string{lambdaName, "AWS_LAMBDA_INITIALIZATION_TYPE"}
		}, lambda: lambdaSelf},
	{Name: "aws-lambda", Provider: "aws", Service: "lambda",
		anyOf: []string{lambdaName}, lambda: lambdaSelf},
	{Name: "aws-ecs-fargate", Provider: "aws", Service: "ecs", LaunchType: "fargate",
		is: [2]string{"AWS_EXECUTION_ENV", "AWS_ECS_FARGATE"}, also: []string{"ECS_CONTAINER_METADATA_URI_V4", "ECS_CONTAINER_METADATA_URI"},
		region: []string{"AWS_REGION"}},
	{Name: "aws-ecs-ec2", Provider: "aws", Service: "ecs", LaunchType: "ec2",
		is: [2]string{"AWS_EXECUTION_ENV", "AWS_ECS_EC2"}, also: []string{"ECS_CONTAINER_METADATA_URI_V4", "ECS_CONTAINER_METADATA_URI"},
		region: []string{"AWS_REGION"}},
	{Name: "aws-ecs", Provider: "aws", Service: "ecs",
		anyOf:  []string{"ECS_CONTAINER_METADATA_URI_V4", "ECS_CONTAINER_METADATA_URI"},
		region: []string{"AWS_REGION"}},
	{Name: "gcp-cloud-functions", Provider: "gcp", Service: "cloud_functions",
		anyOf:   []string{"FUNCTION_TARGET"},
		name:    []string{"K_SERVICE", "FUNCTION_NAME", "FUNCTION_TARGET"},
		version: []string{"K_REVISION", "X_GOOGLE_FUNCTION_VERSION"},
		region:  []string{"FUNCTION_REGION"}, memory: "FUNCTION_MEMORY_MB",
		runtime: []string{"GOOGLE_RUNTIME"}},
	{Name: "gcp-cloud-run-job", Provider: "gcp", Service: "cloud_run_job", ExecutionEnvironment: "gen2",
		anyOf: []string{"CLOUD_RUN_JOB"},
		name:  []string{"CLOUD_RUN_JOB"}, version: []string{"CLOUD_RUN_EXECUTION"}},
	{Name: "gcp-cloud-run-worker-pool", Provider: "gcp", Service: "cloud_run_worker_pool", ExecutionEnvironment: "gen2",
		anyOf: []string{"CLOUD_RUN_WORKER_POOL"},
		name:  []string{"CLOUD_RUN_WORKER_POOL"}, version: []string{"CLOUD_RUN_WORKER_POOL_REVISION"}},
	{Name: "gcp-app-engine", Provider: "gcp", Service: "app_engine",
		anyOf: []string{"GAE_SERVICE"},
		name:  []string{"GAE_SERVICE"}, version: []string{"GAE_VERSION"}, runtime: []string{"GAE_RUNTIME"}},
	// Knative's runtime contract defines K_SERVICE; Cloud Run services
	// set it too. The environment alone cannot tell them apart:
	// hostinfo moves this to gcp/cloud_run when the machine is Google's.
	{Name: "knative", Provider: "knative", Service: "service",
		anyOf: []string{"K_SERVICE"}, also: []string{"K_REVISION"},
		name: []string{"K_SERVICE"}, version: []string{"K_REVISION"}},
	{Name: "azure-functions", Provider: "azure", Service: "functions",
		anyOf: []string{"FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION"}, also: []string{"WEBSITE_SITE_NAME"},
		name: []string{"WEBSITE_SITE_NAME"}, version: []string{"FUNCTIONS_EXTENSION_VERSION"},
		runtime: []string{"FUNCTIONS_WORKER_RUNTIME"}, region: []string{"REGION_NAME"},
		memory: "WEBSITE_MEMORY_LIMIT_MB"},
	{Name: "azure-container-apps", Provider: "azure", Service: "container_apps",
		anyOf: []string{"CONTAINER_APP_NAME"},
		name:  []string{"CONTAINER_APP_NAME"}, version: []string{"CONTAINER_APP_REVISION"}},
	{Name: "azure-app-service", Provider: "azure", Service: "app_service",
		anyOf: []string{"WEBSITE_SITE_NAME"},
		name:  []string{"WEBSITE_SITE_NAME"}, region: []string{"REGION_NAME"},
		memory: "WEBSITE_MEMORY_LIMIT_MB"},
	{Name: "fly-machines", Provider: "fly", Service: "machines",
		anyOf: []string{"FLY_MACHINE_ID", "FLY_APP_NAME"},
		name:  []string{"FLY_APP_NAME"}, version: []string{"FLY_MACHINE_VERSION"},
		region: []string{"FLY_REGION"}, memory: "FLY_VM_MEMORY_MB"},
	{Name: "alibaba-function-compute", Provider: "alibaba", Service: "function_compute",
		anyOf: []string{"FC_FUNCTION_NAME"},
		name:  []string{"FC_FUNCTION_NAME"}, version: []string{"FC_FUNCTION_VERSION", "FC_QUALIFIER"},
		region: []string{"FC_REGION"}, memory: "FC_FUNCTION_MEMORY_SIZE"},
	{Name: "ibm-code-engine", Provider: "ibm", Service: "code_engine",
		anyOf: []string{"CE_APP", "CE_JOB"},
		name:  []string{"CE_APP", "CE_JOB"}, version: []string{"CE_REVISION"}},
	{Name: "openfaas", Provider: "openfaas", Service: "functions",
		anyOf: []string{"fprocess"}},
}
