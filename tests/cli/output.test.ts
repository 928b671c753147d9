/**
 * Output people read and scripts parse: wide tables, field selection, NDJSON, ids only, no headers,
 * full ids when they fit and any unique prefix accepted back; server text that would paint the
 * terminal or run as a spreadsheet formula is neutralized; every flag range-checked before a request.
 */
import { startEmulator, type RunningEmulator } from "../../emulator";
import { csvCell, jobListWriter, type ListFormat, renderJobTable } from "../../cli/output";
import type { Io } from "../../cli/context";
import { parse as parseYaml } from "yaml";
import { timeFlag } from "../../cli/options";
import { type DdmJob, type DdsJob, type DrsJob, ddmRecord, ddsRecord, drsRecord, type JobRecord, RECORD_FIELDS } from "../../provider";
import { createColors } from "picocolors";
import { emulatorEnv, ESC, invoke, parseCsv } from "./helpers";

let emulator: RunningEmulator;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  emulator = await startEmulator({ seed: 5, jobs: 12 });
  env = emulatorEnv(emulator);
});
afterAll(() => emulator.close());

const requests = () => emulator.admin.stats().requests.total;

describe("formats", () => {
  it("jsonl: one object a line; --fields picks and orders the fields; -q prints ids only", async () => {
    const [lines, picked, quiet] = await Promise.all([
      invoke(["list", "ddm", "--since", "30d", "-o", "jsonl"], env),
      invoke(["list", "ddm", "--since", "30d", "-o", "json", "--fields", "status,id"], env),
      invoke(["list", "ddm", "--since", "30d", "-q"], env),
    ]);
    const objects = lines.stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, string>);
    const ids = emulator.admin.jobs("ddm").map((j) => j.id).sort();
    expect(objects.map((o) => o.id).sort()).toEqual(ids);
    const two = JSON.parse(picked.stdout) as Array<Record<string, string>>;
    expect(two.every((o) => Object.keys(o).join(",") === "status,id")).toBe(true);
    expect(quiet.stdout.trim().split("\n").sort()).toEqual(ids);
  });

  it("-o wide adds ended, run time, progress and fail reason with full ids; --no-headers drops header and summary", async () => {
    const failed = emulator.admin.addJob("ddm", { timeline: { runForMs: 0, outcome: "Failed", failReason: "shard 3 locked" } });
    const [wide, bare] = await Promise.all([
      invoke(["list", "ddm", "--since", "1d", "-o", "wide"], env),
      invoke(["list", "ddm", "--since", "1d", "--no-headers"], { ...env, COLUMNS: "200" }),
    ]);
    expect(wide.stdout.split("\n")[0]).toMatch(/^service\s+name\s+status\s+phase\s+created \(UTC\)\s+ended \(UTC\)\s+run time\s+progress\s+id\s+fail reason$/);
    expect(wide.stdout).toMatch(new RegExp(`${failed.id}\\s+shard 3 locked`));
    expect(bare.stdout).not.toMatch(/^service/m);
    expect(bare.stdout).not.toMatch(/jobs? \(ddm/);
    // 200 columns: the whole id fits; at 80 it is cut to the 8 characters `get` accepts back.
    expect(bare.stdout).toContain(failed.id);
    const narrow = await invoke(["list", "ddm", "--since", "1d", "--no-headers"], env);
    expect(narrow.stdout).toContain(failed.id.slice(0, 8));
    expect(narrow.stdout).not.toContain(failed.id);
  });

  it("relative ages beside absolute UTC times", async () => {
    const r = await invoke(["list", "ddm", "--since", "30d"], { ...env, COLUMNS: "160" });
    expect(r.stdout).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} \(\d+[smhd] ago\)/);
  });
});

describe("ids as people type them", () => {
  it("get and wait accept any unique prefix of an id", async () => {
    const job = emulator.admin.addJob("ddm", { timeline: { runForMs: 0, outcome: "Completed" } });
    const prefix = job.id.slice(0, 8);
    const [got, waited] = await Promise.all([
      invoke(["get", "ddm", prefix, "-o", "json"], env),
      invoke(["wait", "ddm", prefix, "--interval", "1s", "--timeout", "30s"], env),
    ]);
    expect(got.code).toBe(0);
    expect((JSON.parse(got.stdout) as JobRecord).id).toBe(job.id);
    expect(waited.code).toBe(0);
    expect(waited.stdout).toContain(job.id);
  });

  it("a prefix that matches nothing is exit 3", async () => {
    const r = await invoke(["get", "ddm", "ffffffff"], env);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/DDM has no job ffffffff: no job id starts with it/);
  });
});

