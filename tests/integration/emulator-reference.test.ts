/**
 * The emulator speaks the whole reference: its seeded timelines pass through every documented status
 * of each service, DRS jobs carry job_action objects and children, times carry several offsets, and
 * each shape option switches one variant. The client reads every variant cleanly: each job once, its
 * status as sent, no problems.
 */
import { createClient, KNOWN_STATUSES, listDdmJobs, listDdsJobs, listDrsJobs } from "../../provider";
import { startEmulator, type EmulatorOptions } from "../../emulator";
import { DDM_STATUSES, generateDdmJobs } from "../../emulator/data/ddm";
import { DRS_STATUSES, drsStatusAt, generateDrsJobs } from "../../emulator/data/drs";
import { Rng } from "../../emulator/random";

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);

describe("seeded timelines", () => {
  it("pass through every documented DDM status", () => {
    const seen = new Set<string>();
    for (const job of generateDdmJobs(new Rng(3), 400, NOW)) for (const step of job.timeline.steps) seen.add(step.status);
    expect([...seen].sort()).toEqual([...DDM_STATUSES].sort());
    expect([...DDM_STATUSES].sort()).toEqual([...KNOWN_STATUSES.ddm].sort());
  });

  it("pass through every DRS status of both clouds (parents' CHILD_TRANSFER_* included)", () => {
    const seen = new Set<string>();
    for (const job of generateDrsJobs(new Rng(3), 600, NOW)) {
      const times = [job, ...job.children].flatMap((j) => j.timeline.steps.map((s) => s.at));
      for (const t of times) seen.add(drsStatusAt(job, t));
      for (const child of job.children) for (const s of child.timeline.steps) seen.add(s.status);
    }
    expect([...DRS_STATUSES].filter((s) => !seen.has(s))).toEqual([]);
    expect([...DRS_STATUSES].sort()).toEqual([...KNOWN_STATUSES.drs].sort());
  });
});

async function withEmulator(opts: EmulatorOptions, body: (e: Awaited<ReturnType<typeof startEmulator>>) => Promise<void>): Promise<void> {
  // The emulator's clock at real time: the client resolves its windows against Date.now().
  const emu = await startEmulator({ now: Date.now(), clock: "manual", seed: 5, jobs: 150, ...opts });
  try {
    await body(emu);
  } finally {
    await emu.close();
  }
}

/** Lists all three services through the client and checks each job comes back once, as the emulator holds it. */
async function listsCleanly(emu: Awaited<ReturnType<typeof startEmulator>>): Promise<void> {
  const client = createClient({ projectId: emu.projectId, token: emu.token, endpoint: emu.gateway, retry: { maxRetries: 0 } });
  try {
    const ddm = await listDdmJobs(client, { startTime: "29d", pageSize: 40 });
    const dds = await listDdsJobs(client, { startTime: "29d", pageSize: 40 });
    const drs = await listDrsJobs(client, { pageSize: 30 });
    for (const [service, r] of [["ddm", ddm], ["dds", dds], ["drs", drs]] as const) {
      expect(r.problems).toEqual([]);
      const held = emu.admin.jobs(service) as Array<{ id: string; status: string }>;
      const got = new Map(r.jobs.map((j) => [j.id, j.status]));
      expect(got.size).toBe(r.jobs.length);
      // Seeded jobs span 25 days: the 29-day windows hold them all.
      expect(r.jobs).toHaveLength(held.length);
      if (service === "drs") expect(new Map(held.map((j) => [j.id, j.status]))).toEqual(got);
      else for (const j of r.jobs) expect(held.find((h) => h.id === j.id)?.status).toBe(j.status);
    }
    // Every scenario and engine, without naming one: cloudDataGuard jobs are not hidden by the mysql default.
    expect(new Set(drs.jobs.map((j) => j.dbUseType))).toEqual(new Set(["migration", "sync", "cloudDataGuard"]));
    expect(drs.jobs.some((j) => j.engineType.startsWith("cloudDataGuard-") && j.engineType !== "cloudDataGuard-mysql")).toBe(true);
  } finally {
    await client.close();
  }
}

describe("reply shapes", () => {
  it("default: several offsets, job_action objects, children with every field, error_msg only when failed, no total_count", async () => {
    await withEmulator({}, async (emu) => {
      const ddm = emu.admin.jobs("ddm") as Array<{ created_time: string }>;
      expect(new Set(ddm.map((j) => j.created_time.slice(-5)))).toEqual(new Set(["+0000", "+0100", "+0800"]));
      const drs = emu.admin.jobs("drs") as Array<Record<string, unknown> & { children: Array<Record<string, unknown>> }>;
      expect(drs.every((j) => typeof j.job_action === "object")).toBe(true);
      const child = drs.flatMap((j) => j.children)[0]!;
      expect(Object.keys(child).filter((k) => k !== "error_msg").sort()).toEqual(
        ["billing_tag", "create_time", "db_use_type", "description", "engine_type", "id", "job_action", "job_direction", "name", "net_type", "node_newFramework", "status", "task_type"],
      );
      expect(drs.filter((j) => "error_msg" in j).every((j) => String(j.status).endsWith("_FAILED"))).toBe(true);
      await listsCleanly(emu);
    });
  });

  it("switched: +0800 only, null for empty texts, no job_action, error_msg always", async () => {
    await withEmulator({ shapes: { timeOffsets: ["+0800"], emptyText: "null", drsJobAction: false, drsErrorMsgWhenEmpty: "empty" }, ddsOmitTotalCount: false }, async (emu) => {
      const ddm = emu.admin.jobs("ddm") as Array<Record<string, unknown>>;
      expect(ddm.every((j) => String(j.created_time).endsWith("+0800"))).toBe(true);
      expect(ddm.some((j) => j.fail_reason === null)).toBe(true);
      const drs = emu.admin.jobs("drs") as Array<Record<string, unknown>>;
      expect(drs.every((j) => !("job_action" in j) && "error_msg" in j)).toBe(true);
      await listsCleanly(emu);
    });
  });

  it("switched: empty texts left out", async () => {
    await withEmulator({ shapes: { emptyText: "omit" } }, async (emu) => {
      const dds = emu.admin.jobs("dds") as Array<Record<string, unknown>>;
      expect(dds.some((j) => !("fail_reason" in j))).toBe(true);
      await listsCleanly(emu);
    });
  });

  it("refuses a malformed shape option", async () => {
    await expect(startEmulator({ shapes: { timeOffsets: ["+8"] } })).rejects.toThrow(/shapes.timeOffsets/);
  });
});
