/** `otc-jobs list`: every output format against the emulator's own view of its jobs, filters, errors. */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { RECORD_FIELDS as JOB_FIELDS } from "../../provider";
import { assertBuilt, emulatorEnv, ESC, invoke, parseCsv, RECORD_MODULES, ROOT, run, sorted } from "./helpers";

const TOKEN = "list-test-token-0123456789";
let emulator: RunningEmulator;
let env: NodeJS.ProcessEnv;

type Job = Record<(typeof JOB_FIELDS)[number], string>;

beforeAll(async () => {
  assertBuilt();
  emulator = await startEmulator({ seed: 11, jobs: 40, token: TOKEN });
  env = emulatorEnv(emulator);
});
afterAll(async () => {
  await emulator?.close();
});

const adminIds = (service: "ddm" | "dds" | "drs") => emulator.admin.jobs(service).map((j) => j.id);
const json = (stdout: string) => JSON.parse(stdout) as Job[];
const idsOf = (jobs: Job[], service?: string) => jobs.filter((j) => !service || j.service === service).map((j) => j.id);

describe("output formats for scripts", () => {
  it("json: every DDM job of the window, normalized fields; --sorted: newest first", async () => {
    const [r, s] = await Promise.all([run(["list", "ddm", "--since", "30d", "--output", "json"], { env }), run(["list", "ddm", "--since", "30d", "-o", "json", "--sorted"], { env })]);
    expect([r.stderr, s.stderr]).toEqual(["", ""]);
    expect([r.code, s.code]).toEqual([0, 0]);
    const jobs = json(r.stdout);
    expect(sorted(idsOf(jobs))).toEqual(sorted(adminIds("ddm")));
    for (const j of jobs) {
      expect(Object.keys(j)).toEqual([...JOB_FIELDS]);
      expect(j.service).toBe("ddm");
      expect(j.created).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
    // Streamed and sorted output hold the same jobs (running ones move on between the two runs); sorted is newest first.
    const bySorted = json(s.stdout);
    expect(sorted(idsOf(bySorted))).toEqual(sorted(idsOf(jobs)));
    const created = bySorted.map((j) => j.created);
    expect(created).toEqual([...created].sort().reverse());
  });

  it("yaml: list all merges the three services; csv: a header of the json fields", async () => {
    const [y, ys, c] = await Promise.all([
      run(["list", "all", "--since", "30d", "-o", "yaml"], { env }),
      run(["list", "all", "--since", "30d", "-o", "yaml", "--sorted"], { env }),
      run(["list", "dds", "--since", "30d", "-o", "csv"], { env }),
    ]);
    expect([y.code, ys.code, c.code]).toEqual([0, 0, 0]);
    // As pages arrive, the services interleave; --sorted merges them newest first.
    expect(sorted(idsOf(parseYaml(y.stdout) as Job[]))).toEqual(sorted(idsOf(parseYaml(ys.stdout) as Job[])));
    const jobs = parseYaml(ys.stdout) as Job[];
    expect(sorted(idsOf(jobs, "ddm"))).toEqual(sorted(adminIds("ddm")));
    expect(sorted(idsOf(jobs, "dds"))).toEqual(sorted(adminIds("dds")));
    // Seeded DRS jobs are at most 25 days old, so the 30-day window keeps all of them.
    expect(sorted(idsOf(jobs, "drs"))).toEqual(sorted(adminIds("drs")));
    expect(jobs.map((j) => j.created)).toEqual(jobs.map((j) => j.created).sort().reverse());

    const [header, ...rows] = parseCsv(c.stdout);
    expect(header).toEqual([...JOB_FIELDS]);
    expect(sorted(rows.map((row) => row[1]!))).toEqual(sorted(adminIds("dds")));
    expect(rows.every((row) => row.length === JOB_FIELDS.length && row[0] === "dds")).toBe(true);
  });

  it("DRS has no window: list drs shows every job, a window flag or list all filters by create_time", async () => {
    const old = emulator.admin.addJob("drs", { dbUseType: "sync", createdAt: Date.now() - 40 * 86_400_000, timeline: { runForMs: 0 } });
    const [plain, windowed, all] = await Promise.all([
      invoke(["list", "drs", "-o", "json"], env),
      invoke(["list", "drs", "--since", "30d", "-o", "json"], env),
      invoke(["list", "all", "--since", "30d", "-o", "json"], env),
    ]);
    expect(sorted(idsOf(json(plain.stdout)))).toEqual(sorted(adminIds("drs")));
    expect(idsOf(json(plain.stdout))).toContain(old.id);
    expect(idsOf(json(windowed.stdout))).not.toContain(old.id);
    expect(idsOf(json(windowed.stdout))).toHaveLength(adminIds("drs").length - 1);
    expect(idsOf(json(all.stdout), "drs")).not.toContain(old.id);
  });
});

describe("the table", () => {
  it("fits 80 columns, plain when piped, with a summary; --wide shows full ids", async () => {
    const [t, j, w] = await Promise.all([run(["list", "all"], { env }), invoke(["list", "all", "-o", "json", "--sorted"], env), invoke(["list", "ddm", "--wide"], env)]);
    expect(t.code).toBe(0);
    const lines = t.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^service\s+name\s+status\s+phase\s+created \(UTC\)\s+id$/);
    expect(t.stdout).not.toContain(ESC);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    const jobs = json(j.stdout);
    expect(lines.filter((l) => /^(ddm|dds|drs)\s/.test(l))).toHaveLength(jobs.length);
    expect(t.stdout).toContain(`${jobs.length} jobs (ddm ${idsOf(jobs, "ddm").length}, dds ${idsOf(jobs, "dds").length}, drs ${idsOf(jobs, "drs").length})`);
    // Rows in the json order, short ids.
    const firstRow = lines[1]!.split(/\s{2,}/);
    expect(firstRow[0]).toBe(jobs[0]!.service);
    expect(firstRow[5]).toBe(jobs[0]!.id.slice(0, 8));
    expect(w.stdout).toContain(adminIds("ddm")[0]!);
  });

  it("colours the phase on request (FORCE_COLOR), never in json", async () => {
    const colored = { ...env, FORCE_COLOR: "1" };
    const [t, j] = await Promise.all([invoke(["list", "dds"], colored), invoke(["list", "dds", "-o", "json"], colored)]);
    expect(t.stdout).toMatch(new RegExp(`${ESC}\\[\\d+m(succeeded|running|failed)`));
    expect(j.stdout).not.toContain(ESC);
  });
});

