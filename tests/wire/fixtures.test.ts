/**
 * Every example request and response of the reference pages (tests/fixtures/otc, verbatim), and
 * replies shaped after Huawei Cloud's SDK models (tests/fixtures/sdk-shaped), read by the client
 * over a loopback server. See tests/fixtures/README.md for the sources.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createClient, getDdmJob, getDdsJob, listDdmJobs, listDdsJobs, listDrsJobs, paginateDrsJobs } from "../../provider";
import { json, scriptedServer } from "../helpers/scripted-server";

const dir = join(__dirname, "..", "fixtures");
const text = (name: string) => readFileSync(join(dir, name), "utf8");
const fixture = (name: string): unknown => JSON.parse(text(name));
const projectId = "619d3e78f61b4be68bc5aa0b59edcf7b";

/** What the server answers next, per path. */
let replies: Record<string, unknown> = {};
let server: Awaited<ReturnType<typeof scriptedServer>>;
beforeAll(async () => {
  server = await scriptedServer((req, res) => {
    const path = req.url.split("?")[0]!.replace(`/${projectId}/`, "/{pid}/");
    let key = path.startsWith("/ddm/v3/{pid}/jobs/") ? "/ddm/v3/{pid}/jobs/{id}" : path;
    // DRS replies may differ per scenario: "/drs/v3/{pid}/jobs#sync".
    if (req.method === "POST") {
      const scenario = `${key}#${(JSON.parse(req.body) as { db_use_type: string }).db_use_type}`;
      if (scenario in replies) key = scenario;
    }
    if (key in replies) return json(res, 200, replies[key]);
    json(res, 404, { error_code: "APIGW.0101", error_msg: `not scripted: ${key}` });
  });
});
afterAll(() => server.close());
const client = () => createClient({ projectId, token: "t", endpoint: server.url, retry: { maxRetries: 0 } });

