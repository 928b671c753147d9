/**
 * Pagination against servers that misbehave (fake loopback servers, bounded): a total that lies, an
 * ignored offset, DDS without total_count that also ignores offset, and a token that expires in
 * the middle of a listing. Each listing must send at most a few requests more than the real pages
 * and end well within its deadline, whatever the server claims.
 */
import type { ServerResponse } from "node:http";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { createClient, listDdmJobs, listDdsJobs, listDrsJobs, paginateDdmJobs } from "../../provider";
import { DEFAULT_PROJECT_ID, DEFAULT_USER } from "../../emulator";
import { json, scriptedServer } from "../helpers/scripted-server";

const DEADLINE_MS = 10_000;
/** Pages a listing may read past the real ones: the adaptive window's first read-ahead (2 x 8) and one. */
const FEW = 2 * 8 + 1;

function ddmJob(n: number): Record<string, unknown> {
  const at = new Date(Date.now() - 3_600_000 - n * 1000).toISOString().replace(/\.\d+Z$/, "+0000");
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    name: "CreateInstance",
    status: "Completed",
    created_time: at,
    end_time: at,
    process: "",
    instance_name: "ddm-hostile",
    instance_id: "733c7e8d73a54c27b8308ec784a8be8cin09",
    operations: [],
    database_name: "",
    fail_reason: "",
  };
}

function ddsJob(n: number): Record<string, unknown> {
  const at = new Date(Date.now() - 3_600_000 - n * 1000).toISOString().replace(/\.\d+Z$/, "+0000");
  return {
    id: `00000000-0000-4000-9000-${String(n).padStart(12, "0")}`,
    name: "RestartReplicaSetInstance",
    instance_id: "6e3b0c5a1f9d4e2c8b7a6d5e4f3c2b1ain02",
    instance_name: "dds-hostile",
    status: "Completed",
    progress: "",
    fail_reason: "",
    created_at: at,
    ended_at: at,
  };
}

const JOBS = 300;
const ddmJobs = Array.from({ length: JOBS }, (_, i) => ddmJob(i));
const ddsJobs = Array.from({ length: JOBS }, (_, i) => ddsJob(i));

function paging(url: string): { offset: number; limit: number } {
  const q = new URL(url, "http://x").searchParams;
  return { offset: Number(q.get("offset") ?? 0), limit: Number(q.get("limit") ?? 10) };
}

function clientOn(endpoint: { ddm?: string; dds?: string }) {
  return createClient({ projectId: DEFAULT_PROJECT_ID, token: "t", endpoints: endpoint, deadlineMs: DEADLINE_MS, retry: { maxRetries: 2, baseDelayMs: 5 } });
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await fn();
  return { value, ms: Date.now() - started };
}

/** Collects the warnings a listing gives through `process.emitWarning` (the CLI prints them on stderr). */
function captureWarnings(): { warnings: string[]; stop(): void } {
  const warnings: string[] = [];
  const spy = jest.spyOn(process, "emitWarning").mockImplementation((w: string | Error) => void warnings.push(String(w)));
  return { warnings, stop: () => spy.mockRestore() };
}