describe("filters", () => {
  it("--status, --phase, --name, --db-use-type and --max-items", async () => {
    const [status, phase, name, useType, capped, full] = await Promise.all([
      invoke(["list", "all", "--since", "30d", "--status", "Failed", "-o", "json"], env),
      invoke(["list", "all", "--since", "30d", "--phase", "failed", "-o", "json"], env),
      invoke(["list", "ddm", "--since", "30d", "--name", "migrateLogicDb,CreateInstance", "-o", "json"], env),
      invoke(["list", "drs", "--db-use-type", "sync", "-o", "json"], env),
      invoke(["list", "all", "--since", "30d", "--max-items", "5", "-o", "json"], env),
      invoke(["list", "all", "--since", "30d", "-o", "json", "--sorted"], env),
    ]);
    const failedRaw = (s: "ddm" | "dds") => emulator.admin.jobs(s).filter((j) => j.status === "Failed").map((j) => j.id);
    // "Failed" is a DDM and DDS status; DRS has none by that name, so it is not queried.
    expect(sorted(idsOf(json(status.stdout)))).toEqual(sorted([...failedRaw("ddm"), ...failedRaw("dds")]));
    const byPhase = json(phase.stdout);
    expect(byPhase.every((j) => j.phase === "failed")).toBe(true);
    expect(new Set(byPhase.map((j) => j.service))).toEqual(new Set(["ddm", "dds", "drs"]));
    expect(json(name.stdout).every((j) => ["migrateLogicDb", "CreateInstance"].includes(j.name))).toBe(true);
    expect(json(name.stdout).length).toBeGreaterThan(0);
    const sync = json(useType.stdout);
    expect(sync.length).toBeGreaterThan(0);
    expect(sorted(idsOf(sync))).toEqual(sorted(emulator.admin.jobs("drs").filter((j) => j.db_use_type === "sync").map((j) => j.id)));
    expect(idsOf(json(capped.stdout))).toEqual(idsOf(json(full.stdout)).slice(0, 5));
  });
});

