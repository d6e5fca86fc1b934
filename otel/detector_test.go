package otel

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/faasprobe/faasprobe/hostinfo"
	"github.com/faasprobe/faasprobe/internal/sysroot"
	"github.com/faasprobe/faasprobe/sandbox"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/resource"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
)

const scenarios = "../testdata/scenarios"

// want is the part of a scenario's hand-written want.json the detector's
// attributes can be checked against.
type want struct {
	Platform struct {
		Provider        string `json:"provider"`
		Service         string `json:"service"`
		Region          string `json:"region"`
		FunctionName    string `json:"function_name"`
		FunctionVersion string `json:"function_version"`
		MemoryLimitMB   int64  `json:"memory_limit_mb"`
	} `json:"platform"`
	Host struct {
		CPU struct {
			Vendor string `json:"vendor"`
		} `json:"cpu"`
		Hypervisor struct {
			Kind string `json:"kind"`
		} `json:"hypervisor"`
	} `json:"host"`
	Sandbox struct {
		ID        string `json:"id"`
		Isolation string `json:"isolation"`
	} `json:"sandbox"`
}

func readWant(t *testing.T, dir string) want {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "want.json"))
	require.NoError(t, err)
	var w want
	require.NoError(t, json.Unmarshal(b, &w))
	return w
}

func detect(t *testing.T, opts ...Option) (*resource.Resource, error) {
	t.Helper()
	r, err := NewDetector(opts...).Detect(context.Background())
	require.NotNil(t, r, "a resource even when a source failed")
	return r, err
}

func get(r *resource.Resource, key string) (attribute.Value, bool) {
	return r.Set().Value(attribute.Key(key))
}

// TestDetectorLambdaScenarios checks the detector on recorded Lambda
// sandboxes against what the trees say: their env files and want.json.
// The first six keys are the ones the contrib AWS Lambda detector
// (detectors/aws/lambda) reports from the same variables, with the same
// values: both detectors can run side by side without a conflict.
func TestDetectorLambdaScenarios(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"lambda-firecracker-2022-x86", "lambda-firecracker-2020-x86-36608", "lambda-xen-2017-c4"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(scenarios, name)
			root, err := sysroot.Recorded(dir)
			require.NoError(t, err)
			env, w := root.Getenv, readWant(t, dir)
			memMB, err := strconv.ParseInt(env("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"), 10, 64)
			require.NoError(t, err)
			require.Equal(t, w.Platform.MemoryLimitMB, memMB, "the tree agrees with itself")

			r, err := detect(t, WithRoot(dir))
			require.NoError(t, err)
			assert.Equal(t, semconv.SchemaURL, r.SchemaURL())

			wantAttrs := []attribute.KeyValue{
				// As the contrib detector: cloud.provider, cloud.region,
				// faas.instance, faas.name, faas.version, faas.max_memory.
				semconv.CloudProviderAWS,
				semconv.CloudRegion(env("AWS_REGION")),
				semconv.FaaSInstance(env("AWS_LAMBDA_LOG_STREAM_NAME")),
				semconv.FaaSName(env("AWS_LAMBDA_FUNCTION_NAME")),
				semconv.FaaSVersion(env("AWS_LAMBDA_FUNCTION_VERSION")),
				semconv.FaaSMaxMemory(int(memMB) << 20),
				// Ours.
				semconv.CloudPlatformAWSLambda,
				semconv.CloudRegion(w.Platform.Region),
				semconv.FaaSName(w.Platform.FunctionName),
				semconv.HostCPUVendorID(w.Host.CPU.Vendor),
				attribute.String("faasprobe.platform.provider", w.Platform.Provider),
				attribute.String("faasprobe.platform.service", w.Platform.Service),
				attribute.String("faasprobe.host.hypervisor", w.Host.Hypervisor.Kind),
			}
			if w.Sandbox.ID != "" {
				wantAttrs = append(wantAttrs, attribute.String("faasprobe.sandbox.id", w.Sandbox.ID))
			}
			if w.Sandbox.Isolation != "" {
				wantAttrs = append(wantAttrs, attribute.String("faasprobe.sandbox.isolation", w.Sandbox.Isolation))
			}
			for _, kv := range wantAttrs {
				got, ok := get(r, string(kv.Key))
				if assert.True(t, ok, "%s missing", kv.Key) {
					assert.Equal(t, kv.Value, got, "%s", kv.Key)
				}
			}
		})
	}
}

