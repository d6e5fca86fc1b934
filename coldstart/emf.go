package coldstart

import (
	"encoding/json"
	"io"
	"time"

	"github.com/faasprobe/faasprobe/internal/platformenv"
	"github.com/faasprobe/faasprobe/internal/sysroot"
)

// emfConfig is the resolved EMF setup: where to write and the names to use.
type emfConfig struct {
	w         io.Writer // nil: off
	namespace string
	service   string
	function  string // "" drops the function_name dimension
}

// newEMFConfig resolves the names once, at New: options first, then the
// Powertools variables, then the Powertools defaults.
func newEMFConfig(c config, root sysroot.Root) emfConfig {
	e := emfConfig{w: c.emf, namespace: c.namespace, service: c.service}
	if e.namespace == "" {
		e.namespace = root.Getenv("POWERTOOLS_METRICS_NAMESPACE")
	}
	if e.namespace == "" {
		e.namespace = "default_namespace"
	}
	if e.service == "" {
		e.service = root.Getenv("POWERTOOLS_SERVICE_NAME")
	}
	if e.service == "" {
		e.service = "service_undefined"
	}
	e.function = root.Getenv("POWERTOOLS_METRICS_FUNCTION_NAME")
	if e.function == "" {
		e.function = platformenv.Lookup(root.Getenv, "AWS_LAMBDA_FUNCTION_NAME")
	}
	return e
}

// The EMF document (CloudWatch Embedded Metric Format specification), field
// order as Powertools writes it.
type emfRecord struct {
	AWS          emfMetadata `json:"_aws"`
	FunctionName string      `json:"function_name,omitempty"`
	Service      string      `json:"service"`
	ColdStart    int         `json:"ColdStart"`
}

type emfMetadata struct {
	Timestamp         int64          `json:"Timestamp"` // ms since the Unix epoch
	CloudWatchMetrics []emfDirective `json:"CloudWatchMetrics"`
}

type emfDirective struct {
	Namespace  string      `json:"Namespace"`
	Dimensions [][]string  `json:"Dimensions"`
	Metrics    []emfMetric `json:"Metrics"`
}

type emfMetric struct {
	Name string `json:"Name"`
	Unit string `json:"Unit"`
}

// record returns the ColdStart EMF line (with its newline) for time ts.
func (e emfConfig) record(ts time.Time) ([]byte, error) {
	dims := []string{"service"}
	if e.function != "" {
		dims = []string{"function_name", "service"}
	}
	b, err := json.Marshal(emfRecord{
		AWS: emfMetadata{
			Timestamp: ts.UnixMilli(),
			CloudWatchMetrics: []emfDirective{{
				Namespace:  e.namespace,
				Dimensions: [][]string{dims},
				Metrics:    []emfMetric{{Name: "ColdStart", Unit: "Count"}},
			}},
		},
		FunctionName: e.function,
		Service:      e.service,
		ColdStart:    1,
	})
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// write writes the record in one Write call.
func (e emfConfig) write(ts time.Time) error {
	b, err := e.record(ts)
	if err != nil {
		return err
	}
	_, err = e.w.Write(b)
	return err
}
