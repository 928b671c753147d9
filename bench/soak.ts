/**
 * `npm run soak [-- --minutes N]` (default 10): listings and waits, one after another, against an
 * emulator (in its own process) that answers 20% of requests 503, resets 5% of connections, and
 * every 30 s throttles for 3 s (a burst of 429 APIGW.0308 with Retry-After: 1). Reports calls made,
 * HTTP attempts retried, calls failed, jobs lost (a job the emulator held that a listing did not
 * return; must be 0), and this process's RSS at the start and the end (after a GC), then writes
 * bench/SOAK.md, which `npm run bench` copies into RESULTS.md.
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createClient, listDdmJobs, listDdsJobs, listDrsJobs, waitForJobs } from "../provider";
import type { EmulatorChildConfig } from "./emulator-child";
import { Child, machine } from "./lib";
import type { ListChildConfig } from "./list-child";

const BASE_FAULTS = { errorRate: 0.2, errorStatuses: [503], resetRate: 0.05, services: ["ddm", "dds", "drs"] };
const BURST_EVERY_MS = 30_000;
const BURST_MS = 3_000;
const REPO = path.resolve(__dirname, "..", "..");

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const memory = (): { rss: number; heap: number } => {
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss / 2 ** 20, heap: m.heapUsed / 2 ** 20 };
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { minutes: { type: "string" } }, strict: true });
  const minutes = values.minutes === undefined ? 10 : Number(values.minutes);
  if (!Number.isFinite(minutes) || minutes <= 0 || minutes > 24 * 60) throw new RangeError(`--minutes must be a number from 0 to 1440, got ${values.minutes}`);
  const emulator = Child.start("emulator-child", { seed: 9, jobs: { ddm: 2_000, dds: 1_000, drs: 1_500 } } satisfies EmulatorChildConfig);
  const counts = { calls: 0, attempts: 0, retried: 0, failed: 0, lost: 0, listings: 0, waits: 0, jobsListed: 0, bursts: 0 };
  const failures = new Map<string, number>();
  let burstTimer: NodeJS.Timeout | undefined;
  try {
    const ready = await emulator.next("ready");
    const client = createClient({
      projectId: ready.projectId as string,
      token: ready.token as string,
      endpoints: ready.endpoints as ListChildConfig["endpoints"],
      retry: { maxRetries: 8 },
      logger: (e) => {
        counts.attempts++;
        if (e.retryInMs !== undefined) counts.retried++;
      },
    });
    await emulator.request("faults", { faults: BASE_FAULTS });
    // 429 bursts: every 30 s, three seconds in which half the requests are throttled.
    let bursting = false;
    const toggle = (): void => {
      bursting = !bursting;
      if (bursting) counts.bursts++;
      void emulator
        .request("faults", { faults: bursting ? { ...BASE_FAULTS, throttleRate: 0.5, retryAfterSeconds: 1 } : BASE_FAULTS })
        .catch(() => undefined);
      burstTimer = setTimeout(toggle, bursting ? BURST_MS : BURST_EVERY_MS - BURST_MS);
    };
    burstTimer = setTimeout(toggle, BURST_EVERY_MS - BURST_MS);

    const call = async <T>(label: string, fn: () => Promise<T>): Promise<T | undefined> => {
      counts.calls++;
      try {
        return await fn();
      } catch (e) {
        counts.failed++;
        const key = `${label}: ${e instanceof Error ? `${e.name} ${(e as { code?: string }).code ?? ""}` : String(e)}`;
        failures.set(key, (failures.get(key) ?? 0) + 1);
        return undefined;
      }
    };

    // One warm cycle before the start figure, so the start RSS includes the code and pools in use.
    let start = { rss: 0, heap: 0 };
    const endAt = Date.now() + minutes * 60_000;
    const started = Date.now();
    for (let cycle = 0; Date.now() < endAt || cycle === 0; cycle++) {
      const want = await emulator.request("ids");
      const listings: Array<[string, string[], () => Promise<Array<{ id: string }>>]> = [
        ["ddm", want.ddm as string[], async () => (await listDdmJobs(client, { startTime: "29d" })).jobs],
        ["dds", want.dds as string[], async () => (await listDdsJobs(client, { startTime: "29d" })).jobs],
        ["drs", want.drs as string[], async () => (await listDrsJobs(client, { dbUseType: "migration" })).jobs],
      ];
      for (const [service, expected, list] of listings) {
        const got = await call(`list ${service}`, list);
        counts.listings++;
        if (!got) continue; // a failed call is counted as failed, not as lost jobs
        counts.jobsListed += got.length;
        const ids = new Set(got.map((j) => j.id));
        counts.lost += expected.filter((id) => !ids.has(id)).length;
      }
      // A wait: a DDS job that runs for two seconds, waited for until it succeeds.
      const added = await emulator.request("addJob", { service: "dds", input: { timeline: { runForMs: 2_000, outcome: "Completed" } } });
      counts.waits++;
      await call("wait dds", () =>
        waitForJobs(client, { service: "dds", ids: [added.jobId as string] }, {}, { maxWaitMs: 60_000, maxDelayMs: 1_000 }),
      );
      if (cycle === 0) start = memory();
    }
    const end = memory();
    const elapsedMin = (Date.now() - started) / 60_000;
    clearTimeout(burstTimer);
    const stats = (await emulator.request("stats")).stats as { requests: { total: number }; faults: { reset: number; throttle: number; error: number } };
    await client.close();

    const m = machine();
    const lines = [
      `Soak (\`npm run soak -- --minutes ${minutes}\`), ${new Date().toISOString()}, ${m.cpus}, node ${m.node}, load average ${os.loadavg()[0]!.toFixed(2)} at the end:`,
      `${elapsedMin.toFixed(1)} min of listings (DDM 2,000, DDS 1,000, DRS migrations) and waits against an emulator injecting 20% 503 and`,
      `5% connection resets, with a 3 s burst of 50% 429 APIGW.0308 (Retry-After: 1) every 30 s.`,
      "",
      "| figure | value |",
      "|---|---|",
      `| calls made (listings + waits) | ${counts.calls} (${counts.listings} listings, ${counts.waits} waits) |`,
      `| HTTP attempts / retried | ${counts.attempts} / ${counts.retried} |`,
      `| emulator: requests, 503s, resets, 429s | ${stats.requests.total}, ${stats.faults.error}, ${stats.faults.reset}, ${stats.faults.throttle} |`,
      `| 429 bursts | ${counts.bursts} |`,
      `| calls failed | ${counts.failed}${failures.size ? ` (${[...failures].map(([k, v]) => `${k} x${v}`).join("; ")})` : ""} |`,
      `| jobs listed / jobs lost | ${counts.jobsListed} / ${counts.lost} |`,
      `| RSS at start (after the first cycle, after GC) / at the end | ${start.rss.toFixed(0)} MB / ${end.rss.toFixed(0)} MB |`,
      `| JS heap in use at start / at the end (after GC) | ${start.heap.toFixed(1)} MB / ${end.heap.toFixed(1)} MB |`,
    ];
    const text = `${lines.join("\n")}\n`;
    writeFileSync(path.join(REPO, "bench", "SOAK.md"), text);
    console.log(text);
    if (counts.lost > 0) process.exitCode = 1;
  } finally {
    clearTimeout(burstTimer);
    await emulator.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
