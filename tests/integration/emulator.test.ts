/**
 * The emulator over HTTP, with undici directly (not the client): data, each API's rules and error
 * bodies, auth, IAM, clock, admin, faults, gateway routing, close.
 */
import { Agent, request } from "undici";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../emulator";

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const DAY = 86_400_000;
const agent = new Agent({ keepAliveTimeout: 1_000 });
afterAll(() => agent.close());

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function call(url: string, init: { method?: string; token?: string | null; headers?: Record<string, string>; body?: unknown } = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token !== null) headers["x-auth-token"] = init.token ?? "emulator-token";
  let body: string | undefined;
  if (init.body !== undefined) {
    body = typeof init.body === "string" ? init.body : JSON.stringify(init.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await request(url, { method: (init.method ?? "GET") as "GET", headers, body, dispatcher: agent });
  const text = await res.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, text, json };
}

const qs = (q: Record<string, string | number | undefined>): string =>
  Object.entries(q)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join("&");
const ddsTime = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** Starts an emulator for the enclosing describe block and closes it after. */
function useEmulator(opts: EmulatorOptions = {}): () => RunningEmulator {
  let emu: RunningEmulator | undefined;
  beforeAll(async () => {
    emu = await startEmulator({ now: NOW, clock: "manual", ...opts });
  });
  afterAll(() => emu?.close());
  return () => emu as RunningEmulator;
}

function expectError(r: Reply, status: number, code: string, msg?: RegExp): void {
  expect({ status: r.status, code: r.json?.error_code }).toEqual({ status, code });
  if (msg) expect(r.json.error_msg).toMatch(msg);
}

