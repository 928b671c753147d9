#!/usr/bin/env bash
# Builds the Pulumi toolchain the engine suite runs on, from the registries this machine reaches, into
#   .tools/pulumi/<version>/bin    pulumi (CLI + engine), pulumi-language-yaml, pulumi-resource-pulumi-nodejs,
#                                  pulumi-gen-sdk (Pulumi's Python and Go SDK generators; toolchain/pulumi/cli/gensdk)
#   .tools/pulumi/<version>/venv   Python with the `pulumi` SDK (the Go SDK lands in Go's module cache)
# and prints that directory. It rebuilds only when an input changes (the stamp is a hash of every file of
# toolchain/pulumi/ and of this script), so a second run costs about a second.
#
# The version is written once, in toolchain/pulumi/VERSION; this script refuses to build when the Go
# modules, the Python requirement or the npm lock name another one.
#
# What the Go module proxy serves decides what is built (checked 2026-12-07):
# - github.com/pulumi/pulumi/pkg/v3 and sdk/v3 at v3.248.0: the CLI (toolchain/pulumi/cli).
# - github.com/pulumi/pulumi-yaml v1.25.0: pulumi-language-yaml (toolchain/pulumi/yaml, its own module).
# - NOT the nested language-host modules pulumi-language-nodejs, -python and -go (every version and
#   pseudo-version answers "This module version is not available"), nor pulumi-dotnet or pulumi-java.
#   TypeScript, Python and Go programs therefore run as Automation API inline programs: the same CLI
#   and engine, with the language SDK hosting the program in its own process (tests/engine/README.md).
set -euo pipefail

self="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
root="$(dirname "$(dirname "$self")")"
src="$root/toolchain/pulumi"
version="$(tr -d ' \n' < "$src/VERSION")"
out="${OTCJOBS_PULUMI_TOOLCHAIN_DIR:-$root/.tools/pulumi/$version}"
log() { printf 'pulumi-toolchain: %s\n' "$*" >&2; }

# One version everywhere, or nothing is built.
check_pin() { # file, pattern that must match
  grep -qE "$2" "$1" || { log "$1 does not pin Pulumi $version (toolchain/pulumi/VERSION); update one or the other"; exit 3; }
}
check_pin "$src/cli/go.mod" "github.com/pulumi/pulumi/pkg/v3 v$version\$"
check_pin "$src/cli/go.mod" "github.com/pulumi/pulumi/sdk/v3 v$version( |\$)"
check_pin "$src/requirements.txt" "^pulumi==$version\$"
node -e '
  const lock = require(process.argv[1]);
  const got = lock.packages["node_modules/@pulumi/pulumi"]?.version;
  if (got !== process.argv[2]) { console.error(`pulumi-toolchain: package-lock.json has @pulumi/pulumi ${got}, toolchain/pulumi/VERSION says ${process.argv[2]}`); process.exit(3); }
' "$root/package-lock.json" "$version"

# One build at a time (parallel test workers may all ask for it); the others wait, then find it built.
mkdir -p "$(dirname "$out")"
exec 9>"$out.lock"
flock 9

stamp="$( (cd "$src" && find . -type f | LC_ALL=C sort | xargs sha256sum; sha256sum "$self" | cut -d' ' -f1; go version; python3 --version) | sha256sum | cut -d' ' -f1)"
if [ -f "$out/.stamp" ] && [ "$(cat "$out/.stamp")" = "$stamp" ] && [ -x "$out/bin/pulumi" ]; then
  printf '%s\n' "$out"
  exit 0
fi

command -v go >/dev/null || { log "needs Go (1.25 or newer) on PATH"; exit 3; }
command -v python3 >/dev/null || { log "needs python3 on PATH"; exit 3; }
start=$(date +%s)
# Built in place; the stamp, written last, marks it whole (an interrupted build is redone from scratch).
rm -rf "$out"
mkdir -p "$out/bin"

# The CLI, honest about its version (`pulumi version` prints it).
log "building the Pulumi CLI v$version (a cold build takes about 6 minutes on 2 cores)"
(cd "$src/cli" && CGO_ENABLED=0 GOFLAGS=-mod=readonly go build -trimpath \
  -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version" \
  -o "$out/bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)

# `pulumi package gen-sdk` asks the language hosts to generate; this calls the same generators directly.
(cd "$src/cli" && CGO_ENABLED=0 GOFLAGS=-mod=readonly go build -trimpath -ldflags "-s -w" \
  -o "$out/bin/pulumi-gen-sdk" ./gensdk)

log "building pulumi-language-yaml"
(cd "$src/yaml" && CGO_ENABLED=0 GOFLAGS=-mod=readonly go build -trimpath -ldflags "-s -w" \
  -o "$out/bin/pulumi-language-yaml" github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml)

# The Node dynamic-provider host ships in @pulumi/pulumi; Pulumi's own releases put this shim next to
# the CLI, which is where the engine looks for it. It resolves @pulumi/pulumi from the program's directory.
cp "$root/node_modules/@pulumi/pulumi/pulumi-resource-pulumi-nodejs" "$out/bin/"
chmod +x "$out/bin/pulumi-resource-pulumi-nodejs"

log "creating the Python venv (pulumi==$version)"
python3 -m venv "$out/venv"
"$out/venv/bin/pip" install --quiet --disable-pip-version-check -r "$src/requirements.txt"

# The Go SDK, into Go's module cache, so the Go programs build without asking the proxy again.
log "downloading the Go SDK github.com/pulumi/pulumi/sdk/v3@v$version"
(cd "$src/cli" && go mod download github.com/pulumi/pulumi/sdk/v3)

printf '%s\n' "$stamp" > "$out/.stamp"
"$out/bin/pulumi" version >&2
log "built in $(( $(date +%s) - start )) s"
printf '%s\n' "$out"
