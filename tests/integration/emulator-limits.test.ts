/**
 * The emulator validates before it mutates, its admin API rejects out-of-range values, a page costs
 * its page, and the gateway's rate limit answers 429 APIGW.0308 per project.
 */
import { request } from "undici";
import { startEmulator, type RunningEmulator } from "../../emulator";

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ clock: "manual", seed: 5, jobs: { ddm: 300, dds: 50, drs: 400 } });
});
afterAll(() => emu.close());
afterEach(() => emu.admin.setThrottle(undefined));

async function admin(method: "GET" | "POST" | "PUT", path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await request(`${emu.gateway}/admin${path}`, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: { "content-type": "application/json" },
  });
  return { status: res.statusCode, json: (await res.body.json()) as Record<string, unknown> };
}

describe("admin API: validated before anything changes", () => {
  it.each([[1e308], [-1], [1.5], [4e12], ["60000"], [null]])("POST /admin/clock {advanceMs: %p} answers 400 and leaves the clock", async (advanceMs) => {
    const before = await admin("GET", "/clock");
    const r = await admin("POST", "/clock", { advanceMs });
    expect(r.status).toBe(400);
    expect(r.json.error_msg).toMatch(/advanceMs/);
    expect(await admin("GET", "/clock")).toEqual(before);
    // The emulator still answers listings and `reset` still works.
    expect((await admin("POST", "/reset")).status).toBe(200);
    expect(emu.admin.jobs("ddm")).toHaveLength(300);
  });

  it("the in-process advance is checked in full too", () => {
    const before = emu.admin.now().getTime();
    expect(() => emu.admin.advance(1e308)).toThrow(RangeError);
    expect(() => emu.admin.advance(Number.NaN)).toThrow(RangeError);
    expect(emu.admin.now().getTime()).toBe(before);
    expect(emu.admin.advance(60_000).getTime()).toBe(before + 60_000);
  });

  it.each([
    [{ latencyMs: 1e308 }, /latencyMs/],
    [{ errorRate: 2 }, /errorRate/],
    [{ retryAfterSeconds: 1e9 }, /retryAfterSeconds/],
    [{ slowBodyMs: -1 }, /slowBodyMs/],
  ])("PUT /admin/faults %j answers 400 and keeps the faults", async (faults, field) => {
    emu.admin.setFaults({ latencyMs: 1 });
    const r = await admin("PUT", "/faults", faults);
    expect(r.status).toBe(400);
    expect(r.json.error_msg).toMatch(field);
    expect(emu.admin.faults()).toEqual({ latencyMs: 1 });
    emu.admin.setFaults({});
  });

  it.each([[{ ttlMs: 1e308 }], [{ ttlMs: -5 }]])("POST /admin/tokens %j answers 400", async (body) => {
    expect((await admin("POST", "/tokens", body)).status).toBe(400);
  });

  it.each([[{ throttle: { requestsPerSecond: 0 } }], [{ throttle: { requestsPerSecond: 1e308 } }], [{ throttle: { requestsPerSecond: 5, burst: 0 } }], [{}]])(
    "PUT /admin/throttle %j answers 400 and sets nothing",
    async (body) => {
      expect((await admin("PUT", "/throttle", body)).status).toBe(400);
      expect(emu.admin.throttle()).toBeUndefined();
    },
  );
});

describe("the gateway's rate limit", () => {
  const list = (): Promise<{ status: number; headers: Record<string, unknown>; json: Record<string, unknown> }> =>
    request(`${emu.endpoints.ddm}/v3/${emu.projectId}/jobs?start_time=${emu.admin.now().getTime() - 86_400_000 * 29}&end_time=${emu.admin.now().getTime()}&limit=5`, {
      headers: { "x-auth-token": emu.token },
    }).then(async (res) => ({ status: res.statusCode, headers: res.headers, json: (await res.body.json()) as Record<string, unknown> }));

  it("admits a burst, then answers 429 APIGW.0308 with Retry-After, like the gateway", async () => {
    const r = await admin("PUT", "/throttle", { throttle: { requestsPerSecond: 2, burst: 3 } });
    expect(r.json).toEqual({ throttle: { requestsPerSecond: 2, burst: 3 } });
    const before = emu.admin.stats().rateLimited;
    const replies = [];
    for (let i = 0; i < 5; i++) replies.push(await list());
    expect(replies.map((x) => x.status)).toEqual([200, 200, 200, 429, 429]);
    expect(replies[3]!.json).toMatchObject({ error_code: "APIGW.0308" });
    expect(replies[3]!.headers["retry-after"]).toBe("1");
    expect(emu.admin.stats().rateLimited - before).toBe(2);
  });

  it("is lifted with null", async () => {
    emu.admin.setThrottle({ requestsPerSecond: 1, burst: 1 });
    await list();
    expect((await list()).status).toBe(429);
    expect((await admin("PUT", "/throttle", { throttle: null })).json).toEqual({ throttle: null });
    expect((await list()).status).toBe(200);
  });
});

describe("a page costs its page", () => {
  it("DDM, DDS and DRS pages come from the right positions, with the whole count", async () => {
    const now = emu.admin.now().getTime();
    const all = emu.admin.jobs("ddm").map((j) => j.id);
    const res = await request(`${emu.endpoints.ddm}/v3/${emu.projectId}/jobs?start_time=${now - 86_400_000 * 29}&end_time=${now}&offset=250&limit=100`, {
      headers: { "x-auth-token": emu.token },
    });
    const body = (await res.body.json()) as { jobs: Array<{ id: string }>; total: number };
    expect(body.total).toBe(all.length);
    expect(body.jobs.map((j) => j.id)).toEqual(all.slice(250, 350));

    // DRS: every engine (`engine_type: ""`), and the documented default (mysql only).
    for (const [engine, keep] of [["", () => true], [undefined, (e: string) => e === "mysql"]] as const) {
      const migrations = emu.admin
        .jobs("drs")
        .filter((j) => j.db_use_type === "migration" && keep((j as { engine_type?: string }).engine_type ?? ""))
        .map((j) => j.id);
      const drs = await request(`${emu.endpoints.drs}/v3/${emu.projectId}/jobs`, {
        method: "POST",
        headers: { "x-auth-token": emu.token, "content-type": "application/json" },
        body: JSON.stringify({ db_use_type: "migration", cur_page: 2, per_page: 10, ...(engine === undefined ? {} : { engine_type: engine }) }),
      });
      const drsBody = (await drs.body.json()) as { jobs: Array<{ id: string }>; total_record: number };
      expect(drsBody.total_record).toBe(migrations.length);
      expect(drsBody.jobs.map((j) => j.id)).toEqual(migrations.slice(10, 20));
    }
  });
});