describe("seeded data", () => {
  it("is deterministic per seed, and each service's data is independent of the others' counts", async () => {
    const a = await startEmulator({ now: NOW, clock: "manual", seed: 5, jobs: 40 });
    const b = await startEmulator({ now: NOW, clock: "manual", seed: 5, jobs: { ddm: 40, dds: 40, drs: 40 } });
    const c = await startEmulator({ now: NOW, clock: "manual", seed: 6, jobs: { ddm: 40, dds: 7, drs: 40 } });
    try {
      for (const s of ["ddm", "dds", "drs"] as const) {
        expect(b.admin.jobs(s)).toEqual(a.admin.jobs(s));
        expect(a.admin.jobs(s)).toHaveLength(40);
      }
      expect(c.admin.jobs("ddm").map((j) => j.id)).not.toEqual(a.admin.jobs("ddm").map((j) => j.id));
      expect(c.admin.jobs("dds")).toHaveLength(7);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  describe("with defaults (120 per service)", () => {
    const emu = useEmulator();

    it("has realistic ids, names and time formats", () => {
      const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
      const ddm = emu().admin.jobs("ddm");
      expect(ddm).toHaveLength(120);
      for (const j of ddm) {
        expect(j.id).toMatch(uuid);
        expect(j.instance_id).toMatch(/^[0-9a-f]{32}in09$/);
        // Local offsets, as the references show them (+0000, +0100, +0800).
        expect(j.created_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}$/);
        // Progress while a run is under way (Running, or a shard state on its way), else "".
        const underWay = ["Running", "Expanding", "Switching", "Canceling", "Rollbacking"].includes(j.status);
        expect(j.process).toEqual(underWay ? expect.stringMatching(/^\d{1,2}%$/) : "");
      }
      for (const j of emu().admin.jobs("dds")) {
        expect(j.id).toMatch(uuid);
        expect(j.instance_id).toMatch(/^[0-9a-f]{32}in02$/);
        expect(j.instance_name).toMatch(/^dds-[0-9a-f]{4}-/);
      }
      for (const j of emu().admin.jobs("drs")) {
        expect(j.id).toHaveLength(36);
        expect(j.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{7,8}jb\d{2,3}$/);
        expect(j.name).toMatch(/^DRS-\d{4}(-[a-z]+)?$/);
        expect(j.create_time).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
        if (j.db_use_type === "migration") expect(j.children).toEqual([]);
      }
    });

    it("spreads jobs over 25 days, newest first, with running and failed ones", () => {
      for (const s of ["ddm", "dds", "drs"] as const) {
        const jobs = emu().admin.jobs(s) as Array<Record<string, unknown>>;
        const created = jobs.map((j) => Date.parse(String(j.created_time ?? j.created_at ?? `${String(j.create_time).replace(" ", "T")}Z`).replace("+0000", "Z")));
        expect(created).toEqual([...created].sort((x, y) => y - x));
        expect(Math.min(...created)).toBeGreaterThanOrEqual(NOW - 25 * DAY);
        expect(created.filter((t) => t > NOW - 6 * 3_600_000).length).toBeGreaterThanOrEqual(5);
      }
      const ddm = emu().admin.jobs("ddm");
      expect(ddm.filter((j) => j.status === "Running").length).toBeGreaterThanOrEqual(3);
      expect(ddm.filter((j) => j.status === "Failed").length).toBeGreaterThanOrEqual(3);
      const waiting = ddm.filter((j) => j.status === "ToBeSwitched");
      expect(waiting.length).toBeGreaterThan(0);
      for (const j of waiting) {
        expect(j.operations).toEqual(["modifySwitchingStrategy", "toBeCanceled"]);
        expect(j.end_time).toBe(j.created_time);
      }
      const failed = ddm.filter((j) => j.status === "Failed");
      expect(failed.every((j) => j.fail_reason !== "")).toBe(true);
      expect(ddm.filter((j) => j.status !== "Failed").every((j) => j.fail_reason === "")).toBe(true);
      const dds = emu().admin.jobs("dds");
      expect(dds.filter((j) => j.status === "Running").length).toBeGreaterThanOrEqual(3);
      expect(dds.filter((j) => j.status === "Failed").length).toBeGreaterThanOrEqual(3);
      const drs = emu().admin.jobs("drs");
      const share = (t: string): number => drs.filter((j) => j.db_use_type === t).length / drs.length;
      expect(share("migration")).toBeGreaterThan(0.45);
      expect(share("migration")).toBeLessThan(0.75);
      expect(share("sync")).toBeGreaterThan(0.12);
      expect(share("cloudDataGuard")).toBeGreaterThan(0.05);
      const statuses = new Set(drs.map((j) => j.status));
      for (const s of ["FULL_TRANSFER_COMPLETE", "INCRE_TRANSFER_STARTED", "CREATE_FAILED", "RELEASE_RESOURCE_COMPLETE"]) expect(statuses).toContain(s);
      expect(drs.filter((j) => j.status.endsWith("_FAILED")).every((j) => j.error_msg !== "")).toBe(true);
      expect(drs.some((j) => j.children.length > 0)).toBe(true);
    });

    it("has jobs created in the last minutes, running now, that finish within 60 s", () => {
      const recent = (created: string): boolean => Date.parse(created.replace("+0000", "Z").replace(" ", "T").replace(/:(\d\d)$/, ":$1Z")) > NOW - 100_000;
      const running = {
        ddm: emu().admin.jobs("ddm").filter((j) => j.status === "Running" && recent(j.created_time)).map((j) => j.id),
        dds: emu().admin.jobs("dds").filter((j) => j.status === "Running" && recent(j.created_at)).map((j) => j.id),
        drs: emu().admin.jobs("drs").filter((j) => j.db_use_type === "migration" && recent(j.create_time) && /^(CREATING|STARTJOBING|FULL_TRANSFER_STARTED)$/.test(j.status)).map((j) => j.id),
      };
      expect(running.ddm.length).toBeGreaterThanOrEqual(3);
      expect(running.dds.length).toBeGreaterThanOrEqual(3);
      expect(running.drs.length).toBeGreaterThanOrEqual(1);
      const before = emu().admin.now();
      emu().admin.advance(60_000);
      try {
        const still = (ids: string[], jobs: Array<{ id: string; status: string }>, done: (s: string) => boolean): string[] =>
          jobs.filter((j) => ids.includes(j.id) && !done(j.status)).map((j) => j.id);
        expect(still(running.ddm, emu().admin.jobs("ddm"), (s) => s !== "Running")).toEqual([]);
        expect(still(running.dds, emu().admin.jobs("dds"), (s) => s !== "Running")).toEqual([]);
        const drsDone = (s: string): boolean => s === "FULL_TRANSFER_COMPLETE" || s.endsWith("_FAILED");
        // The first migration (the one ending soonest) ends within 10 s.
        expect(still(running.drs, emu().admin.jobs("drs"), drsDone)).toEqual([]);
      } finally {
        expect(emu().admin.now().getTime()).toBe(before.getTime() + 60_000);
      }
    });
  });
});

describe("DDM", () => {
  const emu = useEmulator({ seed: 3, jobs: 60 });
  const list = (q: Record<string, string | number | undefined>, token?: string): Promise<Reply> =>
    call(`${emu().endpoints.ddm}/v3/${emu().projectId}/jobs?${qs(q)}`, token === undefined ? {} : { token });
  const window = { start_time: NOW - 29 * DAY, end_time: NOW };

  it.each([
    [{ end_time: NOW }, /start_time/],
    [{ start_time: "yesterday", end_time: NOW }, /start_time/],
    [{ start_time: NOW - 31 * DAY, end_time: NOW }, /start_time.*30 days/],
    [{ start_time: NOW - DAY }, /end_time/],
    [{ start_time: NOW - DAY, end_time: NOW - 2 * DAY }, /end_time/],
    [{ ...window, limit: 0 }, /limit/],
    [{ ...window, limit: 129 }, /limit/],
    [{ ...window, limit: "ten" }, /limit/],
    [{ ...window, offset: -1 }, /offset/],
  ])("rejects %j with DBS.280001 naming the parameter", async (q, msg) => {
    expectError(await list(q), 400, "DBS.280001", msg);
  });

  it("pages by offset/limit over every job in the window exactly once, newest first", async () => {
    const first = await list({ ...window, limit: 7 });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ offset: 0, limit: 7, total: 60 });
    const seen: string[] = [];
    for (let offset = 0; offset < 60; offset += 7) {
      const page = await list({ ...window, offset, limit: 7 });
      expect(page.json.offset).toBe(offset);
      seen.push(...page.json.jobs.map((j: { id: string }) => j.id));
    }
    expect(seen).toEqual(emu().admin.jobs("ddm").map((j) => j.id));
    expect((await list({ ...window, offset: 60 })).json.jobs).toEqual([]);
    expect((await list(window)).json.jobs).toHaveLength(10);
    expect(Object.keys(first.json.jobs[0]).sort()).toEqual(
      ["created_time", "database_name", "end_time", "fail_reason", "id", "instance_id", "instance_name", "name", "operations", "process", "status"].sort(),
    );
  });

  it("selects by created_time within [start_time, end_time]", async () => {
    const all = emu().admin.jobs("ddm");
    const pivot = all[20]!;
    const t = Date.parse(pivot.created_time.replace("+0000", "Z"));
    const r = await list({ start_time: t, end_time: NOW, limit: 128 });
    expect(r.json.jobs.map((j: { id: string }) => j.id)).toEqual(all.filter((j) => Date.parse(j.created_time.replace("+0000", "Z")) >= t).map((j) => j.id));
    expect(r.json.jobs.at(-1).id).toBe(pivot.id);
  });

  it("shows one job; an unknown id is 400 DBS.300400", async () => {
    const job = emu().admin.jobs("ddm")[0]!;
    const r = await call(`${emu().endpoints.ddm}/v3/${emu().projectId}/jobs/${job.id}`);
    expect(r.json).toEqual({
      job: { id: job.id, name: job.name, status: job.status, created_time: job.created_time, end_time: job.end_time, process: job.process, instance: { id: job.instance_id, name: job.instance_name } },
    });
    expectError(await call(`${emu().endpoints.ddm}/v3/${emu().projectId}/jobs/00000000-0000-4000-8000-000000000000`), 400, "DBS.300400");
  });

  it("rejects another project id with DBS.300375", async () => {
    expectError(await call(`${emu().endpoints.ddm}/v3/${"f".repeat(32)}/jobs?${qs(window)}`), 400, "DBS.300375");
  });

  it("can answer in the OTC-documented errCode/externalMessage shape", async () => {
    const otc = await startEmulator({ now: NOW, clock: "manual", jobs: 0, ddmErrorShape: "errCode" });
    try {
      const r = await call(`${otc.endpoints.ddm}/v3/${otc.projectId}/jobs?limit=5`);
      expect(r.status).toBe(400);
      expect(r.json).toEqual({ errCode: "DBS.280001", externalMessage: expect.stringMatching(/start_time/) });
    } finally {
      await otc.close();
    }
  });
});

