package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/blang/semver"
	"github.com/hashicorp/hcl/v2"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/hcl2/syntax"
	nodejsgen "github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/pcl"
	pythongen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/pkg/v3/importer"
	pkgresource "github.com/pulumi/pulumi/pkg/v3/resource"
	"github.com/pulumi/pulumi/pkg/v3/resource/stack"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/providers"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
)

// The importer's own rule for a resource's variable name (importer.sanitizeName, unexported).
var invalidNameCharacters = regexp.MustCompile(`[^\p{L}\p{N}_-]`)

// schemaLoader answers the one package this tool is given, whatever version a provider's state asks for
// (the importer tolerates a version mismatch, as `pulumi import` does for a plugin run from a path).
type schemaLoader struct{ pkg *schema.Package }

func (l schemaLoader) LoadPackage(name string, _ *semver.Version) (*schema.Package, error) {
	if name != l.pkg.Name {
		return nil, fmt.Errorf("package %q: this tool knows only %q (its schema)", name, l.pkg.Name)
	}
	return l.pkg, nil
}

func (l schemaLoader) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return l.LoadPackage(d.Name, d.Version)
}

func (l schemaLoader) LoadPackageReference(name string, v *semver.Version) (schema.PackageReference, error) {
	p, err := l.LoadPackage(name, v)
	if err != nil {
		return nil, err
	}
	return p.Reference(), nil
}

func (l schemaLoader) LoadPackageReferenceV2(ctx context.Context, d *schema.PackageDescriptor) (schema.PackageReference, error) {
	return l.LoadPackageReference(d.Name, d.Version)
}

// plainResource is the hand-written input shape: what a person (or the docs) names.
type plainResource struct {
	Type    string         `json:"type"`
	Name    string         `json:"name"`
	ID      string         `json:"id"`
	Inputs  map[string]any `json:"inputs"`
	Protect *bool          `json:"protect"`
}

// Where plain resources live: the URNs the engine would give them in a stack "dev" of a project "imported".
const (
	plainStack   = "dev"
	plainProject = "imported"
)

// readStates reads INPUT into the snapshot the importer resolves providers and names from.
func readStates(raw []byte, pkgName string) ([]*pkgresource.State, error) {
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	// `pulumi stack export` output, its deployment, or {"resources": [...]}: down to the list.
	for {
		m, ok := doc.(map[string]any)
		if !ok {
			break
		}
		if d, ok := m["deployment"]; ok {
			doc = d
		} else if r, ok := m["resources"]; ok {
			doc = r
		} else {
			return nil, errors.New(`expected a list of resources, {"resources": [...]}, or a stack export`)
		}
	}
	list, ok := doc.([]any)
	if !ok {
		return nil, errors.New("expected a list of resources")
	}
	var states []*pkgresource.State
	var provider *pkgresource.State
	// Secrets the export left encrypted cannot be read here: say how to get them in plaintext.
	dec := config.NewErrorCrypter("this input has encrypted secrets: export it with `pulumi stack export --show-secrets`")
	for i, item := range list {
		one, _ := json.Marshal(item)
		if m, _ := item.(map[string]any); m != nil && m["urn"] != nil {
			var res apitype.ResourceV3
			if err := json.Unmarshal(one, &res); err != nil {
				return nil, fmt.Errorf("resource %d: %w", i, err)
			}
			s, err := stack.DeserializeResource(res, dec)
			if err != nil {
				return nil, fmt.Errorf("resource %d (%s): %w", i, res.URN, err)
			}
			states = append(states, s)
			continue
		}
		var p plainResource
		dc := json.NewDecoder(bytes.NewReader(one))
		dc.DisallowUnknownFields()
		if err := dc.Decode(&p); err != nil {
			return nil, fmt.Errorf("resource %d: %w", i, err)
		}
		if p.Type == "" || p.Name == "" {
			return nil, fmt.Errorf("resource %d: type and name are required", i)
		}
		inputs, err := stack.DeserializeProperties(p.Inputs, dec)
		if err != nil {
			return nil, fmt.Errorf("resource %d (%s): %w", i, p.Name, err)
		}
		if provider == nil {
			// The default provider the engine would register for the package, so the importer finds the package.
			urn := resource.NewURN(plainStack, plainProject, "", providers.MakeProviderType(tokens.Package(pkgName)), "default")
			provider = pkgresource.NewState{Type: urn.Type(), URN: urn, Custom: true, ID: "00000000-0000-0000-0000-000000000000", Inputs: resource.PropertyMap{}, Outputs: resource.PropertyMap{}}.Make()
			states = append(states, provider)
		}
		ref, err := providers.NewReference(provider.URN, provider.ID)
		if err != nil {
			return nil, err
		}
		urn := resource.NewURN(plainStack, plainProject, "", tokens.Type(p.Type), p.Name)
		states = append(states, pkgresource.NewState{
			Type: urn.Type(), URN: urn, Custom: true, ID: resource.ID(p.ID), Inputs: inputs, Outputs: inputs.Copy(),
			Provider: ref.String(), Protect: p.Protect == nil || *p.Protect,
		}.Make())
	}
	return states, nil
}

