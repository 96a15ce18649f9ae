//go:build tools

// The Go SDK's own packages, so this module's go.sum covers what a generated Go SDK imports: the
// language tests compile one inside this module (CODEGEN_GO_IMPORT_BASE), offline.
package main

import (
	_ "github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	_ "github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
	_ "github.com/pulumi/pulumi/sdk/v3/go/pulumi/internals"
)
