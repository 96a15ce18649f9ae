// Command codegen checks the plugin's schema.json with Pulumi's own schema package (validated against
// the metaschema, then bound: every type reference resolved), writes the SDKs Pulumi's code generators
// make from it, and writes the program code `pulumi import` would write for given resources in any of
// Pulumi's languages, all from the same module the CLI is built from (pkg/v3 at the pinned version),
// so no language host is needed.
//
//	codegen check SCHEMA                          validate and bind; print what the package declares
//	codegen sdk SCHEMA OUTDIR LANG...             write OUTDIR/LANG for nodejs, python, go
//	codegen definitions SCHEMA LANG INPUT [NAME...]
//	                                              print the code for resources, as `pulumi import` does
//
// CODEGEN_GO_IMPORT_BASE sets the Go SDK's import path (e.g. to compile it inside this module).
//
// definitions: LANG is nodejs (TypeScript), python, go, or pcl (the intermediate program the others are
// generated from). INPUT is a file, or - for standard input, holding JSON in one of two shapes:
//
//   - resources as a person writes them, a list (or {"resources": [...]}) of
//     {"type": "codearts:index:Rule", "name": "gate", "id": "r-1", "inputs": {...}, "protect": true}:
//     id is optional, protect defaults to true (as `pulumi import` without --protect=false writes it);
//     an input may be a secret in the engine's form ({"4dabf18193072939515e22adb298388d":
//     "1b47061264138c4ac30d75fd1eb44270", "plaintext": "<the value as JSON>"}).
//   - the engine's state: `pulumi stack export --show-secrets` output (or its deployment, or its
//     resources list), entries with a "urn". Encrypted secrets are refused (export with --show-secrets).
//
// The code covers every custom resource of the input that is not a provider, or only those whose
// logical names are given as NAME; the other resources (an explicit provider, a parent) are known by
// name, so options referring to them name their variables. Dependencies are dropped, as an import's
// states have none. Output: the program file(s) the language host would answer, concatenated on stdout
// (index.ts, __main__.py, main.go); the TypeScript imports "@pulumi/codearts", the generated Node.js
// SDK's package name. As inside a language host during `pulumi import`:
// importer.GenerateLanguageDefinitions turns the states into a PCL program (an input equal to another
// resource's id or name becomes a reference to it), the program is bound again non-strictly, and the
// language's program generator writes it. Packages are loaded from SCHEMA alone.
//
//	codegen definitions schema.json go resources.json > main.go
//	pulumi stack export --show-secrets | codegen definitions schema.json python - adoptedRule
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	nodejsgen "github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	pythongen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

func bind(file string) (*schema.Package, error) {
	raw, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	// Where a Go SDK is compiled: its import path (the schema names none; the SDK's repository decides).
	if base := os.Getenv("CODEGEN_GO_IMPORT_BASE"); base != "" {
		if spec.Language == nil {
			spec.Language = map[string]schema.RawMessage{}
		}
		spec.Language["go"] = schema.RawMessage(fmt.Sprintf(`{"importBasePath": %q}`, base))
	}
	pkg, diags, err := schema.BindSpec(spec, schema.NewPluginLoader(nil), schema.ValidationOptions{})
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return pkg, nil
}

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: codegen check SCHEMA | codegen sdk SCHEMA OUTDIR LANG... | codegen definitions SCHEMA LANG INPUT [NAME...]")
		os.Exit(2)
	}
	pkg, err := bind(os.Args[2])
	if err != nil {
		fmt.Fprintf(os.Stderr, "schema: %v\n", err)
		os.Exit(1)
	}
	switch os.Args[1] {
	case "check":
		out := map[string]any{"name": pkg.Name, "version": pkg.Version.String(), "resources": len(pkg.Resources), "types": len(pkg.Types), "config": len(pkg.Config)}
		_ = json.NewEncoder(os.Stdout).Encode(out)
	case "sdk":
		if len(os.Args) < 5 {
			fmt.Fprintln(os.Stderr, "usage: codegen sdk SCHEMA OUTDIR LANG...")
			os.Exit(2)
		}
		for i, lang := range os.Args[4:] {
			// The generators rename enum members in the bound package as they go (the Python one to
			// RULE_TYPE_..._GATE style), so each language gets a package of its own, as separate runs of
			// `pulumi package gen-sdk` would: otherwise the Go SDK's constants follow Python's names and
			// no longer match the Go code Pulumi's program generator (`pulumi import`, `pulumi convert`) writes.
			if i > 0 {
				if pkg, err = bind(os.Args[2]); err != nil {
					fmt.Fprintf(os.Stderr, "schema: %v\n", err)
					os.Exit(1)
				}
			}
			var files map[string][]byte
			switch lang {
			case "nodejs":
				files, err = nodejsgen.GeneratePackage("pulumi-codearts", pkg, nil, nil, false, nil)
			case "python":
				files, err = pythongen.GeneratePackage("pulumi-codearts", pkg, nil, nil)
			case "go":
				files, err = gogen.GeneratePackage("pulumi-codearts", pkg, nil)
			default:
				err = fmt.Errorf("no generator for %q (nodejs, python, go)", lang)
			}
			if err != nil {
				fmt.Fprintf(os.Stderr, "%s: %v\n", lang, err)
				os.Exit(1)
			}
			for name, data := range files {
				target := filepath.Join(os.Args[3], lang, name)
				if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(1)
				}
				if err := os.WriteFile(target, data, 0o644); err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(1)
				}
			}
			fmt.Printf("%s: %d files\n", lang, len(files))
		}
	case "definitions":
		if len(os.Args) < 5 {
			fmt.Fprintln(os.Stderr, "usage: codegen definitions SCHEMA LANG INPUT [NAME...]  (LANG: nodejs, python, go, pcl; INPUT: a file or -)")
			os.Exit(2)
		}
		if err := definitions(pkg, os.Args[3], os.Args[4], os.Args[5:], os.Stdout); err != nil {
			fmt.Fprintf(os.Stderr, "definitions: %v\n", err)
			os.Exit(1)
		}
	default:
		fmt.Fprintf(os.Stderr, "unknown command %q\n", os.Args[1])
		os.Exit(2)
	}
}
