#!/usr/bin/env node
"use strict";
// The otc-jobs CLI. Kept tiny: dist/cli/main.js loads each command's dependencies only when it runs.
const { statSync } = require("node:fs");
const { join } = require("node:path");

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
  .main(process.argv.slice(2))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`otc-jobs: ${e && e.stack ? e.stack : e}\n`);
      process.exitCode = 4;
    },
  );
