// flux-types-probe: what type a value substituted by Flux's postBuild ends up as, computed by the libraries
// kustomize-controller uses (fluxcd/pkg/kustomize kustomize_varsub.go `SubstituteVariables`): kustomize's
// `res.AsYAML()`, the text substituted, `sigs.k8s.io/yaml.YAMLToJSON` (go.yaml.in/yaml/v2), `res.UnmarshalJSON`,
// kustomize's `AsYAML` again and the decoder of `ssautil.ReadObjects` (k8s.io/apimachinery). A plain `${v}` is
// replaced as fluxcd/pkg/envsubst replaces it.
//
//	go run ./scripts/flux-types-probe TEMPLATE.yaml < values.txt
//
// TEMPLATE.yaml is one object holding `${v}` (in a value or a key); each line of stdin is one value; each output
// line is the value (Go-quoted), a tab, and the object's `spec` as JSON or `ERR <Flux's error>`.
// test/shared/flux/substitute-types.test.ts holds its answers.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/kustomize/api/provider"
	"sigs.k8s.io/yaml"
)

func run(tmpl, v string) string {
	f := provider.NewDefaultDepProvider().GetResourceFactory()
	rs, err := f.SliceFromBytes([]byte(tmpl))
	if err != nil {
		return "ERR load: " + err.Error()
	}
	res := rs[0]
	data, err := res.AsYAML()
	if err != nil {
		return "ERR AsYAML: " + err.Error()
	}
	out := strings.ReplaceAll(string(data), "${v}", v)
	j, err := yaml.YAMLToJSON([]byte(out))
	if err != nil {
		return "ERR YAMLToJSON: " + err.Error()
	}
	if err := res.UnmarshalJSON(j); err != nil {
		return "ERR UnmarshalJSON: " + err.Error()
	}
	y, err := res.AsYAML()
	if err != nil {
		return "ERR AsYAML: " + err.Error()
	}
	u := &unstructured.Unstructured{}
	if err := utilyaml.NewYAMLOrJSONDecoder(bytes.NewReader(y), 4096).Decode(u); err != nil {
		return "ERR decode: " + err.Error()
	}
	b, _ := json.Marshal(u.Object["spec"])
	return string(b)
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: flux-types-probe TEMPLATE.yaml < values.txt")
		os.Exit(1)
	}
	tmpl, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		v := sc.Text()
		fmt.Printf("%q\t%s\n", v, run(string(tmpl), v))
	}
}
