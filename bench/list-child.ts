/**
 * Lists every DDM job once from an emulator running in another process, then reports its own peak
 * RSS (`process.resourceUsage().maxRSS`, the whole life of this process), the client-side CPU time
 * of the listing, and the wall time. Config (argv[2], JSON): `{ endpoints, projectId, token, expected,
 * stream? }`. With `stream`, the jobs are counted page by page as they arrive and not held (how a
 * caller reads a listing too big to keep); the paginator still remembers every id to drop repeats.
 */
import { createClient, listDdmJobs, paginateDdmJobs } from "../provider";
import { childConfig, cpuMicros, elapsedMs, failChild, toParent } from "./lib";

export interface ListChildConfig {
  endpoints: { ddm: string; dds: string; drs: string; iam: string };
  projectId: string;
  token: string;
  expected: number;
  stream?: boolean;
}

async function streamed(config: ListChildConfig): Promise<void> {
  const client = createClient({ projectId: config.projectId, token: config.token, endpoints: config.endpoints });
  const rssBeforeKb = Math.round(process.memoryUsage().rss / 1024);
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  let jobs = 0;
  for await (const page of paginateDdmJobs(client, { startTime: "29d" })) jobs += page.length;
  const wallMs = elapsedMs(started);
  const cpuUs = cpuMicros(cpu);
  const maxRssKb = process.resourceUsage().maxRSS;
  if (jobs !== config.expected) throw new Error(`streamed ${jobs} jobs, expected ${config.expected}`);
  await client.close();
  await toParent({ type: "result", jobs, wallMs, cpuUs, maxRssKb, rssBeforeKb });
  process.exit(0);
}

async function main(): Promise<void> {
  const config = childConfig<ListChildConfig>();
  if (config.stream) return streamed(config);
  const client = createClient({ projectId: config.projectId, token: config.token, endpoints: config.endpoints });
  const rssBeforeKb = Math.round(process.memoryUsage().rss / 1024);
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const result = await listDdmJobs(client, { startTime: "29d" });
  const wallMs = elapsedMs(started);
  const cpuUs = cpuMicros(cpu);
  // Measured while the result is still held, as a caller would hold it.
  const maxRssKb = process.resourceUsage().maxRSS;
  if (result.jobs.length !== config.expected || new Set(result.jobs.map((j) => j.id)).size !== config.expected) {
    throw new Error(`listed ${result.jobs.length} jobs, expected ${config.expected} distinct`);
  }
  await client.close();
  await toParent({ type: "result", jobs: result.jobs.length, wallMs, cpuUs, maxRssKb, rssBeforeKb });
  process.exit(0);
}

main().catch(failChild);