describe("hostile servers: pagination stops", () => {
  it("a total that lies (1e9 for 300 jobs): every job once, a few requests, a warning", async () => {
    const server = await scriptedServer((req, res: ServerResponse) => {
      const { offset, limit } = paging(req.url);
      json(res, 200, { jobs: ddmJobs.slice(offset, offset + limit), offset, limit, total: 1e9 });
    });
    const client = clientOn({ ddm: server.url });
    const w = captureWarnings();
    try {
      const { value, ms } = await timed(() => listDdmJobs(client, { startTime: "1d", pageSize: 100 }));
      expect(value.jobs).toHaveLength(JOBS);
      expect(new Set(value.jobs.map((j) => j.id)).size).toBe(JOBS);
      expect(server.requests.length).toBeLessThanOrEqual(3 + 1 + FEW);
      expect(ms).toBeLessThan(DEADLINE_MS);
      expect(w.warnings).toEqual([expect.stringMatching(/^DDM ListJobs: the server reported 1000000000 jobs but page 4 held 0 of 100/)]);
    } finally {
      w.stop();
      await client.close();
      await server.close();
    }
  });

  it.each([[1e9], [JOBS], [undefined]])("a server that ignores offset (total %p): the first page once, then a stop with a warning", async (total) => {
    const server = await scriptedServer((req, res) => {
      const { limit } = paging(req.url);
      json(res, 200, { jobs: ddmJobs.slice(0, limit), offset: 0, limit, ...(total === undefined ? {} : { total }) });
    });
    const client = clientOn({ ddm: server.url });
    const w = captureWarnings();
    try {
      const { value, ms } = await timed(() => listDdmJobs(client, { startTime: "1d", pageSize: 100 }));
      expect(value.jobs.map((j) => j.id)).toEqual(ddmJobs.slice(0, 100).map((j) => j.id));
      expect(server.requests.length).toBeLessThanOrEqual(2 + FEW);
      expect(ms).toBeLessThan(DEADLINE_MS);
      expect(w.warnings).toEqual([expect.stringMatching(/^DDM ListJobs: page 2 \(offset 100\) brought no job not already seen: the server seems to ignore offset/)]);
    } finally {
      w.stop();
      await client.close();
      await server.close();
    }
  });

  it("DDS without total_count that ignores offset (real DDS's shape): ends at once instead of running out of memory", async () => {
    const server = await scriptedServer((req, res) => {
      const { limit } = paging(req.url);
      json(res, 200, { jobs: ddsJobs.slice(0, limit) });
    });
    const client = clientOn({ dds: server.url });
    const w = captureWarnings();
    try {
      const { value, ms } = await timed(() => listDdsJobs(client, { startTime: "1d", pageSize: 100 }));
      expect(value.jobs).toHaveLength(100);
      expect(server.requests.length).toBeLessThanOrEqual(2 + FEW);
      expect(ms).toBeLessThan(DEADLINE_MS);
      expect(w.warnings).toEqual([expect.stringMatching(/^DDS ListJobs: page 2 .* ignore offset/)]);
    } finally {
      w.stop();
      await client.close();
      await server.close();
    }
  });

  it("DDS without total_count that honours offset: every job once, one empty page past the end at most a few", async () => {
    const server = await scriptedServer((req, res) => {
      const { offset, limit } = paging(req.url);
      json(res, 200, { jobs: ddsJobs.slice(offset, offset + limit) });
    });
    const client = clientOn({ dds: server.url });
    try {
      const { value } = await timed(() => listDdsJobs(client, { startTime: "1d", pageSize: 100 }));
      expect(value.jobs).toHaveLength(JOBS);
      expect(server.requests.length).toBeLessThanOrEqual(4 + FEW);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it("a server whose offset is ignored and whose total keeps moving: TooManyRequestsError, not a flood", async () => {
    let total = 1000;
    const server = await scriptedServer((req, res) => {
      const { limit } = paging(req.url);
      json(res, 200, { jobs: ddmJobs.slice(0, limit), offset: 0, limit, total: total++ });
    });
    const client = clientOn({ ddm: server.url });
    try {
      const error = await listDdmJobs(client, { startTime: "1d", pageSize: 10, concurrency: 2 }).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: "TooManyRequestsError", code: "OTCJOBS_TOO_MANY_REQUESTS", service: "ddm" });
      expect(server.requests.length).toBeLessThanOrEqual(20);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it("a page that fails stops the listing: the pages after it are never requested", async () => {
    const server = await scriptedServer((req, res) => {
      const { offset, limit } = paging(req.url);
      if (offset === 200) return json(res, 400, { error_code: "DBS.280001", error_msg: "Parameter error" });
      json(res, 200, { jobs: ddmJobs.concat(ddmJobs.map((j, i) => ddmJob(i + JOBS))).slice(offset, offset + limit), offset, limit, total: 5000 });
    });
    const client = clientOn({ ddm: server.url });
    try {
      const pages = paginateDdmJobs(client, { startTime: "1d", pageSize: 100, concurrency: 3 });
      await expect((async () => { for await (const _ of pages); })()).rejects.toMatchObject({ status: 400, apiCode: "DBS.280001" });
      // Page 3 (offset 200) failed at once; at most the pages already in flight ran besides it.
      expect(server.requests.length).toBeLessThanOrEqual(1 + 2 * 3);
    } finally {
      await client.close();
      await server.close();
    }
  });
});

describe("hostile servers: a token that expires in the middle of a listing", () => {
  let emu: RunningEmulator;
  beforeAll(async () => {
    emu = await startEmulator({ clock: "manual", seed: 11, jobs: { ddm: 0, dds: 0, drs: 2_000 }, faults: { latencyMs: 15, services: ["drs"] } });
  });
  afterAll(() => emu.close());

  it("IAM password auth: the listing re-authenticates once or a few times and returns every job once", async () => {
    const client = createClient({
      userName: DEFAULT_USER.name,
      password: DEFAULT_USER.password,
      domainName: DEFAULT_USER.domain,
      projectId: emu.projectId,
      endpoints: emu.endpoints,
      deadlineMs: DEADLINE_MS,
      retry: { baseDelayMs: 5 },
    });
    const want = emu.admin.jobs("drs").filter((j) => j.db_use_type === "migration").map((j) => j.id);
    try {
      const listing = timed(() => listDrsJobs(client, { dbUseType: "migration", pageSize: 20 }));
      // Once the first page is in, every token issued so far expires (tokens live 24 h).
      while (emu.admin.stats().requests.byService.drs < 2) await new Promise((r) => setTimeout(r, 2));
      emu.admin.advance(25 * 3_600_000);
      const { value, ms } = await listing;
      const s = emu.admin.stats();
      expect(value.jobs.map((j) => j.id).sort()).toEqual([...want].sort());
      const pages = Math.ceil(want.length / 20);
      // Every page at most once more (its 401), plus a few past the end.
      expect(s.requests.byService.drs).toBeLessThanOrEqual(2 * pages + FEW);
      expect(s.responses["401"]).toBeGreaterThan(0);
      expect(s.auth.tokensIssued).toBeGreaterThanOrEqual(2);
      expect(s.auth.tokensIssued).toBeLessThanOrEqual(1 + 16);
      expect(ms).toBeLessThan(DEADLINE_MS);
    } finally {
      await client.close();
    }
  });
});

describe("concurrency", () => {
  /** The first page, then exactly two waves of 64 pages of 50. */
  const TOTAL = 50 * (1 + 2 * 64);

  /** A server that holds each page until `want` are in flight (or a second passed), recording the peak. */
  async function gatheringServer(want: number) {
    let inFlight = 0;
    let peak = 0;
    const held: Array<() => void> = [];
    const server = await scriptedServer((req, res) => {
      const { offset, limit } = paging(req.url);
      inFlight++;
      peak = Math.max(peak, inFlight);
      const answer = (): void => {
        inFlight--;
        json(res, 200, { jobs: Array.from({ length: Math.max(0, Math.min(limit, TOTAL - offset)) }, (_, i) => ddmJob(offset + i)), offset, limit, total: TOTAL });
      };
      if (offset === 0) return answer();
      held.push(answer);
      const release = (): void => void held.splice(0).forEach((f) => f());
      if (inFlight >= want) release();
      else setTimeout(release, 1_000);
    });
    return { server, peak: () => peak };
  }

  it("a per-call concurrency of 64 is honoured exactly: 64 pages in flight, never more", async () => {
    const { server, peak } = await gatheringServer(64);
    const client = clientOn({ ddm: server.url });
    try {
      const r = await listDdmJobs(client, { startTime: "1d", pageSize: 50, concurrency: 64 });
      expect(r.jobs).toHaveLength(TOTAL);
      expect(peak()).toBe(64);
      expect(server.requests).toHaveLength(1 + 2 * 64);
    } finally {
      await client.close();
      await server.close();
    }
  });
});
