/**
 * `npm run plugin:pack`'s tarball, as `pulumi plugin install resource otcjobs <version> --file <tgz>`
 * installs it: extracted into an empty directory (no node_modules anywhere near), the executable at
 * its root runs the whole conformance suite.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { conformanceSuite } from "./conformance";
import { ROOT } from "./plugin-harness";

let dir: string;
let executable: string;
let tarballs: Record<string, string>;

beforeAll(async () => {
  // The compiled packer, as `npm run plugin:pack` runs it (npm test has built dist/).
  const { pack, tarballName } = require(join(ROOT, "dist", "plugin", "pack.js"));
  const packed = await pack();
  const { tarball } = packed;
  tarballs = packed.tarballs;
  expect(tarball.endsWith(tarballName())).toBe(true);
  expect(tarballName()).toMatch(/^pulumi-resource-otcjobs-v\d+\.\d+\.\d+-(linux|darwin|windows)-(amd64|arm64)\.tar\.gz$/);
  dir = mkdtempSync(join(tmpdir(), "otcjobs-plugin-"));
  execFileSync("tar", ["-xzf", tarball, "-C", dir]);
  executable = join(dir, "pulumi-resource-otcjobs");
}, 120_000);
afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

it("holds the launcher, the bundle, the schema and the licenses at the archive root, no node_modules", () => {
  expect(readdirSync(dir).sort()).toEqual(["LICENSE", "pulumi-resource-otcjobs", "pulumi-resource-otcjobs.LEGAL.txt", "pulumi-resource-otcjobs.js", "schema.json"]);
  expect(statSync(executable).mode & 0o111).not.toBe(0);
  expect(existsSync(join(dir, "node_modules"))).toBe(false);
});

it("is released for every platform Pulumi and Node 20 share, each named as the CLI looks it up", () => {
  expect(Object.keys(tarballs).sort()).toEqual(["darwin-amd64", "darwin-arm64", "linux-amd64", "linux-arm64", "windows-amd64"]);
  for (const [platform, tarball] of Object.entries(tarballs)) {
    expect(tarball).toMatch(new RegExp(`/pulumi-resource-otcjobs-v\\d+\\.\\d+\\.\\d+-${platform}\\.tar\\.gz$`));
    const listing = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).split("\n").filter(Boolean).sort();
    const launcher = platform.startsWith("windows") ? "./pulumi-resource-otcjobs.cmd" : "./pulumi-resource-otcjobs";
    expect(listing).toEqual(expect.arrayContaining([launcher, "./pulumi-resource-otcjobs.js", "./schema.json"]));
  }
});

it("says plainly that it needs Node.js when there is none on PATH", () => {
  const r = spawnSync(executable, ["127.0.0.1:1"], { env: { PATH: "/nonexistent" }, encoding: "utf8" });
  expect(r.status).toBe(1);
  expect(r.stdout).toBe("");
  expect(r.stderr).toBe("pulumi-resource-otcjobs: needs Node.js 20.18.0 or newer, and found no 'node' on PATH; install Node.js or set OTCJOBS_NODE to its node executable\n");
  const named = spawnSync(executable, ["127.0.0.1:1"], { env: { PATH: "/nonexistent", OTCJOBS_NODE: "/opt/none/node" }, encoding: "utf8" });
  expect(named.stderr).toContain("found no '/opt/none/node'");
});

conformanceSuite("packed tarball", () => executable);
