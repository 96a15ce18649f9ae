// The mocks the resource pages' Go examples run under (tests/engine/languages.examples.test.ts copies this
// file beside them): no engine, no plugin. Each example's main is renamed and registered in `examples` by the
// test, and its pulumi.Run swapped for runWithMocks; `mocked PAGE` runs one and prints its registrations as
// JSON: type, logical name and inputs as the SDK sends them (secrets unwrapped). Each resource is answered
// with its inputs as its state and, as its id, 32 hex digits from its name: the form of every id the examples
// pass on (groups, templates, publishers, rules), as tests/languages/examples/mocks.py does for Python.
package main

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

var examples = map[string]func(){}

type registered struct {
	Type   string         `json:"type"`
	Name   string         `json:"name"`
	Inputs map[string]any `json:"inputs"`
}

type mocks struct{ seen *[]registered }

func plain(v resource.PropertyValue) any {
	switch {
	case v.IsSecret():
		return plain(v.SecretValue().Element)
	case v.IsOutput():
		return plain(v.OutputValue().Element)
	case v.IsComputed():
		return "<unknown>"
	case v.IsArray():
		out := []any{}
		for _, e := range v.ArrayValue() {
			out = append(out, plain(e))
		}
		return out
	case v.IsObject():
		out := map[string]any{}
		for k, e := range v.ObjectValue() {
			out[string(k)] = plain(e)
		}
		return out
	case v.IsNull():
		return nil
	}
	return v.V
}

func (m mocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	*m.seen = append(*m.seen, registered{args.TypeToken, args.Name, plain(resource.NewObjectProperty(args.Inputs)).(map[string]any)})
	sum := md5.Sum([]byte(args.Name))
	id := hex.EncodeToString(sum[:])
	state := args.Inputs.Copy()
	// Outputs the service makes from nothing declared: an API test suite's (its id and the cases it generated).
	if strings.HasSuffix(args.TypeToken, ":ApiTestSuite") {
		state["testsuiteId"] = resource.NewStringProperty(id)
		state["testcaseIds"] = resource.NewArrayProperty([]resource.PropertyValue{resource.NewStringProperty(id)})
	}
	return id, state, nil
}

func (mocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return nil, fmt.Errorf("the example calls %s: examples declare resources only", args.Token)
}

var seen []registered

// runWithMocks stands in for pulumi.Run.
func runWithMocks(body pulumi.RunFunc) {
	if err := pulumi.RunErr(body, pulumi.WithMocks("example", "dev", mocks{&seen})); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func main() {
	example, ok := examples[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "no example %q\n", os.Args[1])
		os.Exit(2)
	}
	example()
	_ = json.NewEncoder(os.Stdout).Encode(seen)
}
