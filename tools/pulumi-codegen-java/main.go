// Command codegen-java writes the Java SDK Pulumi's Java code generator (github.com/pulumi/pulumi-java/pkg,
// pinned in go.mod with the pkg/v3 it was built against) makes from the plugin's schema.json:
//
//	codegen-java SCHEMA OUTDIR
//
// A module of its own: the Java generator does not compile against the CLI's newer pkg/v3
// (tools/pulumi-codegen), so it keeps the version it was released with.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	javagen "github.com/pulumi/pulumi-java/pkg/codegen/java"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: codegen-java SCHEMA OUTDIR")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintf(os.Stderr, "java: %v\n", err)
		os.Exit(1)
	}
}

func run(file, out string) error {
	raw, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	pkg, diags, err := schema.BindSpec(spec, schema.NewPluginLoader(nil), schema.ValidationOptions{})
	if err != nil {
		return err
	}
	if diags.HasErrors() {
		return diags
	}
	files, err := javagen.GeneratePackage("pulumi-codearts", pkg, nil, nil, false, false)
	if err != nil {
		return err
	}
	for name, data := range files {
		target := filepath.Join(out, name)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(target, data, 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("java: %d files\n", len(files))
	return nil
}
