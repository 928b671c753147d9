#!/usr/bin/env bash
# `npm run sdk:gen`: writes plugin/schema.json from the core, then the Python and Go SDKs from it with
# Pulumi's own generators (scripts/pulumi-toolchain.sh builds them): sdk/python (pulumi_otcjobs) and
# sdk/go/otcjobs (module github.com/otc-jobs/pulumi-otcjobs/sdk, sdk/go.mod). The Node SDK is sdk/*.ts,
# written for in-process calls. tests/plugin/sdk-drift.test.ts fails when a committed SDK differs.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$(bash "$root/scripts/pulumi-toolchain.sh")"
out="${1:-$root/sdk}"
node "$root/dist/plugin/writeSchema.js" >&2
for language in python go; do
  "$tools/bin/pulumi-gen-sdk" --language "$language" --schema "$root/plugin/schema.json" --out "$out/$language"
done
printf '%s\n' "$out/python" "$out/go"
