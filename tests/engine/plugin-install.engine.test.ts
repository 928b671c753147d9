/**
 * The release tarballs as the real CLI finds them by name: `pulumi plugin install resource otcjobs
 * <version> --server <url>` asks `<url>/pulumi-resource-otcjobs-v<version>-<os>-<arch>.tar.gz`, as it does
 * under a schema's `pluginDownloadURL` (here a loopback server standing in for the release's host).
 */
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { ok, pluginTarball, pulumi, ROOT, type Pulumi } from "./harness";

const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;
let p: Pulumi;
let server: Server;
const asked: string[] = [];

beforeAll(async () => {
  p = await pulumi();
  const dir = join(pluginTarball(), "..");
  server = createServer((req, res) => {
    asked.push(req.url ?? "");
    const file = join(dir, basename(req.url ?? ""));
    if (!existsSync(file)) return void res.writeHead(404).end();
    // As a release host answers: the CLI checks the length it was told against what it received.
    res.writeHead(200, { "content-type": "application/gzip", "content-length": statSync(file).size });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
}, 1_800_000);
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  p?.remove();
});

it("installs the plugin from a download server by the release's tarball name", async () => {
  const home = mkdtempSync(join(tmpdir(), "otcjobs-plugin-home-"));
  try {
    const env = { ...p.env, PULUMI_HOME: home };
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await ok(join(p.tools, "bin", "pulumi"), ["plugin", "install", "resource", "otcjobs", VERSION, "--server", url], { env });
    expect(asked).toContain(`/pulumi-resource-otcjobs-v${VERSION}-linux-amd64.tar.gz`);
    const listed = JSON.parse((await ok(join(p.tools, "bin", "pulumi"), ["plugin", "ls", "--json"], { env })).stdout) as Array<{ name: string; kind: string; version: string }>;
    expect(listed).toEqual([expect.objectContaining({ name: "otcjobs", kind: "resource", version: VERSION })]);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}, 300_000);
