//go:build tools

// Package tools pins pulumi-language-yaml. It is its own module because pulumi-yaml v1.25.0 (the
// newest the module proxy serves) does not compile against pulumi/pkg v3.248.0; the YAML host talks
// to the CLI over gRPC, so it may link its own (older) pulumi packages, as Pulumi's release bundles do.
package tools

import _ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
