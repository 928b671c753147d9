#!/usr/bin/env node
"use strict";
// The otc-jobs CLI. Start-up is most of a short command's time, so this file does only what must come
// first: answer a lone --version, set V8's flags, and load the CLI from one prebuilt file with V8's
// compiled code for it (see cli/bundle.ts). `cli/bundle.ts` requires this file for `loadCli` and
// `setFlags`, so that the code cache is made under exactly the flags it is used with.
const { readFileSync, statSync, writeSync } = require("node:fs");
const { join } = require("node:path");

const DIST = join(__dirname, "..", "dist", "cli");
/** One file with the CLI and everything it loads (esbuild), and V8's code cache for it; made by `npm run build`. */
const BUNDLE = join(DIST, "otc-jobs.js");
const CODE_CACHE = join(DIST, "otc-jobs.cache");
/** The CLI as tsc wrote it, module by module: used when the bundle was not built. */
const ENTRY = join(DIST, "main.js");

function setFlags() {
  const v8 = require("node:v8");
  // undici parses HTTP with llhttp compiled to WebAssembly. V8 re-compiles that module with TurboFan on a
  // background thread, about 300 ms of CPU, and Node waits for that compile before the process may exit:
  // every short command paid it at the end. The baseline compiler's code parses HTTP fast enough for a CLI.
  v8.setFlagsFromString("--liftoff-only");
  // V8 sizes the old generation by how fast it collects, up to several times what is alive, and lets
  // garbage pile up to that: a million-job `list -o jsonl` peaked at 420 MB while holding under 200.
  // Growing the heap by half of what survived each full collection keeps a listing's peak near what it holds.
  v8.setFlagsFromString("--heap-growing-percent=50");
}

/**
 * The CLI module (`{ main }`). From the bundle when it exists and is not older than dist/cli/main.js,
 * compiled with its code cache when V8 accepts it (same V8 version, flags and source; otherwise V8
 * compiles the source as usual); else from dist/cli/main.js.
 * Also returns the compiled script, for cli/bundle.ts to write the cache from. `light`: a command that
 * needs only commander (help, completion) loads dist/cli/main.js, which is cheaper for it.
 */
function loadCli(light = false) {
  const entry = statSync(ENTRY, { throwIfNoEntry: false });
  // Help and completion need only commander: the modules one by one cost less than the whole bundle.
  if (light && entry) return { cli: require(ENTRY) };
  const bundle = statSync(BUNDLE, { throwIfNoEntry: false });
  // No bundle, or tsc wrote dist/ again after it (`npx tsc -p tsconfig.build.json`): the bundle would run
  // old code, so run what tsc wrote.
  if (!bundle || (entry && entry.mtimeMs > bundle.mtimeMs)) {
    if (!entry) statSync(ENTRY); // throws ENOENT naming the file when nothing is built
    return { cli: require(ENTRY) };
  }
  const source = readFileSync(BUNDLE, "utf8");
  const vm = require("node:vm");
  const Module = require("node:module");
  let cachedData;
  try {
    cachedData = readFileSync(CODE_CACHE);
  } catch {
    // no cache: V8 compiles the source
  }
  const script = new vm.Script(Module.wrap(source), { filename: BUNDLE, cachedData });
  const mod = { exports: {}, filename: BUNDLE, id: BUNDLE };
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(BUNDLE), mod, BUNDLE, DIST);
  return { cli: mod.exports, script };
}

module.exports = { setFlags, loadCli, BUNDLE, CODE_CACHE };

function run() {
  const args = process.argv.slice(2);
  // `--version` alone is answered here, before the CLI loads: it must cost what node's own start costs
  // (bench: `otc-jobs --version`). Any other use of the flag goes through commander.
  if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
    const { version } = JSON.parse(readFileSync(join(__dirname, "..", "package.json"), "utf8"));
    // Straight to the descriptor: creating process.stdout loads Node's stream and socket modules.
    writeSync(1, `${version}\n`);
    return;
  }
  setFlags();
  let cli;
  try {
    // The same code either way; only how it is loaded differs. Shell completion runs on every Tab.
    const light = args.length === 0 || args[0] === "__complete" || args[0] === "completion" || args.includes("--help") || args.includes("-h");
    cli = loadCli(light).cli;
  } catch (e) {
    if (!e || e.code !== "ENOENT") throw e;
    process.stderr.write(`otc-jobs: not built yet (${e.code}: ${e.path || ENTRY}): run \`npm run build\` in the package first\n`);
    process.exit(3);
  }
  // A reader that goes away (`otc-jobs list all | head`) is not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e) => {
      if (e && e.code === "EPIPE") process.exit(typeof process.exitCode === "number" ? process.exitCode : 0);
      throw e;
    });
  }
  cli.main(args).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`otc-jobs: ${e && e.stack ? e.stack : e}\n`);
      process.exitCode = 4;
    },
  );
}

if (require.main === module) run();
