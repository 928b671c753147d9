/**
 * `npm run plugin:pack`'s tarball, as `pulumi plugin install resource otcjobs <version> --file <tgz>`
 * installs it: extracted into an empty directory (no node_modules anywhere near), the executable at
 * its root runs the whole conformance suite.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { conformanceSuite } from "./conformance";
import { ROOT } from "./plugin-harness";

let dir: string;
let executable: string;

beforeAll(async () => {
  // The compiled packer, as `npm run plugin:pack` runs it (npm test has built dist/).
  const { pack, tarballName } = require(join(ROOT, "dist", "plugin", "pack.js"));
  const { tarball } = await pack();
  expect(tarball.endsWith(tarballName())).toBe(true);
  expect(tarballName()).toMatch(/^pulumi-resource-otcjobs-v\d+\.\d+\.\d+-(linux|darwin|windows)-(amd64|arm64)\.tar\.gz$/);
  dir = mkdtempSync(join(tmpdir(), "otcjobs-plugin-"));
  execFileSync("tar", ["-xzf", tarball, "-C", dir]);
  executable = join(dir, "pulumi-resource-otcjobs");
}, 120_000);
afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

it("holds the executable at the archive root, self-contained", () => {
  expect(readdirSync(dir).sort()).toEqual(["pulumi-resource-otcjobs", "pulumi-resource-otcjobs.LEGAL.txt", "schema.json"]);
  expect(statSync(executable).mode & 0o111).not.toBe(0);
  expect(existsSync(join(dir, "node_modules"))).toBe(false);
});

conformanceSuite("packed tarball", () => executable);