// TestDetectorIsTheCoreAttributes pins that the resource is exactly
// Host.Attributes and Sandbox.Attributes converted, key by key and type by
// type, on every recorded scenario: the detector keeps no name table of
// its own.
func TestDetectorIsTheCoreAttributes(t *testing.T) {
	t.Parallel()
	entries, err := os.ReadDir(scenarios)
	require.NoError(t, err)
	require.NotEmpty(t, entries)
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		t.Run(e.Name(), func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(scenarios, e.Name())
			h, herr := hostinfo.Detect(hostinfo.WithRoot(dir))
			s, serr := sandbox.Detect(sandbox.WithRoot(dir), sandbox.WithHost(h))
			core := attribute.NewSet(appendAttributes(appendAttributes(nil, h.Attributes()), s.Attributes())...)
			require.Positive(t, core.Len())

			r, err := detect(t, WithRoot(dir))
			assert.Equal(t, core.Encoded(attribute.DefaultEncoder()), r.Set().Encoded(attribute.DefaultEncoder()))
			assert.Equal(t, errors.Join(herr, serr) != nil, err != nil, "error iff a source failed: %v", err)
			if err != nil {
				assert.ErrorIs(t, err, resource.ErrPartialResource)
			}
		})
	}
}

func TestDetectorPartialResource(t *testing.T) {
	t.Parallel()
	t.Run("bad-input keeps what it could read", func(t *testing.T) {
		t.Parallel()
		dir := filepath.Join(scenarios, "bad-input")
		root, _ := sysroot.Recorded(dir) // its env file has bad lines, as the detector will say
		name := root.Getenv("AWS_LAMBDA_FUNCTION_NAME")
		require.NotEmpty(t, name)

		r, err := detect(t, WithRoot(dir))
		require.ErrorIs(t, err, resource.ErrPartialResource)
		assert.ErrorContains(t, err, "proc/meminfo")
		assert.Equal(t, semconv.SchemaURL, r.SchemaURL())
		got, ok := get(r, "faas.name")
		assert.True(t, ok)
		assert.Equal(t, name, got.AsString())
		got, _ = get(r, "cloud.platform")
		assert.Equal(t, "aws_lambda", got.AsString())
	})
	t.Run("missing root", func(t *testing.T) {
		t.Parallel()
		r, err := detect(t, WithRoot(filepath.Join(t.TempDir(), "absent")))
		require.ErrorIs(t, err, resource.ErrPartialResource)
		_, ok := get(r, "faasprobe.sandbox.id") // never empty: a per-process id
		assert.True(t, ok)
	})
}

func TestDetectorWithEnvWinsOverTree(t *testing.T) {
	t.Parallel()
	env := map[string]string{"AWS_LAMBDA_FUNCTION_NAME": "other", "AWS_REGION": "eu-north-1"}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	for _, tt := range []struct {
		name string
		opts []Option
	}{
		{"root first", []Option{WithRoot(filepath.Join(scenarios, "lambda-firecracker-2022-x86")), WithEnv(lookup)}},
		{"env first", []Option{WithEnv(lookup), WithRoot(filepath.Join(scenarios, "lambda-firecracker-2022-x86"))}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := detect(t, tt.opts...)
			require.NoError(t, err)
			got, _ := get(r, "faas.name")
			assert.Equal(t, "other", got.AsString())
			got, _ = get(r, "cloud.region")
			assert.Equal(t, "eu-north-1", got.AsString())
			_, ok := get(r, "faas.instance")
			assert.False(t, ok, "the tree's log stream is not in the given environment")
		})
	}
}

// TestDetectorWithTheSDK runs the detector the way an application does,
// beside the SDK's own detectors: the schema URLs agree, so nothing
// conflicts.
func TestDetectorWithTheSDK(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(scenarios, "lambda-firecracker-2022-x86")
	r, err := resource.New(context.Background(),
		resource.WithDetectors(NewDetector(WithRoot(dir))),
		resource.WithTelemetrySDK(),
		resource.WithAttributes(semconv.ServiceName("greeter")),
	)
	require.NoError(t, err)
	got, _ := get(r, "cloud.platform")
	assert.Equal(t, "aws_lambda", got.AsString())
	got, _ = get(r, "service.name")
	assert.Equal(t, "greeter", got.AsString())

	merged, err := resource.Merge(resource.Default(), r)
	require.NoError(t, err)
	assert.Equal(t, semconv.SchemaURL, merged.SchemaURL())
}

// TestDetectorHostNameAndID: the kernel's host name and the machine id
// reach the resource under the semantic-convention keys host.name and
// host.id (as OTel's own host detector names them), from a recorded tree.
func TestDetectorHostNameAndID(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "tree")
	require.NoError(t, os.CopyFS(dir, os.DirFS(filepath.Join(scenarios, "lambda-firecracker-2022-x86"))))
	for name, content := range map[string]string{
		"proc/sys/kernel/hostname": "169.254.76.1\n",
		"var/lib/dbus/machine-id":  "3D1219C7C4C5404AAA1F6D2A48ADFDA4\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	}
	r, err := detect(t, WithRoot(dir))
	require.NoError(t, err)
	for _, kv := range []attribute.KeyValue{
		semconv.HostName("169.254.76.1"),
		semconv.HostID("3d1219c7c4c5404aaa1f6d2a48adfda4"), // lower-cased, as machine-id(5) writes it
	} {
		got, ok := get(r, string(kv.Key))
		if assert.True(t, ok, "%s missing", kv.Key) {
			assert.Equal(t, kv.Value, got, "%s", kv.Key)
		}
	}
}
