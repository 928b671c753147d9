#!/usr/bin/env bash
# Prints the path of a headless-capable Chromium, installing Debian's `chromium` package with
# apt-get when none is found (needs root, as in CI containers). CHROMIUM=/path overrides the search.
set -euo pipefail
if [[ -n "${CHROMIUM:-}" ]]; then echo "$CHROMIUM"; exit 0; fi
for name in chromium chromium-browser google-chrome; do
  if command -v "$name" >/dev/null 2>&1; then command -v "$name"; exit 0; fi
done
if ! command -v apt-get >/dev/null 2>&1; then
  echo "report:shot: no chromium found and no apt-get to install it; set CHROMIUM=/path/to/chrome" >&2
  exit 3
fi
as_root=()
if [[ "$(id -u)" != 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then as_root=(sudo); else
    echo "report:shot: installing chromium needs root: run 'apt-get install -y chromium' as root" >&2
    exit 3
  fi
fi
echo "report:shot: installing Debian's chromium package (once)..." >&2
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
if ! { "${as_root[@]}" apt-get update -qq && "${as_root[@]}" apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "report:shot: apt-get could not install chromium (log above)" >&2
  exit 3
fi
rm -f "$log"
command -v chromium
