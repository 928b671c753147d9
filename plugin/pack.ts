/**
 * `npm run plugin:pack`: bundles the plugin into one file (esbuild; the core, grpc-js and the
 * protobuf stubs inlined, so it needs nothing but Node) and writes one release tarball per platform,
 * `build/plugin/pulumi-resource-otcjobs-v<version>-<os>-<arch>.tar.gz`, named and laid out as
 * `pulumi plugin install resource otcjobs <version> [--file <tarball>]` and a `pluginDownloadURL`
 * expect: the executable at the archive root.
 *
 * The plugin is JavaScript and runs on the user's Node.js (20.18 or newer, as the package): the
 * executable is a launcher that finds `node` and says so plainly when there is none, rather than a
 * 100 MB single-executable copy of Node per platform. The bundle is the same on every platform; only
 * the launcher differs (a shell script, or a .cmd on Windows).
 */
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PLUGIN_VERSION } from "./version";

const ROOT = join(__dirname, "..", "..");
export const PACK_DIR = join(ROOT, "build", "plugin");

/** The platforms a release serves: every one Node 20 and the Pulumi CLI both run on. */
export const RELEASE_PLATFORMS = ["linux-amd64", "linux-arm64", "darwin-amd64", "darwin-arm64", "windows-amd64"] as const;
export type ReleasePlatform = (typeof RELEASE_PLATFORMS)[number];

/** The oldest Node.js the plugin runs on: the package's `engines`. */
export const MIN_NODE = "20.18.0";

/** Pulumi's names for the platform (`linux-amd64`, `darwin-arm64`, `windows-amd64`). */
export function platformName(platform: string = process.platform, arch: string = process.arch): string {
  const os = platform === "win32" ? "windows" : platform;
  const cpu = arch === "x64" ? "amd64" : arch;
  return `${os}-${cpu}`;
}

export function tarballName(version = PLUGIN_VERSION, platform = platformName()): string {
  return `pulumi-resource-otcjobs-v${version}-${platform}.tar.gz`;
}

const BUNDLE = "pulumi-resource-otcjobs.js";

/** The first lines the bundle runs: a Node too old for it says so, instead of failing on syntax. */
const NODE_CHECK = `{const [a,b]=process.versions.node.split(".").map(Number),[x,y]=${JSON.stringify(MIN_NODE)}.split(".").map(Number);if(a<x||(a===x&&b<y)){process.stderr.write("pulumi-resource-otcjobs: needs Node.js ${MIN_NODE} or newer; "+process.execPath+" is "+process.version+" (set OTCJOBS_NODE to another node)\\n");process.exit(1)}}`;

/** POSIX launcher: `OTCJOBS_NODE`, else `node` on PATH; a clear error when neither is there. */
const SH_LAUNCHER = `#!/bin/sh
# pulumi-resource-otcjobs: the otcjobs Pulumi provider plugin. It runs on Node.js ${MIN_NODE} or newer.
node="\${OTCJOBS_NODE:-node}"
if ! command -v "$node" >/dev/null 2>&1; then
  echo "pulumi-resource-otcjobs: needs Node.js ${MIN_NODE} or newer, and found no '$node' on PATH; install Node.js or set OTCJOBS_NODE to its node executable" >&2
  exit 1
fi
exec "$node" "$(dirname "$0")/${BUNDLE}" "$@"
`;

const CMD_LAUNCHER = `@echo off\r
rem pulumi-resource-otcjobs: the otcjobs Pulumi provider plugin. It runs on Node.js ${MIN_NODE} or newer.\r
if "%OTCJOBS_NODE%"=="" (set "OTCJOBS_NODE=node")\r
where "%OTCJOBS_NODE%" >nul 2>nul || (echo pulumi-resource-otcjobs: needs Node.js ${MIN_NODE} or newer, and found no node on PATH; install Node.js or set OTCJOBS_NODE 1>&2 & exit /b 1)\r
"%OTCJOBS_NODE%" "%~dp0${BUNDLE}" %*\r
`;

export interface Packed {
  /** This machine's platform's tarball. */
  tarball: string;
  /** Every platform's. */
  tarballs: Record<ReleasePlatform, string>;
  bundle: string;
}

export async function pack(): Promise<Packed> {
  // esbuild is a build-time tool: loaded here only, never by the plugin.
  const esbuild = require("esbuild") as typeof import("esbuild");
  const common = join(PACK_DIR, "bundle");
  rmSync(common, { recursive: true, force: true });
  mkdirSync(common, { recursive: true });
  const bundle = join(common, BUNDLE);
  await esbuild.build({
    entryPoints: [join(ROOT, "dist", "plugin", "bin.js")],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    outfile: bundle,
    banner: { js: NODE_CHECK },
    // Minified: start-up is mostly parsing; names kept for stack traces and error classes.
    minify: true,
    keepNames: true,
    legalComments: "external",
    logLevel: "warning",
  });

  const tarballs = {} as Record<ReleasePlatform, string>;
  for (const platform of RELEASE_PLATFORMS) {
    const stage = join(PACK_DIR, "stage", platform);
    rmSync(stage, { recursive: true, force: true });
    mkdirSync(stage, { recursive: true });
    copyFileSync(bundle, join(stage, BUNDLE));
    copyFileSync(`${bundle}.LEGAL.txt`, join(stage, "pulumi-resource-otcjobs.LEGAL.txt"));
    copyFileSync(join(ROOT, "plugin", "schema.json"), join(stage, "schema.json"));
    copyFileSync(join(ROOT, "LICENSE"), join(stage, "LICENSE"));
    if (platform.startsWith("windows")) {
      writeFileSync(join(stage, "pulumi-resource-otcjobs.cmd"), CMD_LAUNCHER);
    } else {
      writeFileSync(join(stage, "pulumi-resource-otcjobs"), SH_LAUNCHER);
      chmodSync(join(stage, "pulumi-resource-otcjobs"), 0o755);
    }
    const tarball = join(PACK_DIR, tarballName(PLUGIN_VERSION, platform));
    execFileSync("tar", ["-czf", tarball, "-C", stage, "."]);
    tarballs[platform] = tarball;
  }
  const here = platformName() as ReleasePlatform;
  return { tarball: tarballs[here] ?? join(PACK_DIR, tarballName()), tarballs, bundle };
}

if (require.main === module) {
  pack().then(
    ({ tarball }) => process.stdout.write(`${tarball}\n`),
    (e: unknown) => {
      process.stderr.write(`plugin:pack: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