describe("OTC reference examples, verbatim", () => {
  it("DDM list: the example request's window and the example response", async () => {
    // The example request's query, as the client would send it for that window.
    const req = new URL(text("otc/ddm-list.request.txt").trim().replace(/^GET /, ""));
    expect(Object.fromEntries(req.searchParams)).toEqual({ start_time: "1746028800000", end_time: "1747319097182" });
    replies = { "/ddm/v3/{pid}/jobs": fixture("otc/ddm-list.response.json") };
    const c = client();
    const r = await listDdmJobs(c);
    expect(r.problems).toEqual([]);
    expect(r.total).toBe(3);
    expect(r.jobs[0]).toEqual({
      service: "ddm",
      id: "92370d30-3ddc-4e05-b8ab-51662d824318",
      name: "migrateLogicDb",
      status: "ToBeSwitched",
      phase: "waiting",
      createdTime: "2025-05-20T15:05:13.000Z",
      endTime: "2025-05-20T15:05:13.000Z",
      process: "",
      instanceId: "733c7e8d73a54c27b8308ec784a8be8cin09",
      instanceName: "UTS-ddm-dtc-src",
      failReason: "",
      databaseName: "db_e487",
      operations: ["modifySwitchingStrategy", "toBeCanceled"],
    });
    // Undocumented reply fields (offset, limit) are the page's, not a job's: nothing lands in extra.
    expect(r.jobs.every((j) => j.extra === undefined && j.problems === undefined)).toBe(true);
    expect(r.summary.byPhase).toMatchObject({ waiting: 1, succeeded: 2 });
    await c.close();
  });

  it("DDM job by id (+0100 offsets)", async () => {
    expect(text("otc/ddm-job.request.txt")).toContain("31b8ae23-c687-4d80-b7b4-42a66c9bb886");
    replies = { "/ddm/v3/{pid}/jobs/{id}": fixture("otc/ddm-job.response.json") };
    const c = client();
    const job = await getDdmJob(c, "31b8ae23-c687-4d80-b7b4-42a66c9bb886");
    expect(job).toEqual({
      service: "ddm",
      id: "31b8ae23-c687-4d80-b7b4-42a66c9bb886",
      name: "CreateInstance",
      status: "Running",
      phase: "running",
      createdTime: "2018-08-06T09:41:14.000Z",
      endTime: "2018-08-06T15:41:14.000Z",
      process: "60%",
      instanceId: "a48e43ff268f4c0e879652d65e63d0fbin09",
      instanceName: "DDM-test",
      failReason: "",
      databaseName: "",
      operations: [],
    });
    await c.close();
  });

  it.each([
    ["completed", "Completed", "succeeded", "", ""],
    ["running", "Running", "running", "9%", ""],
    ["failed", "Failed", "failed", "", "Failed to upgrade the DB Agent."],
  ])("DDS v3 job by id: %s", async (which, status, phase, progress, failReason) => {
    expect(text("otc/dds-job.request.txt")).toMatch(/\/v3\/0549b4a43100d4f32f51c01c2fe4acdb\/jobs\?id=/);
    const body = fixture(`otc/dds-job.${which}.response.json`) as { job: { id: string; created: string } };
    replies = { "/dds/v3/{pid}/jobs": body };
    const c = client();
    const job = await getDdsJob(c, body.job.id);
    expect(job).toMatchObject({ id: body.job.id, status, phase, progress, failReason, createdAt: new Date(body.job.created.replace("+0000", "Z")).toISOString() });
    expect(job.problems).toBeUndefined();
    await c.close();
  });

  it("DRS list: the client sends the example request's shape, and reads the example response", async () => {
    replies = { "/drs/v3/{pid}/jobs": fixture("otc/drs-list.response.json") };
    const c = client();
    const r = await listDrsJobs(c, { dbUseType: "migration", pageSize: 5, maxItems: 5 });
    const last = server.requests.at(-1)!;
    // The example's method and path (its endpoint and project are placeholders).
    const [method, url] = text("otc/drs-list.request.txt").trim().split(" ") as [string, string];
    expect([last.method, last.url.replace(/^\/drs/, "").replace(projectId, "{pid}")]).toEqual([method, new URL(url.replace("{EndPoint}", "x")).pathname.replace(/\/v3\/[0-9a-f]{32}\//, "/v3/{pid}/")]);
    const sent = JSON.parse(last.body) as Record<string, unknown>;
    const example = fixture("otc/drs-list.request.json") as Record<string, unknown>;
    // Same fields with the same values where the example sets one; "" means no filter, as the client's engine_type.
    expect(sent).toMatchObject({ cur_page: example.cur_page, db_use_type: example.db_use_type, engine_type: example.engine_type, per_page: example.per_page });
    expect(r.total).toBe(7);
    expect(r.problems).toEqual([]);
    expect(r.jobs.map((j) => j.phase)).toEqual(["failed", "waiting", "succeeded", "running", "waiting"]);
    expect(r.jobs[0]).toMatchObject({ createTime: "2020-12-21T10:57:49.000Z", jobDirection: "up", billingTag: false, nodeNewFramework: false, children: [] });
    expect(r.jobs[0]!.errorMsg).toMatch(/^service LOGMANAGER failed/);
    expect(r.jobs[3]!.description).toMatch(/^\[using\] api test 2\n1\./);
    await c.close();
  });
});

describe("replies shaped after Huawei Cloud's SDK models", () => {
  it("DDS v3.1 list without total_count", async () => {
    replies = { "/dds/v3.1/{pid}/jobs": fixture("sdk-shaped/dds-v3.1-list.response.json") };
    const c = client();
    const r = await listDdsJobs(c);
    expect(r.jobs).toHaveLength(1);
    expect(r.total).toBe(1);
    expect(r.jobs[0]).toMatchObject({ name: "RestartReplicaSetInstance", phase: "succeeded", createdAt: "2022-09-05T06:24:14.000Z" });
    await c.close();
  });

  it("DRS cloudDataGuard: job_action objects, children with every ChildrenJobInfo field, FULL_TRANSFER_COMPLETE still running", async () => {
    replies = { "/drs/v3/{pid}/jobs": fixture("sdk-shaped/drs-list.cloudDataGuard.response.json") };
    const c = client();
    const r = await listDrsJobs(c, { dbUseType: "cloudDataGuard" });
    expect(r.problems).toEqual([]);
    const [dr, ddm] = r.jobs;
    expect(dr!.jobAction).toEqual({
      availableActions: ["PAUSE", "SWITCH_OVER", "MODIFY_CONFIGURATION", "RESET_DB_PWD"],
      unavailableActions: ["CREATE", "CHOOSE_OBJECT", "PRE_CHECK", "START", "RETRY", "DELETE"],
      currentAction: "",
    });
    expect(dr!.children[0]).toEqual({
      id: "8c2d4e10-5b3a-4f6e-a1d2-7e9f0b3c4jb202",
      name: "DRS-5120-dr-1",
      status: "INCRE_TRANSFER_STARTED",
      phase: "running",
      description: "",
      createTime: "2024-03-11T08:15:02.000Z",
      engineType: "cloudDataGuard-mysql",
      netType: "vpn",
      billingTag: false,
      jobDirection: "up",
      dbUseType: "cloudDataGuard",
      taskType: "FULL_INCR_TRANS",
      nodeNewFramework: true,
      errorMsg: "",
      jobAction: { availableActions: ["PAUSE", "SWITCH_OVER"], unavailableActions: ["DELETE"], currentAction: "SWITCH_OVER" },
    });
    // "Initialization complete" for disaster recovery: not done.
    expect(dr!.children[1]!.phase).toBe("running");
    expect(ddm).toMatchObject({ engineType: "cloudDataGuard-ddm", status: "FULL_TRANSFER_COMPLETE", phase: "running", jobAction: { currentAction: "STOP_JOB" } });
    await c.close();
  });

  it("DRS quirks: nothing aborts, every job comes back once, each shortfall is reported", async () => {
    replies = { "/drs/v3/{pid}/jobs": fixture("sdk-shaped/drs-list.quirks.response.json") };
    const c = client();
    const r = await listDrsJobs(c, { dbUseType: "migration" });
    expect(r.total).toBe(4);
    expect(r.jobs.map((j) => [j.status, j.phase])).toEqual([
      ["PAUSING", "waiting"],
      ["NODE_UPGRADE_START", "running"],
      ["SOME_FUTURE_STATUS", "unknown"],
      ["", "unknown"],
    ]);
    const [first, , third, fourth] = r.jobs;
    expect(first).toMatchObject({ billingTag: false, description: "", netType: "", errorMsg: "", extra: { instance_status: "normal", job_action: "PAUSE" } });
    expect(first!.children[0]).toMatchObject({ id: "", status: "CHILD_TRANSFER_STARTING", phase: "pending", createTime: "2024-05-02T09:00:00.000Z", jobDirection: "no-dbs" });
    expect(third!.createTime).toBe("2024-02-30 10:00:00");
    expect(r.problems.map((p) => [p.jobId, p.path])).toEqual([
      ["", "jobs[0].children[0].id"],
      ["a1b2c3d4-0000-4000-8000-00000000jb13", "jobs[2].create_time"],
      ["a1b2c3d4-0000-4000-8000-00000000jb14", "jobs[3].status"],
    ]);
    expect(third!.problems).toEqual([expect.stringMatching(/create_time "2024-02-30 10:00:00" is not a time/)]);
    expect(fourth!.problems).toEqual([expect.stringMatching(/status is absent; read as ""/)]);
    await c.close();
  });

  it("DDM with +0800/+0100 offsets, null optional fields and counts sent as text", async () => {
    replies = { "/ddm/v3/{pid}/jobs": fixture("sdk-shaped/ddm-list.offsets.response.json") };
    const c = client();
    const r = await listDdmJobs(c);
    expect(r.total).toBe(2);
    expect(r.problems).toEqual([]);
    expect(r.jobs.map((j) => [j.createdTime, j.endTime, j.phase, j.operations, j.failReason])).toEqual([
      ["2025-05-20T15:05:13.000Z", "", "running", [], ""],
      ["2025-05-20T15:05:13.000Z", "2025-05-20T15:35:13.000Z", "failed", ["toBeRetried"], "Node restart timed out."],
    ]);
    await c.close();
  });

  it("DRS without dbUseType: one listing over the three scenarios, merged, totals summed, problems kept", async () => {
    replies = {
      "/drs/v3/{pid}/jobs#migration": fixture("sdk-shaped/drs-list.quirks.response.json"),
      "/drs/v3/{pid}/jobs#sync": { total_record: 0, jobs: [] },
      "/drs/v3/{pid}/jobs#cloudDataGuard": fixture("sdk-shaped/drs-list.cloudDataGuard.response.json"),
    };
    const c = client();
    const before = server.requests.length;
    const r = await listDrsJobs(c);
    const sent = server.requests.slice(before).map((q) => JSON.parse(q.body) as { db_use_type: string; engine_type: string });
    expect(sent.map((b) => b.db_use_type).sort()).toEqual(["cloudDataGuard", "migration", "sync"]);
    expect(sent.every((b) => b.engine_type === "")).toBe(true);
    expect(r.jobs.map((j) => j.dbUseType)).toEqual(["migration", "migration", "migration", "migration", "cloudDataGuard", "cloudDataGuard"]);
    expect(r.total).toBe(6);
    expect(r.summary.total).toBe(6);
    expect(r.problems).toHaveLength(3);
    const capped = await listDrsJobs(c, { maxItems: 5 });
    expect(capped.jobs).toHaveLength(5);
    const paged: string[] = [];
    for await (const page of paginateDrsJobs(c, { maxItems: 5 })) paged.push(...page.map((j) => j.id));
    expect(paged).toEqual(capped.jobs.map((j) => j.id));
    await c.close();
  });

  it("DRS: a job the API lists under two scenarios comes once, streamed or collected", async () => {
    const repeated = fixture("sdk-shaped/drs-list.cloudDataGuard.response.json");
    replies = {
      "/drs/v3/{pid}/jobs#migration": { total_record: 0, jobs: [] },
      "/drs/v3/{pid}/jobs#sync": repeated,
      "/drs/v3/{pid}/jobs#cloudDataGuard": repeated,
    };
    const c = client();
    const collected = (await listDrsJobs(c)).jobs.map((j) => j.id);
    const streamed: string[] = [];
    for await (const page of paginateDrsJobs(c)) streamed.push(...page.map((j) => j.id));
    expect(collected.length).toBeGreaterThan(0);
    expect(new Set(collected).size).toBe(collected.length);
    expect(streamed).toEqual(collected);
    await c.close();
  });
});
