// Command codegen-dotnet writes the .NET SDK Pulumi's .NET code generator (module
// github.com/pulumi/pulumi-dotnet/pulumi-language-dotnet/v3, pinned in go.mod with the pkg/v3 it was released
// against) makes from the plugin's schema.json:
//
//	codegen-dotnet SCHEMA OUTDIR
//
// A module of its own, like tools/pulumi-codegen-java: the generator keeps the pkg/v3 it was released with.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"

	dotnetgen "github.com/pulumi/pulumi-dotnet/pulumi-language-dotnet/v3/codegen"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: codegen-dotnet SCHEMA OUTDIR")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintf(os.Stderr, "dotnet: %v\n", err)
		os.Exit(1)
	}
}

// logoTransport answers the generator's one HTTP request, the package logo (logo.png of the NuGet package,
// fetched from logoUrl or Pulumi's default), with the repository's own docs/logo.png: generation needs no
// network and its output does not change with a remote file. Any other request fails.
type logoTransport struct{ logo []byte }

func (t logoTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if filepath.Ext(req.URL.Path) != ".png" {
		return nil, fmt.Errorf("codegen-dotnet fetches nothing but the logo (asked for %s)", req.URL)
	}
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"image/png"}}, Body: io.NopCloser(bytes.NewReader(t.logo)), Request: req}, nil
}

func run(file, out string) error {
	logo, err := os.ReadFile(filepath.Join(filepath.Dir(file), "docs", "logo.png"))
	if err != nil {
		return err
	}
	http.DefaultTransport = logoTransport{logo}
	http.DefaultClient.Transport = http.DefaultTransport

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
	files, err := dotnetgen.GeneratePackage("pulumi-codearts", pkg, nil, nil)
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
	fmt.Printf("dotnet: %d files\n", len(files))
	return nil
}
