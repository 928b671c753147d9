import {
  createClient,
  getDdmJob,
  getDdsJob,
  listDdmJobs,
  listDdsJobs,
  listDrsJobs,
  OtcApiError,
  paginateDdmJobs,
  type Client,
} from "../../provider";
import { startEmulator, type RunningEmulator } from "../../emulator";

const JOBS = 1100;
let emulator: RunningEmulator;
let client: Client;
let requests: string[];

beforeAll(async () => {
  // With DDS's total, so the request count is exact (without it the listing reads a few pages ahead).
  emulator = await startEmulator({ seed: 42, jobs: JOBS, ddsOmitTotalCount: false });
  requests = [];
  client = createClient({
    projectId: emulator.projectId,
    token: emulator.token,
    endpoints: emulator.endpoints,
    logger: (e) => requests.push(`${e.service} ${e.method} ${e.path}`),
  });
});
afterAll(async () => {
  await client.close();
  await emulator.close();
});
beforeEach(() => {
  requests.length = 0;
});

const ids = (jobs: Array<{ id: string }>) => jobs.map((j) => j.id);
const sorted = (a: string[]) => [...a].sort();
const rawIds = (service: "ddm" | "dds" | "drs", keep: (j: Record<string, unknown>) => boolean = () => true) =>
  (emulator.admin.jobs(service) as Array<Record<string, unknown>>).filter(keep).map((j) => String(j.id));

