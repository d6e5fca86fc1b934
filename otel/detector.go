package otel

import (
	"context"
	"errors"
	"fmt"

	"github.com/faasprobe/faasprobe/hostinfo"
	"github.com/faasprobe/faasprobe/sandbox"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/resource"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
)

// detector is the resource.Detector NewDetector returns.
type detector struct{ c config }

// NewDetector returns a resource.Detector that reports what hostinfo.Detect
// and sandbox.Detect find, as Host.Attributes and Sandbox.Attributes name
// it: cloud.*, faas.* (faas.name, faas.version, faas.instance,
// faas.max_memory: the keys the contrib AWS Lambda detector uses), host.*,
// and faasprobe.* for the rest. Options: WithRoot, WithEnv.
func NewDetector(opts ...Option) resource.Detector {
	return detector{c: newConfig(opts)}
}

// Detect reads the machine afresh (local files and the environment only;
// ctx is not consulted) and returns a resource with the schema URL of
// semantic conventions v1.43.0, the SDK's own. When a source failed, the
// resource holds what was found and the error wraps
// resource.ErrPartialResource and every failure.
func (d detector) Detect(context.Context) (*resource.Resource, error) {
	h, herr := hostinfo.Detect(d.c.hostOptions()...)
	s, serr := sandbox.Detect(d.c.sandboxOptions(h)...)
	r := newResource(h, s)
	if err := errors.Join(herr, serr); err != nil {
		return r, fmt.Errorf("faasprobe/otel: %w: %w", resource.ErrPartialResource, err)
	}
	return r, nil
}

// newResource converts the host's and the sandbox's attributes.
func newResource(h hostinfo.Host, s sandbox.Sandbox) *resource.Resource {
	ha, sa := h.Attributes(), s.Attributes()
	attrs := make([]attribute.KeyValue, 0, len(ha)+len(sa))
	attrs = appendAttributes(attrs, ha)
	attrs = appendAttributes(attrs, sa)
	return resource.NewWithAttributes(semconv.SchemaURL, attrs...)
}
