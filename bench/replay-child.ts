/**
 * Client CPU per job with the network taken out: the emulator generates `jobs` DDM jobs in this
 * process, we serialize its list pages (exactly what it would send) once, close it, and replay them
 * through an undici MockAgent to the real `listDdmJobs`. So each run is the real code path (undici
 * request, JSON parse, zod validation, mapping and time normalization, pagination, de-duplication)
 * minus sockets. Two more loops split that figure:
 *   - `send`: the same pages through `client.send` only (dispatch + body read + JSON.parse),
 *   - `jsonParse`: `JSON.parse` of the page texts alone.
 * Each measured run starts from a collected heap (the driver passes --expose-gc), so it pays for
 * its own garbage and not for the previous run's; each loop runs on its own after a warm-up, and
 * the process's first listing is reported apart. Config (argv[2], JSON): `{ seed, jobs, runs }`.
 */
import { MockAgent } from "undici";
import { startEmulator } from "../emulator";
import { createClient, listDdmJobs } from "../provider";
import { childConfig, cpuMicros, failChild, median, toParent } from "./lib";

export interface ReplayChildConfig {
  seed: number;
  jobs: number;
  runs: number;
}

const PAGE = 128;
/** Listings before the measured ones, the first included. */
const LIST_WARM_UPS = 3;
const ORIGIN = "http://127.0.0.1:9";

/** The body the emulator's DDM list handler sends for each offset (the emulator is gone afterwards). */
async function recordPages(seed: number, jobs: number): Promise<{ pages: string[]; projectId: string }> {
  const emulator = await startEmulator({ seed, jobs: { ddm: jobs, dds: 0, drs: 0 } });
  const views = emulator.admin.jobs("ddm");
  await emulator.close();
  if (views.length !== jobs) throw new Error(`emulator seeded ${views.length} DDM jobs, expected ${jobs}`);
  const pages: string[] = [];
  for (let offset = 0; offset < jobs; offset += PAGE) {
    pages.push(JSON.stringify({ jobs: views.slice(offset, offset + PAGE), offset, limit: PAGE, total: jobs }));
  }
  return { pages, projectId: emulator.projectId };
}

const collectGarbage = (): void => (globalThis as { gc?: () => void }).gc?.();

async function main(): Promise<void> {
  const { seed, jobs, runs } = childConfig<ReplayChildConfig>();
  const { pages, projectId } = await recordPages(seed, jobs);
  const bytes = pages.reduce((n, p) => n + Buffer.byteLength(p), 0);

  const agent = new MockAgent({ connections: 16 });
  agent.disableNetConnect();
  agent
    .get(ORIGIN)
    .intercept({ path: (p) => p.startsWith(`/v3/${projectId}/jobs?`), method: "GET" })
    .reply(
      200,
      (opts) => {
        const offset = Number(new URLSearchParams(opts.path.slice(opts.path.indexOf("?") + 1)).get("offset"));
        return pages[offset / PAGE] ?? JSON.stringify({ jobs: [], total: jobs });
      },
      { headers: { "content-type": "application/json;charset=UTF-8" } },
    )
    .persist();
  const client = createClient({ projectId, token: "replay", endpoints: { ddm: ORIGIN }, dispatcher: agent });

  const list = async (): Promise<number> => {
    const cpu = process.cpuUsage();
    const r = await listDdmJobs(client, { startTime: "29d" });
    if (r.jobs.length !== jobs) throw new Error(`replay listed ${r.jobs.length} jobs, expected ${jobs}`);
    return cpuMicros(cpu) / jobs;
  };
  const send = async (): Promise<number> => {
    const cpu = process.cpuUsage();
    const call = client.newCall("ddm", "ListJobs");
    let n = 0;
    for (let offset = 0; offset < jobs; offset += PAGE) {
      const url = new URL(`${ORIGIN}/v3/${projectId}/jobs?offset=${offset}&limit=${PAGE}`);
      const res = await client.send({ method: "GET", url }, call);
      n += (res.json as { jobs: unknown[] }).jobs.length;
    }
    if (n !== jobs) throw new Error(`send loop read ${n} jobs`);
    return cpuMicros(cpu) / jobs;
  };
  const jsonParse = (): number => {
    const cpu = process.cpuUsage();
    let n = 0;
    for (const p of pages) n += (JSON.parse(p) as { jobs: unknown[] }).jobs.length;
    if (n !== jobs) throw new Error(`parse loop read ${n} jobs`);
    return cpuMicros(cpu) / jobs;
  };

  // Each loop runs on its own, after its own warm-up: run between listings, the send loop (which
  // calls the transport with other shapes of arguments) left them about 1.5 µs/job slower than
  // listings run one after another, which is what a program listing repeatedly does. The first
  // listing of the process (cold JIT, a heap still sizing itself) is reported on its own.
  const measured = async (loop: () => number | Promise<number>, warmUps: number): Promise<number[]> => {
    for (let i = 0; i < warmUps; i++) await loop();
    const out: number[] = [];
    for (let i = 0; i < runs; i++) {
      collectGarbage();
      out.push(await loop());
    }
    return out;
  };
  collectGarbage();
  const firstListUs = await list();
  const listUs = await measured(list, LIST_WARM_UPS - 1);
  const sendUs = await measured(send, 1);
  const parseUs = await measured(jsonParse, 1);
  await client.close();
  await agent.close();
  await toParent({
    type: "result",
    bytesPerJob: bytes / jobs,
    listUs: median(listUs),
    firstListUs,
    sendUs: median(sendUs),
    jsonParseUs: median(parseUs),
    listRuns: listUs,
  });
  process.exit(0);
}

main().catch(failChild);
