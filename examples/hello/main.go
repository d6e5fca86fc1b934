package main

import (
	"context"

	"github.com/faasprobe/faasprobe"
	"github.com/faasprobe/faasprobe/coldstart"
)

// Order is the event this function takes.
type Order struct {
	ID string `json:"id"`
}

// handle answers with this invocation's cold-start facts.
func handle(ctx context.Context, _ Order) (coldstart.Invocation, error) {
	inv, _ := coldstart.FromContext(ctx)
	return inv, nil
}

func main() { faasprobe.Start(handle) }