describe("errors", () => {
  it("bad flags exit 3 with a message naming the flag", async () => {
    // The first three through the binary, the rest through the same main() in-process.
    const cases: Array<[string[], RegExp]> = [
      [["list", "ddm", "--bogus"], /unknown option '--bogus'/],
      [["list", "ddm", "--since", "7x"], /--since.*'7x' is invalid/],
      [["list", "ddm", "--status", "Runing"], /--status: "Runing" is not a DDM status; use one of Running/],
      [["list", "ddm", "--since", "7d", "--start", "2026-01-01T00:00:00Z"], /--since.*cannot be used with.*--start/],
      [["list", "mysql"], /'mysql' is invalid for argument 'service'/],
      [["list", "all", "--status", "failed"], /--status: "failed" is not a DDM, DDS or DRS status \(to filter by phase, use --phase failed\)/],
      [["list", "ddm", "--db-use-type", "sync"], /--db-use-type: applies to drs/],
      [["list", "ddm", "--since", "40d"], /--since: window starts 40 days ago; DDM keeps 30d/],
      [["list", "ddm", "-o", "xml"], /'xml' is invalid.*table, wide, json, jsonl, csv, yaml/],
      [["list", "ddm", "--max-items", "0"], /--max-items.*whole number from 1/],
      [["list", "ddm", "--phase", "done"], /"done" is not a phase/],
      [["list"], /missing required argument 'service'/],
    ];
    const results = await Promise.all(cases.map(([args], i) => (i < 3 ? run(args, { env }) : invoke(args, env))));
    results.forEach((r, i) => {
      expect({ args: cases[i]![0], code: r.code }).toEqual({ args: cases[i]![0], code: 3 });
      expect(r.stderr).toMatch(cases[i]![1]);
      expect(r.stdout).toBe("");
    });
  });

  it("a service that fails: the others are listed, the failure is named, exit 4", async () => {
    emulator.admin.setFaults({ errorRate: 1, errorStatuses: [403], services: ["dds"] });
    try {
      const r = await run(["list", "all", "--since", "30d", "-o", "json"], { env });
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(/otc-jobs: DDS: DDS ListJobs failed: HTTP 403/);
      const jobs = json(r.stdout);
      expect(new Set(jobs.map((j) => j.service))).toEqual(new Set(["ddm", "drs"]));
    } finally {
      emulator.admin.reset();
    }
  });

  it("--verbose logs each request to stderr without secrets", async () => {
    const r = await run(["--verbose", "list", "ddm"], { env });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`ddm ListJobs: GET /ddm/v3/${emulator.projectId}/jobs\\?start_time=\\d+&end_time=\\d+&offset=0&limit=128 -> 200 in \\d+ ms \\(request id \\w+\\)`));
    expect(r.stderr).toContain("config token = [redacted] from environment (OS_AUTH_TOKEN)");
    expect(r.stderr).toContain(`config endpoint = "${emulator.gateway}" from environment (OTCJOBS_ENDPOINT)`);
    expect(r.stderr).not.toContain(TOKEN);
    expect(r.stdout).not.toContain(TOKEN);
  });

  it("never loads @pulumi/pulumi", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "otc-jobs-cli-")), "modules.json");
    const r = await run(["list", "all"], { env: { ...env, OTCJOBS_TEST_MODULES_FILE: file }, nodeArgs: ["--require", RECORD_MODULES] });
    expect(r.code).toBe(0);
    const modules = JSON.parse(readFileSync(file, "utf8")) as string[];
    expect(modules.filter((m) => m.includes(join("node_modules", "@pulumi")))).toEqual([]);
    // The binary runs the CLI from its bundle, which holds undici and the rest but not Pulumi (nor a
    // require of it); a build without a bundle loads the modules one by one, and the hook sees them.
    const bundle = join(ROOT, "dist", "cli", "otc-jobs.js");
    if (existsSync(bundle)) expect(readFileSync(bundle, "utf8")).not.toContain("@pulumi");
    else expect(modules.some((m) => m.includes(join("node_modules", "undici")))).toBe(true);
  });
});

