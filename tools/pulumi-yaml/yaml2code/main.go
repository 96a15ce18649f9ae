// Command yaml2code turns a Pulumi YAML program into the same program in another language, the way
// `pulumi convert --from yaml --language LANG` does, in-process: pulumi-yaml's converter (the YAML
// type-checked against the schema, then ejected to PCL by codegen.EjectProgram, as
// pulumi-converter-yaml does), the PCL written out and bound again as the language hosts bind it
// (non-strict, as `pulumi convert` without --strict), then pkg/v3's GenerateProgram for LANG. The
// language hosts themselves cannot be built here, and their GenerateProject would also write project
// files, install dependencies and need a plugin host: only the program file is wanted.
//
// Packages come from SCHEMA (the plugin's schema.json, bound with schema.BindSpec), never from a
// plugin: no host, no network. A program naming another package fails.
//
//	yaml2code SCHEMA LANG < Pulumi.yaml    print the program's main file for LANG (python, go, nodejs)
//
// Any error diagnostic (an unknown type or property, a value of the wrong type, an unknown reference)
// fails it with exit code 1, so a YAML example that does not bind against the schema is caught.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/blang/semver"
	"github.com/hashicorp/hcl/v2"
	"github.com/pulumi/pulumi-yaml/pkg/pulumiyaml"
	yamlgen "github.com/pulumi/pulumi-yaml/pkg/pulumiyaml/codegen"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	hclsyntax "github.com/pulumi/pulumi/pkg/v3/codegen/hcl2/syntax"
	nodejsgen "github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/pcl"
	pythongen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/spf13/afero"
)

// schemaLoader serves the one package bound from schema.json, whatever version is asked for (the
// programs name none; the schema is the one being documented).
type schemaLoader struct{ pkg *schema.Package }

func (l *schemaLoader) LoadPackage(name string, version *semver.Version) (*schema.Package, error) {
	return l.LoadPackageV2(context.Background(), &schema.PackageDescriptor{Name: name, Version: version})
}

func (l *schemaLoader) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	if l.pkg == nil || d.Name != l.pkg.Name {
		return nil, fmt.Errorf("package %q: only the schema's own package is available here", d.Name)
	}
	return l.pkg, nil
}

func (l *schemaLoader) LoadPackageReference(name string, version *semver.Version) (schema.PackageReference, error) {
	return l.LoadPackageReferenceV2(context.Background(), &schema.PackageDescriptor{Name: name, Version: version})
}

func (l *schemaLoader) LoadPackageReferenceV2(ctx context.Context, d *schema.PackageDescriptor) (schema.PackageReference, error) {
	pkg, err := l.LoadPackageV2(ctx, d)
	if err != nil {
		return nil, err
	}
	return pkg.Reference(), nil
}

func bindSchema(file string) (*schemaLoader, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	loader := &schemaLoader{}
	pkg, diags, err := schema.BindSpec(spec, loader, schema.ValidationOptions{})
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return nil, diags
	}
	loader.pkg = pkg
	return loader, nil
}

// convert is YAML → PCL → LANG. The PCL goes through its text (WriteSource, then parsed and bound
// again) because that is the hand-over between `pulumi convert`'s converter and language host.
func convert(source []byte, loader *schemaLoader, lang string) ([]byte, hcl.Diagnostics, error) {
	template, tdiags, err := pulumiyaml.LoadYAMLBytes("Pulumi.yaml", source)
	diags := tdiags.HCL()
	if err != nil || diags.HasErrors() {
		return nil, diags, err
	}
	ejected, ediags, err := yamlgen.EjectProgram(template, loader)
	diags = diags.Extend(ediags)
	if err != nil || diags.HasErrors() {
		return nil, diags, err
	}

	fs := afero.NewMemMapFs()
	if err := ejected.WriteSource(fs); err != nil {
		return nil, diags, err
	}
	names, err := afero.Glob(fs, "/*.pp")
	if err != nil {
		return nil, diags, err
	}
	sort.Strings(names)
	parser := hclsyntax.NewParser()
	for _, name := range names {
		text, err := afero.ReadFile(fs, name)
		if err != nil {
			return nil, diags, err
		}
		if err := parser.ParseFile(strings.NewReader(string(text)), name); err != nil {
			return nil, diags, err
		}
	}
	diags = diags.Extend(parser.Diagnostics)
	if diags.HasErrors() {
		return nil, diags, nil
	}
	program, pdiags, err := pcl.BindProgram(parser.Files, append(pcl.NonStrictBindOptions(), pcl.Loader(loader))...)
	diags = diags.Extend(pdiags)
	if err != nil || diags.HasErrors() {
		return nil, diags, err
	}

	var files map[string][]byte
	var gdiags hcl.Diagnostics
	main := ""
	switch lang {
	case "python":
		files, gdiags, err = pythongen.GenerateProgram(program)
		main = "__main__.py"
	case "go":
		files, gdiags, err = gogen.GenerateProgram(program)
		main = "main.go"
	case "nodejs":
		files, gdiags, err = nodejsgen.GenerateProgram(program)
		main = "index.ts"
	default:
		return nil, diags, fmt.Errorf("no program generator for %q (python, go, nodejs)", lang)
	}
	diags = diags.Extend(gdiags)
	if err != nil || diags.HasErrors() {
		return nil, diags, err
	}
	out, ok := files[main]
	if !ok || len(files) != 1 {
		return nil, diags, fmt.Errorf("%s generator wrote %d files, expected %s alone", lang, len(files), main)
	}
	return out, diags, nil
}

// describe is one diagnostic on one line: where (when known), what, and its detail.
func describe(d *hcl.Diagnostic) string {
	severity := "error"
	if d.Severity == hcl.DiagWarning {
		severity = "warning"
	}
	text := strings.TrimSpace(d.Summary)
	if detail := strings.TrimSpace(d.Detail); detail != "" && detail != text {
		text += ": " + strings.Join(strings.Fields(detail), " ")
	}
	if d.Subject != nil {
		return fmt.Sprintf("%s: %s: %s", d.Subject, severity, text)
	}
	return fmt.Sprintf("%s: %s", severity, text)
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: yaml2code SCHEMA LANG < Pulumi.yaml   (LANG: python, go, nodejs)")
		os.Exit(2)
	}
	loader, err := bindSchema(os.Args[1])
	if err != nil {
		fmt.Fprintf(os.Stderr, "schema: %v\n", err)
		os.Exit(1)
	}
	source, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out, diags, err := convert(source, loader, os.Args[2])
	// Warnings are printed too: the caller decides (the docs' test wants none).
	for _, d := range diags {
		fmt.Fprintln(os.Stderr, describe(d))
	}
	if err != nil || diags.HasErrors() || out == nil {
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
		os.Exit(1)
	}
	_, _ = os.Stdout.Write(out)
}