describe("server text that must not act", () => {
  const hostile = `evil${ESC}]0;pwned\u0007${ESC}[2Jname`;

  it("escape sequences in a job name are removed from the table and the detail view", async () => {
    const job = emulator.admin.addJob("ddm", { name: hostile, timeline: { runForMs: 0, outcome: "Completed" } });
    const [table, detail] = await Promise.all([
      invoke(["list", "ddm", "--since", "1h", "--fields", "id,name"], { ...env, COLUMNS: "200" }),
      invoke(["get", "ddm", job.id], { ...env, COLUMNS: "200" }),
    ]);
    for (const out of [table.stdout, detail.stdout]) {
      expect(out).toContain("evil");
      expect(out).not.toContain(ESC);
      expect(out).not.toContain("\u0007");
    }
  });

  it("wait prints a hostile fail reason without its escape sequences", async () => {
    const job = emulator.admin.addJob("dds", { timeline: { runForMs: 0, outcome: "Failed", failReason: hostile } });
    const r = await invoke(["wait", "dds", job.id, "--interval", "1s", "--timeout", "30s"], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("evil");
    expect(r.stdout + r.stderr).not.toContain(ESC);
    expect(r.stdout).not.toContain("\u0007");
  });

  it("csv cells that a spreadsheet would run as formulas get a leading quote", async () => {
    expect(["=cmd|' /C calc'!A0", "+1", "-2", "@SUM(A1)", "\tx", "plain"].map(csvCell)).toEqual([
      "'=cmd|' /C calc'!A0",
      "'+1",
      "'-2",
      "'@SUM(A1)",
      "'\tx",
      "plain",
    ]);
    emulator.admin.addJob("ddm", { name: "=HYPERLINK(\"http://x\")", timeline: { runForMs: 0, outcome: "Completed" } });
    const r = await invoke(["list", "ddm", "--since", "1h", "-o", "csv"], env);
    const names = parseCsv(r.stdout).map((row) => row[2]);
    expect(names).toContain("'=HYPERLINK(\"http://x\")");
    expect(names.some((n) => n?.startsWith("="))).toBe(false);
  });
});

describe("flags checked before any request", () => {
  it.each([
    [["list", "drs", "--since", "15000000w"], /--since.*at most 3650d/],
    [["list", "all", "--since", "31d"], /--since: window starts 31 days ago; DDM keeps 30d/],
    [["list", "all", "--end", "1d", "--start", "2d", "--since", "3d"], /--since|--start/],
    [["list", "ddm", "--fields", "id,secret"], /"secret" is not a field/],
    [["wait", "ddm", "x", "--interval", "10ms"], /--interval: must be at least 1s/],
    [["wait", "ddm", "abcdef12", "--interval", "2h"], /--interval: must be from 1s to 1h/],
  ])("%j exits 3 without a request", async (args, message) => {
    const before = requests();
    const r = await invoke(args, env);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(message);
    expect(requests()).toBe(before);
  });

  it("a time of day without a zone is UTC, like every time the CLI prints", () => {
    expect(timeFlag("2026-11-29T08:00")).toBe("2026-11-29T08:00Z");
    expect(timeFlag("2026-11-29 08:00:30")).toBe("2026-11-29T08:00:30Z");
    expect(timeFlag("2026-11-29T08:00:00+01:00")).toBe("2026-11-29T08:00:00+01:00");
    expect(timeFlag("2026-11-29")).toBe("2026-11-29");
  });
});

describe(jobListWriter.name, () => {
  const job = (i: number): JobRecord => ({
    service: "dds",
    id: `job-${i}`,
    name: i % 2 ? "CreateMongoDB" : "=cmd|' /C calc'!A0",
    status: "Completed",
    phase: "succeeded",
    created: `2026-11-20T08:00:${String(i % 60).padStart(2, "0")}.000Z`,
    ended: "",
    progress: "",
    instanceId: "",
    instanceName: 'a "quoted", name',
    dbUseType: "",
    failReason: i % 3 ? "" : "line one\nline two",
  });
  /** Writes `pages` through one writer into a string; a stream that is always ready. */
  async function written(format: ListFormat, pages: JobRecord[][], opts: { failed?: boolean; headers?: boolean } = {}): Promise<string> {
    let text = "";
    const io: Io = { stdout: { write: (s: string) => ((text += s), true) } as unknown as Io["stdout"], stderr: process.stderr, env: {} };
    const w = jobListWriter(io, format, { headers: opts.headers });
    for (const p of pages) await w.write(p);
    await w.end(opts.failed);
    return text;
  }
  const jobs = Array.from({ length: 1203 }, (_, i) => job(i));
  const pages = [jobs.slice(0, 128), jobs.slice(128, 129), jobs.slice(129)];

  it("writes the same bytes whether the jobs come in one call or page by page, in every format", async () => {
    for (const format of ["json", "jsonl", "csv", "yaml", "ids"] as const) {
      expect({ format, text: await written(format, pages) }).toEqual({ format, text: await written(format, [jobs]) });
    }
    expect(JSON.parse(await written("json", pages))).toHaveLength(jobs.length);
    expect(parseYaml(await written("yaml", pages))).toHaveLength(jobs.length);
    const csv = parseCsv(await written("csv", pages));
    expect(csv).toHaveLength(jobs.length + 1);
    expect(csv[1]![2]).toBe("'=cmd|' /C calc'!A0");
    expect((await written("jsonl", pages)).trimEnd().split("\n").map((l) => (JSON.parse(l) as JobRecord).id)).toEqual(jobs.map((j) => j.id));
  });

  it("records carry exactly the output fields in order, so json and jsonl may write a record as it is", async () => {
    // The writer's no-copy path relies on this; a job with problems goes through plainJob (no `problems` key).
    const job = { id: "x", name: "n", status: "s", phase: "running", createdTime: "c", createdAt: "c", createTime: "c", endTime: "e", endedAt: "e", process: "p", progress: "p", instanceId: "i", instanceName: "in", failReason: "f", dbUseType: "sync", errorMsg: "m" };
    const records = [ddmRecord(job as unknown as DdmJob), ddsRecord(job as unknown as DdsJob), drsRecord(job as unknown as DrsJob)];
    for (const r of records) expect(Object.keys(r)).toEqual([...RECORD_FIELDS]);
    const withProblems: JobRecord = { ...records[0]!, problems: ["status: missing"] };
    for (const format of ["json", "jsonl"] as const) {
      const text = await written(format, [[records[0]!, withProblems]]);
      const objects = (format === "json" ? JSON.parse(text) : text.trimEnd().split("\n").map((l) => JSON.parse(l))) as object[];
      expect(objects.map((o) => Object.keys(o))).toEqual([[...RECORD_FIELDS], [...RECORD_FIELDS]]);
    }
  });

  it("an empty list is [] or a header; a listing that failed before its first job prints nothing, one begun is closed", async () => {
    expect(await written("json", [])).toBe("[]\n");
    expect(await written("yaml", [[]])).toBe("[]\n");
    expect(await written("csv", [])).toMatch(/^service,id,name,.*failReason\n$/);
    expect(await written("csv", [], { headers: false })).toBe("");
    for (const format of ["json", "jsonl", "csv", "yaml", "ids"] as const) expect(await written(format, [], { failed: true })).toBe("");
    expect(JSON.parse(await written("json", [jobs.slice(0, 3)], { failed: true }))).toHaveLength(3);
  });
});

describe(renderJobTable.name, () => {
  it("renders a large table in one pass, every row once, within the width", () => {
    const n = 200_000;
    const jobs: JobRecord[] = Array.from({ length: n }, (_, i) => ({
      service: "ddm",
      id: `${String(i).padStart(8, "0")}-3ddc-4e05-b8ab-51662d824318`,
      name: i % 7 ? "migrateLogicDb" : "a-very-long-task-name-that-will-not-fit-in-a-narrow-terminal",
      status: "Completed",
      phase: "succeeded",
      created: "2026-11-20T08:00:00.000Z",
      ended: "",
      progress: "",
      instanceId: "",
      instanceName: "",
      dbUseType: "",
      failReason: "",
    }));
    const text = renderJobTable(jobs, { colors: createColors(false), width: 80, now: Date.parse("2026-11-29T08:00:00Z") });
    const lines = text.split("\n");
    expect(lines).toHaveLength(n + 1);
    expect(Math.max(...lines.slice(0, 1000).map((l) => l.length))).toBeLessThanOrEqual(80);
  });
});

describe("errors that say what to do", () => {
  it("a missing project names the flag, the variables and the otcjobs: key", async () => {
    const r = await invoke(["list", "ddm"], { OTCJOBS_ENDPOINT: emulator.gateway, OS_AUTH_TOKEN: emulator.token, PATH: process.env.PATH });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/no project: set projectId \(OS_PROJECT_ID, .*otcjobs:projectId\).*\(or the flag --project-id\)/);
  });

  it("rejected credentials are exit 5 with the remedy, not an outage", async () => {
    const r = await invoke(["list", "ddm"], { ...env, OS_AUTH_TOKEN: "expired-token-0123456789" });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/HTTP 401 .*renew or fix the credentials/);
    expect(r.stderr).not.toContain("expired-token-0123456789");
  });
});