describe("streamed listings", () => {
  // 300 DDM jobs: three pages of 128, written as they arrive.
  let big: RunningEmulator;
  let bigEnv: NodeJS.ProcessEnv;
  beforeAll(async () => {
    big = await startEmulator({ seed: 12, jobs: { ddm: 300, dds: 0, drs: 0 }, token: TOKEN });
    bigEnv = emulatorEnv(big);
  });
  afterAll(async () => {
    await big?.close();
  });

  it("json, jsonl, csv and -q of several pages: every job once, the same jobs as --sorted", async () => {
    const args = ["list", "ddm", "--since", "30d"];
    const [j, l, c, q, s] = await Promise.all([
      run([...args, "-o", "json"], { env: bigEnv }),
      run([...args, "-o", "jsonl"], { env: bigEnv }),
      run([...args, "-o", "csv"], { env: bigEnv }),
      run([...args, "-q"], { env: bigEnv }),
      run([...args, "-o", "json", "--sorted"], { env: bigEnv }),
    ]);
    expect([j.code, l.code, c.code, q.code, s.code]).toEqual([0, 0, 0, 0, 0]);
    const all = sorted(big.admin.jobs("ddm").map((x) => x.id));
    expect(all).toHaveLength(300);
    expect(sorted(idsOf(json(j.stdout)))).toEqual(all);
    expect(sorted(l.stdout.trimEnd().split("\n").map((line) => (JSON.parse(line) as Job).id))).toEqual(all);
    expect(sorted(parseCsv(c.stdout).slice(1).map((row) => row[1]!))).toEqual(all);
    expect(sorted(q.stdout.trimEnd().split("\n"))).toEqual(all);
    expect(sorted(idsOf(json(s.stdout)))).toEqual(all);
  });

  it("a listing that breaks off after its first page: those jobs in a closed JSON array, the failure named, its exit code", async () => {
    // The first request succeeds; every later one is refused (403 is not retried).
    big.admin.setFaults({ script: ["ok"], errorRate: 1, errorStatuses: [403], services: ["ddm"] });
    try {
      const r = await run(["list", "ddm", "--since", "30d", "-o", "json"], { env: bigEnv });
      expect(r.code).toBe(5);
      expect(r.stderr).toMatch(/DDM ListJobs failed: HTTP 403/);
      const jobs = json(r.stdout);
      expect(jobs).toHaveLength(128);
      expect(new Set(idsOf(jobs)).size).toBe(128);
    } finally {
      big.admin.reset();
    }
    // Refused from the first request: nothing on stdout, not an empty list that looks complete.
    big.admin.setFaults({ errorRate: 1, errorStatuses: [403], services: ["ddm"] });
    try {
      const r = await run(["list", "ddm", "--since", "30d", "-o", "json"], { env: bigEnv });
      expect(r.code).toBe(5);
      expect(r.stdout).toBe("");
    } finally {
      big.admin.reset();
    }
  });
});
