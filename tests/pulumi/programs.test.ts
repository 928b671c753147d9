import { execFile } from "node:child_process";
import { join } from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator";

const ROOT = join(__dirname, "..", "..");
let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: 21, jobs: 200 });
});
afterAll(() => emu.close());

interface Run {
  registered: string[];
  outputs: Record<string, unknown>;
  errors: string[];
}

/** Runs a compiled program under mocks in a child process with the emulator as the cloud. */
// Asynchronous: the emulator answering the child lives in this process's event loop.
async function run(
  program: string,
  project: string,
  opts: { preview?: boolean; config?: Record<string, string>; env?: Record<string, string>; secretKeys?: string[]; noEnvCredentials?: boolean } = {},
): Promise<Run> {
  const credentials = opts.noEnvCredentials ? {} : { OTCJOBS_ENDPOINT: emu.gateway, OS_AUTH_TOKEN: emu.token, OS_PROJECT_ID: emu.projectId };
  const out = await new Promise<string>((resolve) => {
    const child = execFile(process.execPath, [join(__dirname, "run-program.js"), join(ROOT, program), project, ...(opts.preview ? ["--preview"] : [])], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      ...credentials,
      PULUMI_CONFIG: JSON.stringify(opts.config ?? {}),
      PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(opts.secretKeys ?? []),
      ...opts.env,
    },
    encoding: "utf8",
    timeout: 60_000,
  },
    // The runtime exits non-zero when Outputs are left pending (a closed gate); the report is on stdout either way.
    (_err, stdout) => resolve(stdout));
    void child;
  });
  return JSON.parse(out.trim().split("\n").at(-1)!);
}

const requests = () => emu.admin.stats().requests.total;

describe("examples/gate-deployment under mocks", () => {
  it("waits for the migration, then registers the release", async () => {
    const job = emu.admin.addJob("ddm", { name: "migrateLogicDb", instanceName: "orders-ddm", timeline: { runForMs: 1000, outcome: "Completed" } });
    const r = await run("dist/examples/gate-deployment/index.js", "otc-jobs-gate-deployment", {
      config: { "otc-jobs-gate-deployment:migrationJobId": job.id },
    });
    expect(r.errors).toEqual([]);
    expect(r.registered).toEqual(expect.arrayContaining(["shard-migration", "orders-service"]));
    expect(r.outputs).toMatchObject({ migrationPhase: expect.any(String), releasedAgainst: "orders-ddm" });
    expect(typeof r.outputs.gateCheckedAt).toBe("string");
  });

  it("does not register the release when the migration failed", async () => {
    const job = emu.admin.addJob("ddm", { name: "migrateLogicDb", timeline: { runForMs: 200, outcome: "Failed", failReason: "shard 3 unreachable" } });
    const r = await run("dist/examples/gate-deployment/index.js", "otc-jobs-gate-deployment", {
      config: { "otc-jobs-gate-deployment:migrationJobId": job.id },
    });
    expect(r.registered).not.toContain("orders-service");
    expect(r.registered).not.toContain("shard-migration");
    expect(r.errors.join("\n")).toContain(`DDM migrateLogicDb ${job.id} is Failed (shard 3 unreachable)`);
  });
});

describe("examples/audit under mocks", () => {
  it("exports the failed jobs of the last 7 days across the three services", async () => {
    const r = await run("dist/examples/audit/index.js", "otc-jobs-audit");
    expect(r.errors).toEqual([]);
    const failed = r.outputs.failedJobs as Array<{ service: string; id: string; status: string }>;
    const week = Date.now() - 7 * 86_400_000;
    const expectedDdm = emu.admin
      .jobs("ddm")
      .filter((j) => j.status === "Failed" && Date.parse(j.created_time.replace(/(\+\d\d)(\d\d)$/, "$1:$2")) >= week);
    expect(failed.filter((j) => j.service === "ddm").map((j) => j.id).sort()).toEqual(expectedDdm.map((j) => j.id).sort());
    expect(failed.length).toBeGreaterThan(expectedDdm.length);
    expect(new Set(failed.map((j) => j.service))).toEqual(new Set(["ddm", "dds", "drs"]));
    expect(r.outputs.failedCount).toEqual({
      ddm: expectedDdm.length,
      dds: failed.filter((j) => j.service === "dds").length,
      drs: failed.filter((j) => j.service === "drs").length,
    });
  });
});