describe("DDS", () => {
  const emu = useEmulator({ seed: 4, jobs: 50 });
  const base = (): string => `${emu().endpoints.dds}/v3.1/${emu().projectId}/jobs`;
  const window = { start_time: ddsTime(NOW - 29 * DAY), end_time: ddsTime(NOW) };
  const list = (q: Record<string, string | number | undefined>): Promise<Reply> => call(`${base()}?${qs(q)}`);

  it.each([
    [{ end_time: window.end_time }, "DBS.280067"],
    [{ ...window, start_time: "2026-11-01T00:00:00" }, "DBS.280067"],
    [{ ...window, start_time: "2026-11-01 00:00:00Z" }, "DBS.280067"],
    [{ ...window, start_time: String(NOW - DAY) }, "DBS.280067"],
    [{ ...window, start_time: "2026-02-30T00:00:00Z" }, "DBS.280067"],
    [{ start_time: window.start_time }, "DBS.280068"],
    [{ ...window, end_time: "2026-11-20T12:00:00+01:00" }, "DBS.280068"],
    [{ ...window, end_time: "2026-11-20T12:00:00+2500" }, "DBS.280068"],
    [{ ...window, end_time: window.start_time }, "DBS.280409"],
    [{ start_time: ddsTime(NOW - 31 * DAY), end_time: ddsTime(NOW) }, "DBS.280409"],
    [{ ...window, limit: 0 }, "DBS.280439"],
    [{ ...window, limit: 101 }, "DBS.280439"],
    [{ ...window, offset: -1 }, "DBS.280440"],
    [{ ...window, offset: "x" }, "DBS.280440"],
    [{ ...window, status: "Done" }, "DBS.200001"],
  ])("rejects %j with %s", async (q, code) => {
    expectError(await list(q), 400, code);
  });

  it("lists newest first without total_count (as the reference's example), offset/limit paging and filters", async () => {
    const all = emu().admin.jobs("dds");
    const r = await list(window);
    expect(r.json).not.toHaveProperty("total_count");
    expect(r.json.jobs).toEqual(all);
    const page = await list({ ...window, offset: 10, limit: 5 });
    expect(page.json.jobs).toEqual(all.slice(10, 15));
    const failed = await list({ ...window, status: "Failed" });
    expect(failed.json.jobs.length).toBeGreaterThan(0);
    expect(failed.json.jobs).toEqual(all.filter((j) => j.status === "Failed"));
    const one = all[7]!;
    expect((await list({ ...window, id: one.id })).json.jobs).toEqual([one]);
    expect((await list({ ...window, name: one.name })).json.jobs).toEqual(all.filter((j) => j.name === one.name));
  });

  it("sends total_count when ddsOmitTotalCount is false, and reads +0000/+0800 offsets in the window as well as Z", async () => {
    const real = await startEmulator({ now: NOW, clock: "manual", jobs: 5, ddsOmitTotalCount: false });
    try {
      const r = await call(`${real.endpoints.dds}/v3.1/${real.projectId}/jobs?${qs(window)}`);
      expect(r.status).toBe(200);
      expect(r.json.total_count).toBe(5);
      expect(r.json.jobs).toHaveLength(5);
      const shifted = (t: string, offset: string, hours: number) => `${new Date(Date.parse(t) + hours * 3_600_000).toISOString().slice(0, 19)}${offset}`;
      const asOffsets = { start_time: shifted(window.start_time, "+0000", 0), end_time: shifted(window.end_time, "+0800", 8) };
      expect((await call(`${real.endpoints.dds}/v3.1/${real.projectId}/jobs?${qs(asOffsets)}`)).json).toEqual(r.json);
    } finally {
      await real.close();
    }
  });

  it("shows one job by id (v3); missing id is DBS.200001, unknown id 404 DBS.280404", async () => {
    const one = emu().admin.jobs("dds").find((j) => j.status === "Failed")!;
    const r = await call(`${emu().endpoints.dds}/v3/${emu().projectId}/jobs?id=${one.id}`);
    expect(r.json).toEqual({
      job: {
        id: one.id, name: one.name, status: "Failed", created: one.created_at, ended: one.ended_at, progress: "",
        instance: { id: one.instance_id, name: one.instance_name }, fail_reason: one.fail_reason,
      },
    });
    const ok = emu().admin.jobs("dds").find((j) => j.status === "Completed")!;
    expect((await call(`${emu().endpoints.dds}/v3/${emu().projectId}/jobs?id=${ok.id}`)).json.job.fail_reason).toBeNull();
    expectError(await call(`${emu().endpoints.dds}/v3/${emu().projectId}/jobs`), 400, "DBS.200001", /id/);
    expectError(await call(`${emu().endpoints.dds}/v3/${emu().projectId}/jobs?id=nope`), 404, "DBS.280404");
  });

  it("rejects another project id with DBS.280408", async () => {
    expectError(await call(`${emu().endpoints.dds}/v3.1/${"e".repeat(32)}/jobs?${qs(window)}`), 400, "DBS.280408");
  });

  it("hides a new job from the v3 lookup for ddsLookupDelayMs", async () => {
    const lag = await startEmulator({ now: NOW, clock: "manual", jobs: 0, ddsLookupDelayMs: 5_000 });
    try {
      const job = lag.admin.addJob("dds");
      const url = `${lag.endpoints.dds}/v3/${lag.projectId}/jobs?id=${job.id}`;
      expect((await call(url)).status).toBe(404);
      lag.admin.advance(5_000);
      expect((await call(url)).json.job.id).toBe(job.id);
    } finally {
      await lag.close();
    }
  });
});

