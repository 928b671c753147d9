//go:build tools

// Package tools pins the Pulumi CLI built by scripts/pulumi-toolchain.sh. `go install
// github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@vX` fails (pkg/go.mod has replace lines); a module that
// requires pkg/v3 and sdk/v3 at one version and repeats the one replace that matters builds it,
// because a dependency's replace lines are ignored.
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