describe("provider settings from otcjobs:* stack config", () => {
  it("reads endpoint, project and a secret token from stack config alone, and keeps the token out of results", async () => {
    const r = await run("dist/examples/audit/index.js", "otc-jobs-audit", {
      noEnvCredentials: true,
      config: { "otcjobs:endpoint": emu.gateway, "otcjobs:projectId": emu.projectId, "otcjobs:token": emu.token },
      secretKeys: ["otcjobs:token"],
    });
    expect(r.errors).toEqual([]);
    expect((r.outputs.failedJobs as unknown[]).length).toBeGreaterThan(0);
    expect(JSON.stringify(r.outputs)).not.toContain(emu.token);
  });

  it("says where it looked when no credentials are configured", async () => {
    const r = await run("dist/examples/audit/index.js", "otc-jobs-audit", { noEnvCredentials: true, config: { "otcjobs:endpoint": emu.gateway } });
    expect(r.errors.join("\n")).toContain("no credentials found. Looked in:");
    expect(r.errors.join("\n")).toContain("Pulumi config (otcjobs:token");
  });
});

describe("data-source semantics", () => {
  it("makes no call in preview while a dependsOn resource is being created; a secret input makes the result secret", async () => {
    const before = requests();
    const preview = await run("tests/pulumi/programs/depends-on.js", "deps", { preview: true });
    expect(preview.outputs.count).toBe("<unresolved>");
    // Only the un-gated call (with a secret input) went out.
    expect(typeof preview.outputs.secretCount).toBe("number");
    expect(preview.outputs.secretIsSecret).toBe(true);
    expect(requests() - before).toBe(1);

    const up = await run("tests/pulumi/programs/depends-on.js", "deps");
    expect(typeof up.outputs.count).toBe("number");
  });

  it("requireJobs keeps a guarded resource unregistered while the job is not done", async () => {
    const running = emu.admin.addJob("ddm", { name: "EnlargeNode", timeline: { runForMs: 600_000 } });
    const r = await run("tests/pulumi/programs/require-jobs.js", "gate", { env: { TEST_JOB_ID: running.id } });
    expect(r.registered).toEqual(["unguarded"]);
    expect(r.errors.join("\n")).toContain(`gate closed: jobs are not ready: EnlargeNode ${running.id} is Running`);

    const done = emu.admin.addJob("ddm", { name: "EnlargeNode", timeline: { runForMs: 0, outcome: "Completed" } });
    const ok = await run("tests/pulumi/programs/require-jobs.js", "gate", { env: { TEST_JOB_ID: done.id } });
    expect(ok.registered.sort()).toEqual(["guarded", "unguarded"]);
  });

  it("requireJobs latestPerName opens on the latest run succeeding, though an earlier run failed", async () => {
    const task = "migrateLogicDbLatest";
    emu.admin.addJob("ddm", { name: task, timeline: { runForMs: 0, outcome: "Failed", failReason: "first try" } });
    await new Promise((r) => setTimeout(r, 1100)); // the list orders by creation second
    emu.admin.addJob("ddm", { name: task, timeline: { runForMs: 0, outcome: "Completed" } });
    const r = await run("tests/pulumi/programs/require-latest.js", "latest", { env: { TEST_TASK: task } });
    expect(r.registered).toEqual(["latest"]);
    expect(r.errors.join("\n")).toContain(`gate closed: jobs are not ready: ${task}`);
  });
});