describe("DRS", () => {
  const emu = useEmulator({ seed: 9, jobs: 80 });
  const post = (body: unknown, headers?: Record<string, string>): Promise<Reply> =>
    call(`${emu().endpoints.drs}/v3/${emu().projectId}/jobs`, { method: "POST", body, ...(headers ? { headers } : {}) });
  const migrations = (): string[] => emu().admin.jobs("drs").filter((j) => j.db_use_type === "migration").map((j) => j.id);

  it.each([
    [{ per_page: 10, db_use_type: "migration" }, "DRS.M00201", /cur_page/],
    [{ cur_page: 1, db_use_type: "migration" }, "DRS.M00201", /per_page/],
    [{ cur_page: 1, per_page: 101, db_use_type: "migration" }, "DRS.M00210", /^value of Page is invalid, per_page/],
    [{ cur_page: 1, per_page: -1, db_use_type: "migration" }, "DRS.M00210", /per_page/],
    [{ cur_page: -1, per_page: 10, db_use_type: "migration" }, "DRS.M00210", /cur_page/],
    [{ cur_page: "1", per_page: 10, db_use_type: "migration" }, "DRS.M00210", /cur_page/],
    [{ cur_page: 1.5, per_page: 10, db_use_type: "migration" }, "DRS.M00210", /cur_page/],
    [{ cur_page: 2, per_page: 0, db_use_type: "migration" }, "DRS.M00210", /cur_page/],
    [{ cur_page: 1, per_page: 10 }, "DRS.M00201", /^The db_use_type parameter is empty\.$/],
    [{ cur_page: 1, per_page: 10, db_use_type: "" }, "DRS.M00201", /db_use_type/],
    [{ cur_page: 1, per_page: 10, db_use_type: "replication" }, "DRS.M00202", /db_use_type/],
    [{ cur_page: 1, per_page: 10, db_use_type: "sync", status: "DONE" }, "DRS.M00202", /status/],
    [{ cur_page: 1, per_page: 10, db_use_type: "sync", net_type: "lan" }, "DRS.M00202", /net_type/],
    [{ cur_page: 1, per_page: 10, db_use_type: "sync", tags: "env" }, "DRS.M00202", /tags/],
  ])("rejects %j with %s", async (body, code, msg) => {
    expectError(await post(body), 400, code, msg);
  });

  it("needs a JSON body with Content-Type application/json", async () => {
    expectError(await post({ cur_page: 1, per_page: 1, db_use_type: "sync" }, { "content-type": "text/plain" }), 415, "DRS.M00007");
    expectError(await post("{not json"), 400, "DRS.M00200");
    expectError(await post("[1]"), 400, "DRS.M00200");
  });

  it("pages by cur_page/per_page over every job exactly once; 0 means all; past the end is empty", async () => {
    const expected = migrations();
    const seen: string[] = [];
    for (let page = 1; page <= Math.ceil(expected.length / 9); page++) {
      const r = await post({ cur_page: page, per_page: 9, db_use_type: "migration", engine_type: "", name: "", net_type: "", status: "" });
      expect(r.json.total_record).toBe(expected.length);
      seen.push(...r.json.jobs.map((j: { id: string }) => j.id));
    }
    expect(seen).toEqual(expected);
    const past = await post({ cur_page: 99, per_page: 9, db_use_type: "migration", engine_type: "" });
    expect(past.json).toEqual({ total_record: expected.length, jobs: [] });
    expect((await post({ cur_page: 0, per_page: 5, db_use_type: "migration", engine_type: "" })).json.jobs).toHaveLength(expected.length);
    expect((await post({ cur_page: 1, per_page: 0, db_use_type: "migration", engine_type: "" })).json.jobs).toHaveLength(expected.length);
    const job = (await post({ cur_page: 1, per_page: 1, db_use_type: "migration", engine_type: "" })).json.jobs[0];
    // error_msg only on failed jobs, as in OTC's example; job_action as Huawei Cloud sends it.
    expect(Object.keys(job).filter((k) => k !== "error_msg").sort()).toEqual(
      ["billing_tag", "children", "create_time", "db_use_type", "description", "engine_type", "id", "job_action", "job_direction", "name", "net_type", "node_newFramework", "status", "task_type"].sort(),
    );
  });

  it("reads an absent engine_type as mysql (the documented default) and \"\" as every engine", async () => {
    const all = emu().admin.jobs("drs");
    const dr = all.filter((j) => j.db_use_type === "cloudDataGuard");
    expect(dr.length).toBeGreaterThan(0);
    expect((await post({ cur_page: 0, per_page: 10, db_use_type: "cloudDataGuard" })).json.total_record).toBe(0);
    expect((await post({ cur_page: 0, per_page: 10, db_use_type: "cloudDataGuard", engine_type: "" })).json.total_record).toBe(dr.length);
    const mysql = all.filter((j) => j.db_use_type === "migration" && j.engine_type === "mysql");
    expect((await post({ cur_page: 0, per_page: 10, db_use_type: "migration" })).json.total_record).toBe(mysql.length);
  });

  it("filters by status, by name or comma-separated ids, and by tags", async () => {
    const all = emu().admin.jobs("drs");
    const sync = all.filter((j) => j.db_use_type === "sync");
    const steady = await post({ cur_page: 0, per_page: 10, db_use_type: "sync", engine_type: "", status: "INCRE_TRANSFER_STARTED" });
    expect(steady.json.jobs.map((j: { id: string }) => j.id)).toEqual(sync.filter((j) => j.status === "INCRE_TRANSFER_STARTED").map((j) => j.id));
    const [a, b] = migrations();
    const byIds = await post({ cur_page: 1, per_page: 10, db_use_type: "migration", engine_type: "", name: `${a},${b}` });
    expect(byIds.json.jobs.map((j: { id: string }) => j.id).sort()).toEqual([a, b].sort());
    const named = all.find((j) => j.db_use_type === "migration")!;
    const byName = await post({ cur_page: 1, per_page: 100, db_use_type: "migration", engine_type: "", name: named.name });
    expect(byName.json.jobs.map((j: { id: string }) => j.id)).toContain(named.id);
    const added = emu().admin.addJob("drs", { dbUseType: "cloudDataGuard", tags: { env: "unique-tag" }, children: 2 });
    const tagged = await post({ cur_page: 1, per_page: 10, db_use_type: "cloudDataGuard", engine_type: "cloudDataGuard-mysql", tags: [{ key: "env", value: "unique-tag" }] });
    expect(tagged.json.jobs.map((j: { id: string }) => j.id)).toEqual([added.id]);
    expect(tagged.json.jobs[0].children.map((c: { job_direction: string }) => c.job_direction)).toEqual(["up", "down"]);
    const asMap = await post({ cur_page: 1, per_page: 10, db_use_type: "cloudDataGuard", engine_type: "", tags: { env: "unique-tag" } });
    expect(asMap.json.total_record).toBe(1);
  });

  it("rejects another project id with 403 DRS.M00261, and GET with 405", async () => {
    const r = await call(`${emu().endpoints.drs}/v3/${"d".repeat(32)}/jobs`, { method: "POST", body: { cur_page: 1, per_page: 1, db_use_type: "sync" } });
    expectError(r, 403, "DRS.M00261");
    const get = await call(`${emu().endpoints.drs}/v3/${emu().projectId}/jobs`);
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe("POST");
  });
});

