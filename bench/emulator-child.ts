/**
 * The emulator in its own process, so its CPU and memory stay out of the client's figures.
 * Config (argv[2], JSON): `{ seed, jobs: {ddm, dds, drs}, drsMigrations? }`. With `drsMigrations`
 * the DRS `migration` jobs are topped up (admin addJob, created days ago) to exactly that many.
 * Answers `addJob` (admin addJob), `ids` (what a listing should return now), `faults` (set the fault config), `throttle` (the gateway's rate limit, or null), `stats`, `cpu` (this process's CPU time, µs, and its
 * request count, so the driver can tell the server's share of a figure), and `close`.
 */
import { type AddJobInput, type ServiceName, startEmulator, type FaultConfig, type ThrottleConfig } from "../emulator";
import { childConfig, failChild, toParent, type ChildMessage } from "./lib";

export interface EmulatorChildConfig {
  seed: number;
  jobs: { ddm: number; dds: number; drs: number };
  drsMigrations?: number;
}

const DAY = 86_400_000;

async function main(): Promise<void> {
  const config = childConfig<EmulatorChildConfig>();
  const emulator = await startEmulator({ seed: config.seed, jobs: config.jobs });
  const { admin } = emulator;

  if (config.drsMigrations !== undefined) {
    const have = admin.jobs("drs").filter((j) => j.db_use_type === "migration").length;
    if (have > config.drsMigrations) {
      throw new Error(`seeded ${have} DRS migrations, more than the ${config.drsMigrations} wanted: seed fewer DRS jobs`);
    }
    const base = admin.now().getTime() - 20 * DAY;
    for (let i = 0; i < config.drsMigrations - have; i++) {
      admin.addJob("drs", { dbUseType: "migration", createdAt: base - i * 1000, timeline: { runForMs: 0 } });
    }
  }
  const drs = admin.jobs("drs");
  const counts = {
    ddm: admin.jobs("ddm").length,
    dds: admin.jobs("dds").length,
    drs: drs.length,
    drsMigrations: drs.filter((j) => j.db_use_type === "migration").length,
  };

  process.on("message", (raw) => {
    const m = raw as ChildMessage;
    try {
      if (m.type === "close") {
        void emulator.close().then(() => process.exit(0));
      } else if (m.type === "faults") {
        admin.setFaults(m.faults as FaultConfig);
        void toParent({ id: m.id, type: "ok" });
      } else if (m.type === "throttle") {
        admin.setThrottle((m.throttle as ThrottleConfig | null) ?? undefined);
        void toParent({ id: m.id, type: "ok" });
      } else if (m.type === "addJob") {
        const job = admin.addJob(m.service as ServiceName, (m.input as AddJobInput | undefined) ?? {});
        void toParent({ id: m.id, type: "job", jobId: (job as { id?: string }).id });
      } else if (m.type === "ids") {
        // What a listing should return now: every DDM and DDS job of the last 29 days, DRS migrations.
        // An hour inside the 29-day window a listing asks for, so the edge never moves a job in or out.
        const since = admin.now().getTime() - 29 * DAY + 3_600_000;
        const recent = (created: string | undefined): boolean => created !== undefined && Date.parse(created) >= since;
        void toParent({
          id: m.id,
          type: "ids",
          ddm: admin.jobs("ddm").filter((j) => recent(j.created_time)).map((j) => j.id),
          dds: admin.jobs("dds").filter((j) => recent(j.created_at)).map((j) => j.id),
          drs: admin.jobs("drs").filter((j) => j.db_use_type === "migration").map((j) => j.id),
        });
      } else if (m.type === "cpu") {
        const cpu = process.cpuUsage();
        void toParent({ id: m.id, type: "cpu", cpuUs: cpu.user + cpu.system, requests: admin.stats().requests.total });
      } else if (m.type === "stats") {
        void toParent({ id: m.id, type: "stats", stats: admin.stats() });
      } else {
        void toParent({ id: m.id, type: "error", error: `unknown command ${m.type}` });
      }
    } catch (err) {
      void toParent({ id: m.id, type: "error", error: err instanceof Error ? err.message : String(err) });
    }
  });
  // The parent died: do not linger.
  process.on("disconnect", () => void emulator.close().then(() => process.exit(0)));

  await toParent({
    type: "ready",
    endpoints: emulator.endpoints,
    projectId: emulator.projectId,
    token: emulator.token,
    counts,
  });
}

main().catch(failChild);
