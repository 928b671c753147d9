/**
 * `otc-jobs list drs|ddm|dds -o json`, run through the CLI's `main()`, against a loopback server that
 * answers with the reference's own shapes: the OTC examples verbatim and Huawei Cloud's SDK-shaped
 * replies (job_action objects, children, a child without id, a time as a number, billing_tag "false",
 * totals as text, +0800/+0100 offsets, null and missing fields, an impossible date, an unknown and a
 * missing status). Each exits 0 and lists every job exactly once with its status unchanged; what could
 * not be read is a warning on stderr.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ServerResponse } from "node:http";
import { json, scriptedServer, type Recorded } from "../helpers/scripted-server";
import { cleanEnv, invoke } from "./helpers";

type Raw = Record<string, unknown>;
const fixture = (name: string): Raw => JSON.parse(readFileSync(join(__dirname, "..", "fixtures", name), "utf8")) as Raw;
const jobsOf = (name: string) => fixture(name).jobs as Raw[];
const PROJECT = "619d3e78f61b4be68bc5aa0b59edcf7b";

const DATA = {
  ddm: [...jobsOf("otc/ddm-list.response.json"), ...jobsOf("sdk-shaped/ddm-list.offsets.response.json")],
  dds: jobsOf("sdk-shaped/dds-v3.1-list.response.json"),
  drs: {
    migration: [...jobsOf("otc/drs-list.response.json"), ...jobsOf("sdk-shaped/drs-list.quirks.response.json")],
    sync: [] as Raw[],
    cloudDataGuard: jobsOf("sdk-shaped/drs-list.cloudDataGuard.response.json"),
  },
};

/** Pages each list as its API does: offset/limit (DDM, DDS without a total) or cur_page/per_page (DRS, total as text). */
function answer(req: Recorded, res: ServerResponse): void {
  const path = req.url.split("?")[0]!;
  const q = new URL(req.url, "http://x").searchParams;
  if (path === `/ddm/v3/${PROJECT}/jobs`) {
    const [offset, limit] = [Number(q.get("offset")), Number(q.get("limit"))];
    return json(res, 200, { jobs: DATA.ddm.slice(offset, offset + limit), offset, limit, total: String(DATA.ddm.length) });
  }
  if (path === `/dds/v3.1/${PROJECT}/jobs`) {
    const [offset, limit] = [Number(q.get("offset")), Number(q.get("limit"))];
    return json(res, 200, { jobs: DATA.dds.slice(offset, offset + limit) });
  }
  if (path === `/drs/v3/${PROJECT}/jobs` && req.method === "POST") {
    const body = JSON.parse(req.body) as { cur_page: number; per_page: number; db_use_type: keyof typeof DATA.drs; engine_type?: string };
    // The documented default: no engine_type means mysql only; the client must send "" to see all.
    const all = DATA.drs[body.db_use_type] ?? [];
    const jobs = body.engine_type === undefined ? all.filter((j) => j.engine_type === "mysql") : all;
    const from = (body.cur_page - 1) * body.per_page;
    return json(res, 200, { total_record: String(jobs.length), jobs: jobs.slice(from, from + body.per_page) });
  }
  json(res, 404, { error_code: "APIGW.0101", error_msg: `The API does not exist: ${req.method} ${path}` });
}

let server: Awaited<ReturnType<typeof scriptedServer>>;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  server = await scriptedServer(answer);
  env = cleanEnv({ OTCJOBS_ENDPOINT: server.url, OS_AUTH_TOKEN: "reference-shapes-token", OS_PROJECT_ID: PROJECT });
});
afterAll(() => server.close());

const statusOf = (raw: Raw) => (typeof raw.status === "string" ? raw.status : "");

describe.each([
  ["ddm", () => DATA.ddm],
  ["dds", () => DATA.dds],
  ["drs", () => [...DATA.drs.migration, ...DATA.drs.sync, ...DATA.drs.cloudDataGuard]],
] as const)("otc-jobs list %s -o json on the reference's shapes", (service, expected) => {
  it("exits 0 with every job exactly once and its status unchanged", async () => {
    const r = await invoke(["list", service, "-o", "json"], env);
    expect(r.code).toBe(0);
    const jobs = JSON.parse(r.stdout) as Array<{ id: string; status: string; service: string }>;
    const want = expected();
    expect(jobs).toHaveLength(want.length);
    expect(new Set(jobs.map((j) => j.id)).size).toBe(want.length);
    const byId = new Map(jobs.map((j) => [j.id, j]));
    for (const raw of want) expect(byId.get(String(raw.id))).toMatchObject({ service, status: statusOf(raw) });
    if (service === "drs") {
      // The quirks reply's impossible date, missing status and id-less child are named, not hidden.
      expect(r.stderr).toMatch(/warning: DRS job a1b2c3d4-0000-4000-8000-00000000jb13: jobs\[\d+\]\.create_time \(page 1\): create_time "2024-02-30 10:00:00" is not a time/);
      expect(r.stderr).toMatch(/warning: DRS job a1b2c3d4-0000-4000-8000-00000000jb14: jobs\[\d+\]\.status \(page 1\): status is absent/);
      expect(r.stderr).toMatch(/warning: DRS job \(no id\): jobs\[\d+\]\.children\[0\]\.id/);
    } else {
      expect(r.stderr).toBe("");
    }
  });
});
