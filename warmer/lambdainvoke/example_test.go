package lambdainvoke_test

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/faasprobe/faasprobe/warmer"
	"github.com/faasprobe/faasprobe/warmer/lambdainvoke"
)

// Ping three sandboxes of an alias, through a Lambda endpoint of choice
// (here the Runtime Interface Emulator's; drop BaseEndpoint for AWS).
func Example() {
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	inv := lambdainvoke.New(lambda.NewFromConfig(cfg, func(o *lambda.Options) {
		o.BaseEndpoint = aws.String("http://127.0.0.1:8080")
	}))
	report, err := warmer.Ping(ctx, inv, warmer.Plan{Targets: []warmer.Target{{Function: "orders", Qualifier: "live", Concurrency: 3}}})
	fmt.Println(report.Summary, err)
}
