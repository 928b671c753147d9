#!/usr/bin/env node
"use strict";
// The otc-jobs CLI. Kept tiny: dist/cli/main.js loads each command's dependencies only when it runs.
const { readFileSync, statSync } = require("node:fs");
const { join } = require("node:path");

const args = process.argv.slice(2);
// `--version` alone is answered here, before commander and the CLI load: it must cost what node's own
// start costs (bench: `otc-jobs --version`). Any other use of the flag goes through commander.
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  const { version } = JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8"));
  process.stdout.write(`${version}\n`);
  return;
}

// undici parses HTTP with llhttp compiled to WebAssembly. V8 then re-compiles that module with TurboFan on
// a background thread, about 300 ms of CPU, and Node waits for that compile before the process may exit:
// every short command paid it at the end. The baseline compiler's code parses HTTP fast enough for a CLI.
const v8 = require("node:v8");
v8.setFlagsFromString("--liftoff-only");
// V8 sizes the old generation by how fast it collects, up to several times what is alive, and lets garbage
// pile up to that: a million-job `list -o jsonl` peaked at 420 MB while holding under 200. Growing the heap by
// half of what survived each full collection keeps a listing's peak near what it holds.
v8.setFlagsFromString("--heap-growing-percent=50");

const entry = join(__dirname, "..", "dist", "cli", "main.js");
try {
  statSync(entry);
} catch (e) {
  process.stderr.write(`otc-jobs: not built yet (${e && e.code ? e.code : e}: ${entry}): run \`npm run build\` in the package first\n`);
  process.exit(3);
}
// A reader that goes away (`otc-jobs list all | head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (e) => {
    if (e && e.code === "EPIPE") process.exit(typeof process.exitCode === "number" ? process.exitCode : 0);
    throw e;
  });
}
require(entry)
  .main(args)
  .then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`otc-jobs: ${e && e.stack ? e.stack : e}\n`);
      process.exitCode = 4;
    },
  );