describe("every page, each job once", () => {
  it("DDM: 1,100 jobs over 128-job pages", async () => {
    const r = await listDdmJobs(client, { startTime: "29d" });
    expect(r.jobs.length).toBe(JOBS);
    expect(new Set(ids(r.jobs)).size).toBe(JOBS);
    expect(sorted(ids(r.jobs))).toEqual(sorted(rawIds("ddm")));
    expect(r.total).toBe(JOBS);
    expect(requests).toHaveLength(Math.ceil(JOBS / 128));
    expect(requests.every((p) => /limit=128/.test(p))).toBe(true);
    // The API's order (newest first) survives the parallel fetch.
    const created = r.jobs.map((j) => j.createdTime);
    expect(created).toEqual([...created].sort().reverse());
  });

  it("DDM streamed to a reader slower than the listing's deadline: every job once, no deadline error", async () => {
    // A CLI writing to a pipe nobody reads for a while: the time the reader holds a page is not the
    // server's, so it must not use up the listing's deadline (here 1.5 s against ~2.2 s of reading;
    // one page in flight, so the read-ahead cannot finish the listing before the reader is done).
    const slow = createClient({ projectId: emulator.projectId, token: emulator.token, endpoints: emulator.endpoints, deadlineMs: 1_500 });
    try {
      const got: string[] = [];
      for await (const page of paginateDdmJobs(slow, { startTime: "29d", pageSize: 100, concurrency: 1 })) {
        got.push(...ids(page));
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(got).toHaveLength(JOBS);
      expect(sorted(got)).toEqual(sorted(rawIds("ddm")));
    } finally {
      await slow.close();
    }
  });

  it("DDS: 1,100 jobs over 100-job pages", async () => {
    const r = await listDdsJobs(client, { startTime: "29d" });
    expect(sorted(ids(r.jobs))).toEqual(sorted(rawIds("dds")));
    expect(new Set(ids(r.jobs)).size).toBe(r.jobs.length);
    expect(requests).toHaveLength(Math.ceil(JOBS / 100));
  });

  it("DRS: every job of each db_use_type over 100-job pages", async () => {
    let total = 0;
    for (const dbUseType of ["migration", "sync", "cloudDataGuard"] as const) {
      requests.length = 0;
      const r = await listDrsJobs(client, { dbUseType });
      const expected = rawIds("drs", (j) => j.db_use_type === dbUseType);
      expect(sorted(ids(r.jobs))).toEqual(sorted(expected));
      expect(requests).toHaveLength(Math.max(1, Math.ceil(expected.length / 100)));
      total += r.jobs.length;
    }
    expect(total).toBe(JOBS);
  });

  it("maxItems stops early", async () => {
    const r = await listDdmJobs(client, { startTime: "29d", maxItems: 200 });
    expect(r.jobs).toHaveLength(200);
    expect(requests.length).toBeLessThanOrEqual(2 + client.concurrency);
  });
});

describe("filters", () => {
  it("DDS sends single filters to the API", async () => {
    const r = await listDdsJobs(client, { startTime: "29d", status: "Failed" });
    expect(r.jobs.length).toBeGreaterThan(0);
    expect(r.jobs.every((j) => j.status === "Failed")).toBe(true);
    expect(requests[0]).toMatch(/status=Failed/);
    const one = r.jobs[0]!;
    const byId = await listDdsJobs(client, { startTime: "29d", id: one.id });
    expect(ids(byId.jobs)).toEqual([one.id]);
    expect(requests.at(-1)).toContain(`id=${one.id}`);
  });

  it("DDM filters locally by status, name and instance", async () => {
    const all = await listDdmJobs(client, { startTime: "29d" });
    const sample = all.jobs.find((j) => j.phase === "succeeded")!;
    const r = await listDdmJobs(client, { startTime: "29d", status: ["Completed"], name: sample.name, instanceId: sample.instanceId });
    expect(r.jobs.length).toBeGreaterThan(0);
    expect(r.jobs.every((j) => j.status === "Completed" && j.name === sample.name && j.instanceId === sample.instanceId)).toBe(true);
    expect(ids(r.jobs)).toEqual(ids(all.jobs.filter((j) => j.status === "Completed" && j.name === sample.name && j.instanceId === sample.instanceId)));
  });

  it("DRS sends status and name in the body", async () => {
    const r = await listDrsJobs(client, { dbUseType: "sync", status: "INCRE_TRANSFER_STARTED" });
    expect(r.jobs.length).toBeGreaterThan(0);
    expect(r.jobs.every((j) => j.status === "INCRE_TRANSFER_STARTED" && j.phase === "running")).toBe(true);
    const one = r.jobs[0]!;
    const byId = await listDrsJobs(client, { dbUseType: "sync", id: one.id });
    expect(ids(byId.jobs)).toEqual([one.id]);
  });

  it("single-job lookups", async () => {
    const [ddm] = (await listDdmJobs(client, { maxItems: 1, startTime: "29d" })).jobs;
    expect(await getDdmJob(client, ddm!.id)).toMatchObject({ id: ddm!.id, name: ddm!.name, status: ddm!.status, instanceId: ddm!.instanceId });
    const [dds] = (await listDdsJobs(client, { maxItems: 1, startTime: "29d" })).jobs;
    expect(await getDdsJob(client, dds!.id)).toMatchObject({ id: dds!.id, name: dds!.name, status: dds!.status, instanceId: dds!.instanceId });
  });
});

describe("the emulator's rejections arrive as OtcApiError", () => {
  const raw = async (api: "ddm" | "dds" | "drs", method: "GET" | "POST", path: string, query?: Record<string, string | number>, body?: unknown) => {
    const call = client.newCall(api, "Raw");
    return client.send({ method, url: client.url(api, path, query), body }, call).then(
      () => {
        throw new Error("expected a rejection");
      },
      (e: unknown) => e as OtcApiError,
    );
  };
  const pid = () => emulator.projectId;
  const now = () => Date.now();

  it("DDM limit out of range", async () => {
    const e = await raw("ddm", "GET", `/v3/${pid()}/jobs`, { start_time: now() - 3_600_000, end_time: now(), limit: 500 });
    expect(e).toBeInstanceOf(OtcApiError);
    expect([e.status, e.apiCode]).toEqual([400, "DBS.280001"]);
    expect(e.message).toMatch(/limit/);
  });

  it("DDM window older than 30 days", async () => {
    const e = await raw("ddm", "GET", `/v3/${pid()}/jobs`, { start_time: now() - 31 * 86_400_000, end_time: now() });
    expect([e.status, e.apiCode]).toEqual([400, "DBS.280001"]);
    expect(e.message).toMatch(/start_time/);
  });

  it("DDS bad limit", async () => {
    const e = await raw("dds", "GET", `/v3.1/${pid()}/jobs`, { start_time: "2026-11-20T00:00:00Z", end_time: "2026-11-21T00:00:00Z", limit: 101 });
    expect([e.status, e.apiCode]).toEqual([400, "DBS.280439"]);
  });

  it("DRS missing db_use_type", async () => {
    const e = await raw("drs", "POST", `/v3/${pid()}/jobs`, undefined, { cur_page: 1, per_page: 10 });
    expect([e.status, e.apiCode]).toEqual([400, "DRS.M00201"]);
    expect(e.detail).toBe("The db_use_type parameter is empty.");
  });

  it("bad token", async () => {
    const bad = createClient({ projectId: emulator.projectId, token: "not-the-token", endpoints: emulator.endpoints, retry: { maxRetries: 0 } });
    const e = await listDdmJobs(bad).catch((err: OtcApiError) => err);
    expect(e).toBeInstanceOf(OtcApiError);
    expect(e).toMatchObject({ service: "ddm", status: 401, apiCode: "APIGW.0301", retryable: false });
    expect((e as OtcApiError).requestId).toMatch(/^[0-9a-f]{32}$/);
    expect((e as OtcApiError).message).not.toContain("not-the-token");
    await bad.close();
  });
});
