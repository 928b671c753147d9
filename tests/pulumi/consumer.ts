/**
 * A consumer's program directory with the package installed from its `npm pack` tarball, as a user
 * installs it: `node_modules/pulumi-otc-jobs` is the extracted tarball; its dependencies (and the
 * `@pulumi/pulumi` peer) are linked from this repository's node_modules, since tests cannot reach
 * the registry. Built once per test file.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const ROOT = join(__dirname, "..", "..");

export interface Consumer {
  dir: string;
  tarball: string;
  remove(): void;
}

/** Packs the package (without re-running the build: `npm test` built `dist/`) into `dest`. */
export function packPackage(dest: string): string {
  const out = execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dest], { cwd: ROOT, encoding: "utf8" });
  return join(dest, (JSON.parse(out) as Array<{ filename: string }>)[0]!.filename);
}

export function packedConsumer(extraLinks: string[] = []): Consumer {
  const dir = mkdtempSync(join(tmpdir(), "otcjobs-consumer-"));
  const tarball = packPackage(dir);
  const pkgDir = join(dir, "node_modules", "pulumi-otc-jobs");
  mkdirSync(pkgDir, { recursive: true });
  execFileSync("tar", ["-xzf", tarball, "-C", pkgDir, "--strip-components=1"]);
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  for (const dep of [...Object.keys(pkg.dependencies), "@pulumi/pulumi", ...extraLinks]) {
    const target = join(dir, "node_modules", dep);
    mkdirSync(join(target, ".."), { recursive: true });
    symlinkSync(join(ROOT, "node_modules", dep), target, "dir");
  }
  return { dir, tarball, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
