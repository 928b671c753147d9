/**
 * A stand-in server for one question: how close does the client come to the latency bound when the
 * server costs nothing? It records the emulator's DDM list pages once (same seed, same bodies),
 * then answers `GET .../jobs?offset=` with the recorded page after `latencyMs`, doing no other work.
 * Config (argv[2], JSON): `{ seed, jobs, latencyMs }`. Replies `ready` with its base URL; answers `cpu`
 * (its CPU time, µs, and request count) and `close`.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { startEmulator } from "../emulator";
import { childConfig, failChild, toParent, type ChildMessage } from "./lib";

export interface ReplayServerConfig {
  seed: number;
  jobs: number;
  latencyMs: number;
}

const PAGE = 128;

async function main(): Promise<void> {
  const { seed, jobs, latencyMs } = childConfig<ReplayServerConfig>();
  const emulator = await startEmulator({ seed, jobs: { ddm: jobs, dds: 0, drs: 0 } });
  const views = emulator.admin.jobs("ddm");
  const projectId = emulator.projectId;
  await emulator.close();
  const pages: Buffer[] = [];
  for (let offset = 0; offset < jobs; offset += PAGE) {
    pages.push(Buffer.from(JSON.stringify({ jobs: views.slice(offset, offset + PAGE), offset, limit: PAGE, total: jobs })));
  }
  const empty = Buffer.from(JSON.stringify({ jobs: [], total: jobs }));

  const server = createServer((req, res) => {
    const query = (req.url ?? "").split("?")[1] ?? "";
    const offset = Number(new URLSearchParams(query).get("offset") ?? 0);
    const body = pages[offset / PAGE] ?? empty;
    setTimeout(() => {
      res.writeHead(200, { "content-type": "application/json;charset=UTF-8", "content-length": body.length });
      res.end(body);
    }, latencyMs);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const close = (): void => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  };
  let requests = 0;
  server.on("request", () => requests++);
  process.on("message", (raw) => {
    const m = raw as ChildMessage;
    if (m.type === "close") close();
    else if (m.type === "cpu") {
      const cpu = process.cpuUsage();
      void toParent({ id: m.id, type: "cpu", cpuUs: cpu.user + cpu.system, requests });
    }
  });
  process.on("disconnect", close);
  await toParent({ type: "ready", endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, projectId });
}

main().catch(failChild);
