/**
 * Build step (`npm run build`, after tsc): the CLI as one file, `dist/cli/otc-jobs.js`, plus V8's code
 * cache for it, `dist/cli/otc-jobs.cache`. A listing command used to spend most of its start-up finding,
 * reading and compiling some 280 modules (undici and zod are most of them); from one file with its
 * compiled code it starts in about what a plain `fetch` script needs. Nothing changes in what runs:
 * the bundle is made from tsc's output (esbuild; the dynamic imports of commands stay lazy), and
 * `bin/otc-jobs.js` falls back to V8 compiling the source when the cache does not fit the running
 * Node, and to `dist/cli/main.js` when there is no bundle.
 *
 * The cache holds the code V8 compiled while this process ran a real `list` against the emulator, so
 * the functions a listing needs are in it, not only the top level. It is made under the flags the CLI
 * sets (V8 refuses a cache made under others), by `bin/otc-jobs.js`'s own loader.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Script } from "node:vm";

const ROOT = join(__dirname, "..", "..");

interface CliLoader {
  setFlags(): void;
  loadCli(): { cli: { main(argv: string[], io?: unknown): Promise<number> }; script?: Script };
  BUNDLE: string;
  CODE_CACHE: string;
}

export async function bundleCli(): Promise<{ bundle: string; cache: string; bytes: number }> {
  // esbuild is a build-time tool: loaded here only, never by the CLI.
  const esbuild = require("esbuild") as typeof import("esbuild");
  const loader = require(join(ROOT, "bin", "otc-jobs.js")) as CliLoader;
  // The old cache goes first: if this build fails half-way, no cache of other code sits beside the bundle.
  rmSync(loader.CODE_CACHE, { force: true });
  await esbuild.build({
    entryPoints: [join(ROOT, "dist", "cli", "main.js")],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    outfile: loader.BUNDLE,
    // Whitespace and syntax only: names stay readable in stack traces and error classes.
    minifyWhitespace: true,
    minifySyntax: true,
    keepNames: true,
    legalComments: "none",
    // The CLI never loads Pulumi; a bundle that reached it would be wrong, not just large.
    external: ["@pulumi/pulumi"],
    logLevel: "warning",
  });

  loader.setFlags();
  const { cli, script } = loader.loadCli();
  if (!script) throw new Error(`${loader.BUNDLE} was not loaded`);
  // A real listing, so the cache holds what a listing compiles (client, HTTP, readers, output).
  const { startEmulator } = require(join(ROOT, "dist", "emulator")) as typeof import("../emulator");
  const emulator = await startEmulator({ seed: 1, jobs: 300 });
  let code: number;
  try {
    const sink = { write: () => true };
    const env = { OTCJOBS_ENDPOINT: emulator.gateway, OS_AUTH_TOKEN: emulator.token, OS_PROJECT_ID: emulator.projectId };
    code = await cli.main(["list", "all", "--since", "7d", "-o", "json"], { stdout: sink, stderr: process.stderr, env });
    code ||= await cli.main(["list", "ddm", "-o", "table"], { stdout: sink, stderr: process.stderr, env });
  } finally {
    await emulator.close();
  }
  if (code !== 0) throw new Error(`the warm-up listing exited ${code}`);
  const data = script.createCachedData();
  writeFileSync(loader.CODE_CACHE, data);
  return { bundle: loader.BUNDLE, cache: loader.CODE_CACHE, bytes: data.length };
}

if (require.main === module) {
  bundleCli().then(
    () => undefined,
    (e: unknown) => {
      process.stderr.write(`cli bundle: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    },
  );
}
