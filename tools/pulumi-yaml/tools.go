//go:build tools

// Package tools pins the YAML language host (pulumi-language-yaml) that the language tests build from
// source, next to the CLI of tools/pulumi-cli. A module of its own: pulumi-yaml's requirements must
// not move the CLI's pin.
package tools

import (
	_ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
)
