import { gateId } from "../../provider/gate";
import { jobGateProvider } from "../../provider/dynamic/jobGate";
import { startEmulator, type RunningEmulator } from "../../emulator";

let emu: RunningEmulator;
const stack = () =>
  new Map([
    ["otcjobs:endpoint", emu.gateway],
    ["otcjobs:token", emu.token],
    ["otcjobs:projectId", emu.projectId],
  ]);

let progress: string[] = [];
beforeAll(async () => {
  // The adapter writes progress lines to stderr (what reaches `pulumi up` from the host): collect them.
  jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    progress.push(String(chunk));
    return true;
  });
  emu = await startEmulator({ seed: 11, jobs: 40 });
  await jobGateProvider.configure!({ config: stack() } as never);
});
afterAll(() => emu.close());
beforeEach(() => (progress = []));

const fast = { pollInterval: "1s", timeout: "20s" };

describe("JobGate provider, called directly against the emulator", () => {
  it("creates once the selected DDM job completes, and reports it", async () => {
    const job = emu.admin.addJob("ddm", { name: "migrateLogicDb", timeline: { runForMs: 1200, outcome: "Completed" } });
    const r = await jobGateProvider.create({ service: "ddm", jobIds: [job.id], ...fast });
    expect(r.id).toBe(gateId({ service: "ddm", jobIds: [job.id] }));
    expect(r.outs!.jobs).toEqual([expect.objectContaining({ id: job.id, status: "Completed", phase: "succeeded" })]);
    expect(r.outs!.summary).toMatchObject({ total: 1, allFinished: true, anyFailed: false });
    expect(r.outs!).not.toHaveProperty("credentials");
    expect(progress.join("")).toMatch(new RegExp(`JobGate ddm: 0 of 1 done after \\d+ s; waiting for migrateLogicDb [A-Za-z]+`));
    expect(progress.at(-1)).toMatch(/^JobGate ddm: 1 of 1 done after \d+ s\n$/);
  });

  it("fails a mistyped id after the not-found grace, not after the whole timeout", async () => {
    const started = Date.now();
    await expect(
      jobGateProvider.create({ service: "ddm", jobIds: ["0123456789abcdef0123456789abcdefjb09"], pollInterval: "1s", notFoundGrace: "500ms", timeout: "10m" }),
    ).rejects.toMatchObject({ code: "OTCJOBS_JOB_NOT_FOUND", message: expect.stringContaining("DDM has no job 0123456789abcdef0123456789abcdefjb09: not found for") });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("times out on a DRS sync gated on phases with a hint to target its status", async () => {
    // Already in its steady state at the first poll: the hint must not depend on how soon that poll comes.
    const job = emu.admin.addJob("drs", { dbUseType: "sync", name: "DRS-77-sync", timeline: { runForMs: 0, outcome: "INCRE_TRANSFER_STARTED" } });
    await expect(jobGateProvider.create({ service: "drs", jobIds: [job.id], dbUseType: "sync", pollInterval: "1s", timeout: "1s" })).rejects.toThrow(
      'it never finishes by itself; wait for the status INCRE_TRANSFER_STARTED instead (CLI --until INCRE_TRANSFER_STARTED, JobGate targetStatuses)',
    );
  });

  it("fails naming a failed DDM job and the reason its list reports", async () => {
    const job = emu.admin.addJob("ddm", { name: "migrateLogicDb", timeline: { runForMs: 300, outcome: "Failed", failReason: "shard 3 unreachable" } });
    await expect(jobGateProvider.create({ service: "ddm", jobIds: [job.id], ...fast })).rejects.toThrow(
      `1 of 1 job(s) failed: DDM migrateLogicDb ${job.id} is Failed (shard 3 unreachable)`,
    );
  });

  it("fails naming the failed job and its reason", async () => {
    const job = emu.admin.addJob("dds", { name: "RestartInstance", timeline: { runForMs: 300, outcome: "Failed", failReason: "node dds-1 did not come back" } });
    await expect(jobGateProvider.create({ service: "dds", jobIds: [job.id], ...fast })).rejects.toThrow(
      `1 of 1 job(s) failed: DDS RestartInstance ${job.id} is Failed (node dds-1 did not come back)`,
    );
  });

  it("times out naming what it still waited for", async () => {
    const job = emu.admin.addJob("ddm", { name: "EnlargeNode", timeline: { runForMs: 600_000 } });
    const started = Date.now();
    await expect(jobGateProvider.create({ service: "ddm", jobIds: [job.id], pollInterval: "1s", timeout: "1s" })).rejects.toThrow(
      `timed out after 1 s waiting for: DDM EnlargeNode ${job.id} is Running`,
    );
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("waits for a job that appears late, selected by filter", async () => {
    const instanceId = "9f1c0b7e5d4a4e3f8a2b1c0d9e8f7a6bin09";
    setTimeout(() => emu.admin.addJob("ddm", { name: "migrateLogicDb", instanceId, timeline: { runForMs: 300, outcome: "Completed" } }), 700);
    const r = await jobGateProvider.create({ service: "ddm", instanceId, name: "migrateLogicDb", startTime: "1h", ...fast });
    expect(r.outs!.jobs).toHaveLength(1);
    expect(r.outs!.jobs[0]).toMatchObject({ name: "migrateLogicDb", phase: "succeeded" });
  });

  it("gates a DRS sync on its steady status", async () => {
    const job = emu.admin.addJob("drs", { dbUseType: "sync", name: "DRS-4242-orders", timeline: { runForMs: 500 } });
    const r = await jobGateProvider.create({ service: "drs", jobIds: [job.id], dbUseType: "sync", targetStatuses: ["INCRE_TRANSFER_STARTED"], ...fast });
    expect(r.outs!.jobs[0]).toMatchObject({ status: "INCRE_TRANSFER_STARTED", phase: "running" });
  });

  it("read re-queries the jobs for refresh, without waiting", async () => {
    const job = emu.admin.addJob("ddm", { timeline: { runForMs: 600_000 } });
    const r = await jobGateProvider.read!(`ddm:${job.id}`, { service: "ddm", jobIds: [job.id], jobs: [], summary: undefined as never, checkedAt: "" });
    expect(r.props!.jobs).toEqual([expect.objectContaining({ id: job.id, phase: "running" })]);
  });

  it("read by an id alone (JobGate.get) reads the jobs the id names; a digest id names none", async () => {
    const job = emu.admin.addJob("ddm", { timeline: { runForMs: 0, outcome: "Completed" } });
    // What the dynamic-provider host passes for a get: the id, and props holding only __provider.
    const r = await jobGateProvider.read!(`ddm:${job.id}`, { __provider: "..." } as never);
    expect(r.id).toBe(`ddm:${job.id}`);
    expect(r.props).toMatchObject({ service: "ddm", jobIds: [job.id], jobs: [expect.objectContaining({ id: job.id, phase: "succeeded" })] });
    expect(await jobGateProvider.read!("ddm:sel-0123456789abcdef01234567", undefined)).toEqual({ id: "ddm:sel-0123456789abcdef01234567", props: undefined });
  });

  it("diff: other jobs replace the gate, other waiting rules update it, credentials are not compared", async () => {
    const base = { service: "ddm" as const, jobIds: ["a"] };
    const olds = { ...base, jobs: [], summary: undefined as never, checkedAt: "" };
    expect(await jobGateProvider.diff!("x", olds, { ...base })).toMatchObject({ changes: false, replaces: [] });
    expect(await jobGateProvider.diff!("x", olds, { ...base, jobIds: ["b"] })).toMatchObject({ changes: true, replaces: ["jobIds"] });
    expect(await jobGateProvider.diff!("x", olds, { ...base, timeout: "1h" })).toMatchObject({ changes: true, replaces: [] });
    expect(await jobGateProvider.diff!("x", olds, { ...base, credentials: { token: "new" } })).toMatchObject({ changes: false });
  });

  it("check names each bad input", async () => {
    const r = await jobGateProvider.check!({} as never, { service: "rds", timeout: "soon", jobIds: [] } as never);
    expect(r.failures).toEqual(
      expect.arrayContaining([
        { property: "service", reason: '"rds" is not a service; use ddm, dds or drs' },
        { property: "jobIds", reason: "must list at least one id (or select by filter)" },
        { property: "timeout", reason: '"soon" is not a duration like 90s, 10m or 2h (how long to wait before failing)' },
      ]),
    );
    const both = await jobGateProvider.check!({} as never, { service: "drs", jobIds: ["a"], instanceId: "i", dbUseType: "sync" });
    expect(both.failures!.map((f) => f.property)).toEqual(["jobIds", "instanceId"]);
  });
});
