// prom-parse parses a Prometheus text exposition (stdin) with github.com/prometheus/common/expfmt, the parser
// Prometheus itself uses for the text format, and prints the families as JSON: a parse error exits 1 with the
// parser's message. Flotilla's metrics test feeds it the body of the metrics port.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

type sample struct {
	Labels map[string]string `json:"labels"`
	Value  float64           `json:"value"`
}

type family struct {
	Name    string   `json:"name"`
	Type    string   `json:"type"`
	Help    string   `json:"help"`
	Samples []sample `json:"samples"`
}

func labelsOf(m *dto.Metric) map[string]string {
	out := map[string]string{}
	for _, l := range m.GetLabel() {
		out[l.GetName()] = l.GetValue()
	}
	return out
}

func samplesOf(f *dto.MetricFamily) []sample {
	var out []sample
	for _, m := range f.GetMetric() {
		switch f.GetType() {
		case dto.MetricType_COUNTER:
			out = append(out, sample{labelsOf(m), m.GetCounter().GetValue()})
		case dto.MetricType_GAUGE:
			out = append(out, sample{labelsOf(m), m.GetGauge().GetValue()})
		case dto.MetricType_UNTYPED:
			out = append(out, sample{labelsOf(m), m.GetUntyped().GetValue()})
		case dto.MetricType_HISTOGRAM:
			h := m.GetHistogram()
			ls := labelsOf(m)
			ls["__kind__"] = "count"
			out = append(out, sample{ls, float64(h.GetSampleCount())})
			for _, b := range h.GetBucket() {
				bl := labelsOf(m)
				bl["le"] = fmt.Sprint(b.GetUpperBound())
				out = append(out, sample{bl, float64(b.GetCumulativeCount())})
			}
		default:
			out = append(out, sample{labelsOf(m), 0})
		}
	}
	return out
}

func main() {
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "prom-parse:", err)
		os.Exit(1)
	}
	names := make([]string, 0, len(families))
	for n := range families {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]family, 0, len(names))
	for _, n := range names {
		f := families[n]
		out = append(out, family{Name: n, Type: f.GetType().String(), Help: f.GetHelp(), Samples: samplesOf(f)})
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		os.Exit(1)
	}
}