// programGenerators are the language hosts' GenerateProgram, each the generator its host calls.
var programGenerators = map[string]func(*pcl.Program) (map[string][]byte, hcl.Diagnostics, error){
	"nodejs": nodejsgen.GenerateProgram,
	"python": pythongen.GenerateProgram,
	"go":     gogen.GenerateProgram,
}

func definitions(pkg *schema.Package, lang, input string, names []string, w io.Writer) error {
	var raw []byte
	var err error
	if input == "-" {
		raw, err = io.ReadAll(os.Stdin)
	} else {
		raw, err = os.ReadFile(input)
	}
	if err != nil {
		return err
	}
	snapshot, err := readStates(raw, pkg.Name)
	if err != nil {
		return fmt.Errorf("%s: %w", input, err)
	}
	// Every resource is known by name, so a parent, provider or dependency outside the selection is a
	// variable reference (the importer fails on an unnamed one); names are sanitized as the importer does.
	table := importer.NameTable{}
	for _, s := range snapshot {
		table[s.URN] = invalidNameCharacters.ReplaceAllString(s.URN.Name(), "_")
	}
	var selected []*pkgresource.State
	for _, s := range snapshot {
		if !s.Custom || s.Delete || providers.IsProviderType(s.Type) {
			continue
		}
		if len(names) == 0 || slices.Contains(names, s.URN.Name()) {
			// As imported: an import's states have no dependencies. (From a state after an up, the ones that
			// references imply would leave an empty dependsOn, which the Go generator writes as code that does
			// not compile: pulumi.DependsOn([]interface{}{}).)
			s = s.Copy()
			s.Dependencies = nil
			selected = append(selected, s)
		}
	}
	for _, n := range names {
		if !slices.ContainsFunc(selected, func(s *pkgresource.State) bool { return s.URN.Name() == n }) {
			return fmt.Errorf("%s: no custom resource named %q", input, n)
		}
	}
	if len(selected) == 0 {
		return fmt.Errorf("%s: no resources to write", input)
	}
	loader := schemaLoader{pkg}
	generate, ok := programGenerators[lang]
	if !ok && lang != "pcl" {
		return fmt.Errorf("no program generator for %q (nodejs, python, go, pcl)", lang)
	}
	return importer.GenerateLanguageDefinitions(w, loader, func(w io.Writer, p *pcl.Program) error {
		source := p.Source()
		if lang == "pcl" {
			for _, name := range slices.Sorted(maps.Keys(source)) {
				if _, err := io.WriteString(w, source[name]); err != nil {
					return err
				}
			}
			return nil
		}
		// A language host gets the program as source and binds it again, non-strictly (`pulumi import` asks so).
		parser := syntax.NewParser()
		for _, name := range slices.Sorted(maps.Keys(source)) {
			if err := parser.ParseFile(strings.NewReader(source[name]), name); err != nil {
				return err
			}
		}
		if parser.Diagnostics.HasErrors() {
			return parser.Diagnostics
		}
		program, diags, err := pcl.BindProgram(parser.Files, loader, pcl.NonStrictBindOptions()...)
		if err != nil {
			return err
		}
		if diags.HasErrors() {
			return diags
		}
		files, diags, err := generate(program)
		if err != nil {
			return err
		}
		if diags.HasErrors() {
			return diags
		}
		// As `pulumi import` prints them: every file but the SDKs, in name order.
		for _, name := range slices.Sorted(maps.Keys(files)) {
			if strings.HasPrefix(name, "sdks/") {
				continue
			}
			data := files[name]
			if len(data) > 0 && data[len(data)-1] != '\n' {
				data = append(data, '\n')
			}
			if _, err := w.Write(data); err != nil {
				return err
			}
		}
		return nil
	}, selected, snapshot, table)
}