describe("auth, request ids, routing", () => {
  const emu = useEmulator({ jobs: 5 });
  const ddmList = (): string => `/v3/${emu().projectId}/jobs?${qs({ start_time: NOW - DAY, end_time: NOW })}`;

  it("answers 401 APIGW.0301 without a valid token, with the request id in body and header", async () => {
    for (const token of [null, "wrong", ""]) {
      const r = await call(`${emu().endpoints.ddm}${ddmList()}`, { token });
      expectError(r, 401, "APIGW.0301", /^Incorrect IAM authentication information: decrypt token fail$/);
      expect(r.json.request_id).toBe(r.headers["x-request-id"]);
    }
    const drs = await call(`${emu().endpoints.drs}/v3/${emu().projectId}/jobs`, { method: "POST", token: "x", body: {} });
    expectError(drs, 401, "APIGW.0301");
  });

  it("puts X-Request-Id (32 hex) and the JSON content type on every response", async () => {
    const replies = await Promise.all([
      call(`${emu().endpoints.ddm}${ddmList()}`),
      call(`${emu().endpoints.ddm}/nothing/here`),
      call(`${emu().endpoints.iam}/v3/auth/tokens`, { method: "POST", body: {} }),
      call(`${emu().gateway}/admin/clock`),
      call(`${emu().gateway}/elsewhere`),
    ]);
    const ids = replies.map((r) => r.headers["x-request-id"]);
    for (const r of replies) {
      expect(r.headers["x-request-id"]).toMatch(/^[0-9a-f]{32}$/);
      expect(r.headers["content-type"]).toBe("application/json;charset=UTF-8");
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("answers unknown routes 404 APIGW.0101 and wrong methods 405", async () => {
    expectError(await call(`${emu().endpoints.dds}/v2/${emu().projectId}/jobs`), 404, "APIGW.0101");
    expectError(await call(`${emu().gateway}/rds/v3/jobs`), 404, "APIGW.0101");
    const r = await call(`${emu().endpoints.ddm}${ddmList()}`, { method: "DELETE" });
    expect(r.status).toBe(405);
    expect(r.headers.allow).toBe("GET");
  });

  it("routes the gateway prefixes to the services", async () => {
    const direct = await call(`${emu().endpoints.ddm}${ddmList()}`);
    const via = await call(`${emu().gateway}/ddm${ddmList()}`);
    expect(via.json).toEqual(direct.json);
    const dds = await call(`${emu().gateway}/dds/v3.1/${emu().projectId}/jobs?${qs({ start_time: ddsTime(NOW - DAY), end_time: ddsTime(NOW) })}`);
    expect(dds.status).toBe(200);
    const drs = await call(`${emu().gateway}/drs/v3/${emu().projectId}/jobs`, { method: "POST", body: { cur_page: 0, per_page: 0, db_use_type: "migration" } });
    expect(drs.status).toBe(200);
    const stats = emu().admin.stats();
    expect(stats.requests.byRoute["ddm GET /v3/{project_id}/jobs"]).toBeGreaterThanOrEqual(2);
    expect(stats.requests.byService.drs).toBeGreaterThanOrEqual(1);
  });
});

describe("IAM", () => {
  const emu = useEmulator({ jobs: 3, tokenTtlMs: 60_000, users: [{ name: "alice", password: "s3cret", domain: "acme" }] });
  const auth = (password: string, scope: unknown = { project: { name: "eu-de" } }): unknown => ({
    auth: { identity: { methods: ["password"], password: { user: { name: "alice", password, domain: { name: "acme" } } } }, scope },
  });
  const ddm = (token: string): Promise<Reply> =>
    call(`${emu().gateway}/ddm/v3/${emu().projectId}/jobs?${qs({ start_time: NOW - DAY, end_time: NOW })}`, { token });

  it("issues a project-scoped token that the services accept until it expires", async () => {
    const r = await call(`${emu().gateway}/iam/v3/auth/tokens`, { method: "POST", token: null, body: auth("s3cret") });
    expect(r.status).toBe(201);
    const token = r.headers["x-subject-token"] as string;
    expect(token).toMatch(/^MII/);
    expect(r.json.token).toMatchObject({
      methods: ["password"],
      expires_at: new Date(NOW + 60_000).toISOString().replace("Z", "000Z"),
      issued_at: new Date(NOW).toISOString().replace("Z", "000Z"),
      user: { name: "alice", domain: { name: "acme" } },
      project: { id: emu().projectId, name: "eu-de" },
    });
    expect(r.json.token.catalog.map((c: { type: string }) => c.type)).toEqual(["identity", "ddmv3", "ddsv3", "drs"]);
    expect((await ddm(token)).status).toBe(200);
    emu().admin.advance(60_000);
    expectError(await ddm(token), 401, "APIGW.0307", /^The token must be updated$/);
    expect((await ddm(emu().token)).status).toBe(200);
  });

  it("rejects a wrong password with 401 IAM.0062", async () => {
    const r = await call(`${emu().endpoints.iam}/v3/auth/tokens?nocatalog=true`, { method: "POST", token: null, body: auth("wrong") });
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ error: { code: 401, title: "Unauthorized", message: "The username or password is wrong.", error_code: "IAM.0062" } });
  });

  it("issues domain tokens that project services refuse, and resolves projects by name", async () => {
    const r = await call(`${emu().endpoints.iam}/v3/auth/tokens?nocatalog=1`, { method: "POST", token: null, body: auth("s3cret", { domain: { name: "acme" } }) });
    expect(r.status).toBe(201);
    expect(r.json.token).not.toHaveProperty("catalog");
    expect(r.json.token).not.toHaveProperty("project");
    const token = r.headers["x-subject-token"] as string;
    expectError(await ddm(token), 401, "APIGW.0301");
    const projects = await call(`${emu().endpoints.iam}/v3/projects?name=eu-de`, { token });
    expect(projects.json.projects.map((p: { id: string }) => p.id)).toEqual([emu().projectId]);
    expect((await call(`${emu().endpoints.iam}/v3/projects?name=eu-ch2`, { token })).json.projects).toEqual([]);
    expect((await call(`${emu().endpoints.iam}/v3/auth/tokens`, { method: "POST", token: null, body: auth("s3cret", { project: { id: "0".repeat(32) } }) })).status).toBe(401);
  });
});

describe("clock and admin", () => {
  const emu = useEmulator({ jobs: 10 });
  const admin = (path: string, method = "GET", body?: unknown): Promise<Reply> =>
    call(`${emu().gateway}/admin${path}`, { method, token: null, ...(body === undefined ? {} : { body }) });

  it("turns a running job Completed when the clock advances", async () => {
    const job = emu().admin.addJob("ddm", { name: "EnlargeNode", timeline: { runForMs: 10_000, outcome: "Completed" } });
    expect(job).toMatchObject({ status: "Running", process: "0%", end_time: "" });
    const url = `${emu().endpoints.ddm}/v3/${emu().projectId}/jobs/${job.id}`;
    emu().admin.advance(5_000);
    expect((await call(url)).json.job).toMatchObject({ status: "Running", process: "50%" });
    const advanced = await admin("/clock", "POST", { advanceMs: 5_000 });
    expect(advanced.json.now).toBe(Date.parse(job.created_time.replace("+0000", "Z")) + 10_000);
    expect((await call(url)).json.job).toMatchObject({ status: "Completed", process: "" });
    expect((await admin("/clock")).json).toEqual({ now: NOW + 10_000, iso: new Date(NOW + 10_000).toISOString() });
  });

  it("adds jobs over HTTP", async () => {
    const r = await admin("/jobs/dds", "POST", { id: "11111111-2222-4333-8444-555555555555", name: "RestartInstance", timeline: { runForMs: 0, outcome: "Failed", failReason: "boom" } });
    expect(r.status).toBe(201);
    expect(r.json.job).toMatchObject({ id: "11111111-2222-4333-8444-555555555555", name: "RestartInstance", status: "Failed", fail_reason: "boom", progress: "" });
    const v3 = await call(`${emu().endpoints.dds}/v3/${emu().projectId}/jobs?id=11111111-2222-4333-8444-555555555555`);
    expect(v3.json.job).toMatchObject({ status: "Failed", fail_reason: "boom" });
    expect((await admin("/jobs/dds")).json.jobs[0].id).toBe("11111111-2222-4333-8444-555555555555");
    const drs = await admin("/jobs/drs", "POST", { dbUseType: "sync", timeline: { runForMs: 60_000, outcome: "INCRE_TRANSFER_STARTED" } });
    expect(drs.json.job).toMatchObject({ status: "CREATING", db_use_type: "sync" });
    expect((await admin("/jobs/dds", "POST", { id: "11111111-2222-4333-8444-555555555555" })).status).toBe(409);
    expect((await admin("/jobs/rds", "POST", {})).status).toBe(400);
    expect((await admin("/jobs/ddm", "POST", { nmae: "typo" })).status).toBe(400);
    expect((await admin("/jobs/ddm", "POST", { timeline: { outcome: "Exploded" } })).status).toBe(400);
    expect((await admin("/clock", "POST", { advanceMs: -1 })).status).toBe(400);
    expect((await admin("/nothing")).status).toBe(404);
  });
});

describe("faults", () => {
  const emu = useEmulator({ jobs: 20 });
  const url = (): string => `${emu().endpoints.ddm}/v3/${emu().projectId}/jobs?${qs({ start_time: NOW - 29 * DAY, end_time: NOW })}`;
  afterEach(() => emu().admin.reset());

  it("plays a script in order, then behaves", async () => {
    emu().admin.setFaults({ script: ["truncate", "malformed", { status: 503 }, { status: 429, retryAfterSeconds: 7 }, "ok"] });
    const truncated = await call(url());
    expect(truncated.status).toBe(200);
    expect(truncated.json).toBeUndefined();
    expect(truncated.text.startsWith('{"jobs":[')).toBe(true);
    const malformed = await call(url());
    expect(malformed.status).toBe(200);
    expect(malformed.json).toBeUndefined();
    expectError(await call(url()), 503, "APIGW.0201");
    const throttled = await call(url());
    expectError(throttled, 429, "APIGW.0308", /throttling threshold has been reached/);
    expect(throttled.headers["retry-after"]).toBe("7");
    expect((await call(url())).json.total).toBe(20);
    expect((await call(url())).status).toBe(200);
    expect(emu().admin.stats().faults).toMatchObject({ total: 4, truncate: 1, malformed: 1, error: 1, throttle: 1 });
  });

  it("resets connections", async () => {
    emu().admin.setFaults({ script: ["reset"] });
    await expect(call(url())).rejects.toThrow();
    expect((await call(url())).status).toBe(200);
    expect(emu().admin.stats().faults.reset).toBe(1);
  });

  it("injects random faults at the configured rates, deterministically from the seed", async () => {
    emu().admin.setFaults({ errorRate: 1, errorStatuses: [502, 504] });
    const statuses = new Set<number>();
    for (let i = 0; i < 10; i++) statuses.add((await call(url())).status);
    expect([...statuses].sort()).toEqual([502, 504]);
    emu().admin.setFaults({ throttleRate: 1 });
    const r = await call(url());
    expectError(r, 429, "APIGW.0308");
    expect(r.headers["retry-after"]).toBe("1");

    const run = async (e: RunningEmulator): Promise<number[]> => {
      e.admin.setFaults({ errorRate: 0.5 });
      const out: number[] = [];
      for (let i = 0; i < 12; i++) out.push((await call(`${e.endpoints.ddm}/v3/${e.projectId}/jobs?${qs({ start_time: NOW - DAY, end_time: NOW })}`)).status);
      return out;
    };
    const other = await startEmulator({ now: NOW, clock: "manual", jobs: 1 });
    try {
      const a = await run(emu());
      const b = await run(other);
      expect(a).toEqual(b);
      expect(a).toContain(503);
      expect(a).toContain(200);
    } finally {
      await other.close();
    }
  });

  it("adds latency and sends bodies slowly", async () => {
    emu().admin.setFaults({ latencyMs: 150 });
    let t = Date.now();
    expect((await call(url())).status).toBe(200);
    expect(Date.now() - t).toBeGreaterThanOrEqual(140);
    emu().admin.setFaults({ slowBodyMs: 300 });
    t = Date.now();
    const slow = await call(url());
    expect(Date.now() - t).toBeGreaterThanOrEqual(280);
    expect(slow.json.total).toBe(20);
    expect(emu().admin.stats().faults).toMatchObject({ delayed: 1, slowBody: 1, total: 0 });
  });

  it("applies only to the listed services and never to admin", async () => {
    emu().admin.setFaults({ errorRate: 1, services: ["dds"] });
    expect((await call(url())).status).toBe(200);
    expect((await call(`${emu().endpoints.dds}/v3/${emu().projectId}/jobs?id=x`)).status).toBe(503);
    expect((await call(`${emu().gateway}/admin/stats`, { token: null })).status).toBe(200);
    const put = await call(`${emu().gateway}/admin/faults`, { method: "PUT", token: null, body: { errorRate: 2 } });
    expect(put.status).toBe(400);
    expect(put.json.error_msg).toMatch(/errorRate/);
    const ok = await call(`${emu().gateway}/admin/faults`, { method: "PUT", token: null, body: { script: ["malformed"] } });
    expect(ok.json).toEqual({ faults: { script: ["malformed"] } });
    expect((await call(url())).json).toBeUndefined();
    const reset = await call(`${emu().gateway}/admin/reset`, { method: "POST", token: null });
    expect(reset.status).toBe(200);
    expect(emu().admin.faults()).toEqual({});
    expect(emu().admin.stats().requests.total).toBe(0);
  });
});

describe("close", () => {
  it("closes promptly with keep-alive sockets and pending delays", async () => {
    const emu = await startEmulator({ jobs: 1, faults: { latencyMs: 10_000, services: ["dds"] } });
    const keepAlive = new Agent({ keepAliveTimeout: 60_000 });
    try {
      const r = await request(`${emu.endpoints.ddm}/v3/${emu.projectId}/jobs?start_time=${Date.now() - DAY}&end_time=${Date.now()}`, {
        headers: { "x-auth-token": emu.token },
        dispatcher: keepAlive,
      });
      await r.body.text();
      const pending = request(`${emu.endpoints.dds}/v3/${emu.projectId}/jobs?id=x`, { headers: { "x-auth-token": emu.token }, dispatcher: keepAlive });
      pending.catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const t = Date.now();
      await emu.close();
      expect(Date.now() - t).toBeLessThan(1_000);
      await expect(pending).rejects.toThrow();
      await emu.close(); // idempotent
    } finally {
      await keepAlive.close();
    }
  });
});
