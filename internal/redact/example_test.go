package redact_test

import (
	"fmt"

	"github.com/faasprobe/faasprobe/internal/redact"
)

func ExampleEnv() {
	for _, kv := range [][2]string{
		{"AWS_REGION", "eu-central-1"},
		{"AWS_SESSION_TOKEN", "IQoJb3JpZ2luX2VjEHAaCXVzLWVhc3QtMSJHMEUCIQD"},
		{"DATABASE_URL", "postgres://app:hunter2@db.internal/app"},
		{"AWS_KMS_KEY_ARN", "arn:aws:kms:eu-central-1:123456789012:key/1234abcd"},
		{"MY_API_KEY", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"},
	} {
		v, redacted := redact.Env(kv[0], kv[1])
		fmt.Printf("%s=%s (%t)\n", kv[0], v, redacted)
	}
	// Output:
	// AWS_REGION=eu-central-1 (false)
	// AWS_SESSION_TOKEN=<REDACTED> (true)
	// DATABASE_URL=postgres://app:<REDACTED>@db.internal/app (true)
	// AWS_KMS_KEY_ARN=arn:aws:kms:eu-central-1:123456789012:key/1234abcd (false)
	// MY_API_KEY=<REDACTED> (true)
}
