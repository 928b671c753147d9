/**
 * `npm run plugin:pack`: bundles the plugin into one file (esbuild; the core, grpc-js and the
 * protobuf stubs inlined, so it needs nothing but Node 20) and writes
 * `build/plugin/pulumi-resource-otcjobs-v<version>-<os>-<arch>.tar.gz` with the executable at the
 * archive root, the layout `pulumi plugin install resource otcjobs <version> --file <tarball>` takes.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { PLUGIN_VERSION } from "./version";

const ROOT = join(__dirname, "..", "..");
export const PACK_DIR = join(ROOT, "build", "plugin");

/** Pulumi's names for the platform (`linux-amd64`, `darwin-arm64`, `windows-amd64`). */
export function platformName(platform: string = process.platform, arch: string = process.arch): string {
  const os = platform === "win32" ? "windows" : platform;
  const cpu = arch === "x64" ? "amd64" : arch;
  return `${os}-${cpu}`;
}

export function tarballName(version = PLUGIN_VERSION): string {
  return `pulumi-resource-otcjobs-v${version}-${platformName()}.tar.gz`;
}

export async function pack(): Promise<{ tarball: string; bundle: string }> {
  // esbuild is a build-time tool: loaded here only, never by the plugin.
  const esbuild = require("esbuild") as typeof import("esbuild");
  const stage = join(PACK_DIR, "stage");
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  const bundle = join(stage, "pulumi-resource-otcjobs");
  await esbuild.build({
    entryPoints: [join(ROOT, "dist", "plugin", "bin.js")],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    outfile: bundle,
    banner: { js: "#!/usr/bin/env node" },
    // Minified: start-up is mostly parsing; names kept for stack traces and error classes.
    minify: true,
    keepNames: true,
    legalComments: "external",
    logLevel: "warning",
  });
  chmodSync(bundle, 0o755);
  copyFileSync(join(ROOT, "plugin", "schema.json"), join(stage, "schema.json"));
  const tarball = join(PACK_DIR, tarballName());
  execFileSync("tar", ["-czf", tarball, "-C", stage, "."]);
  return { tarball, bundle };
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
