/**
 * DRS lists have no time window: jobs created while a listing runs land at its head and push every
 * other job towards later pages. The listing must still return each job that existed throughout
 * exactly once (DESIGN.md 5). Jobs are added through the emulator's admin API while the listing is
 * in flight (latency keeps it in flight), from the request logger or from a timer.
 */
import { listDrsJobs, paginateDrsJobs, type RequestLogEvent } from "../../provider";
import { clientFor, useEmulator } from "./harness";

const emulator = useEmulator({ seed: 5150, jobs: { ddm: 0, dds: 0, drs: 320 } });

/**
 * Creates a job one second after the newest, so it sorts first. (The emulator's clock is manual and
 * its list ties on whole-second create times by id: a job created in the same second as an older
 * one may land behind it, which is not an insertion at the head; see the report on ties.)
 */
function addNewest(dbUseType: "migration" | "sync" = "migration"): string {
  const emu = emulator();
  emu.admin.advance(1_000);
  return emu.admin.addJob("drs", { dbUseType }).id;
}

function migrationIds(): string[] {
  return emulator()
    .admin.jobs("drs")
    .filter((j) => j.db_use_type === "migration")
    .map((j) => j.id);
}

function expectConsistent(got: string[], before: string[], added: string[]): void {
  expect(got.length).toBe(new Set(got).size);
  expect(before.filter((id) => !got.includes(id))).toEqual([]);
  const known = new Set([...before, ...added]);
  expect(got.filter((id) => !known.has(id))).toEqual([]);
}

describe("DRS listing while jobs are created at its head", () => {
  it.each([
    // pageSize, concurrency, jobs added after each of the first `bursts` responses, bursts
    [10, 4, 3, 6],
    [10, 1, 2, 8],
    [7, 8, 5, 4],
    [25, 3, 12, 3],
    [100, 8, 40, 1],
  ])("page size %i, concurrency %i: %i new jobs after each of %i responses", async (pageSize, concurrency, perBurst, bursts) => {
    const emu = emulator();
    emu.admin.setFaults({ latencyMs: 8, jitterMs: 8, services: ["drs"] });
    const before = migrationIds();
    const added: string[] = [];
    let responses = 0;
    const { client, log } = clientFor(emu, {
      logger: (e: RequestLogEvent) => {
        log.push(e);
        if (e.status === 200 && responses++ < bursts) {
          for (let i = 0; i < perBurst; i++) added.push(addNewest());
        }
      },
    });
    const r = await listDrsJobs(client, { dbUseType: "migration", pageSize, concurrency });
    expectConsistent(
      r.jobs.map((j) => j.id),
      before,
      added,
    );
    expect(added).toHaveLength(perBurst * bursts);
    // The shift was noticed and the positions it may have hidden were read again.
    const firstPass = Math.ceil(before.length / pageSize);
    if (firstPass > 1) expect(log.length).toBeGreaterThan(firstPass);
    await client.close();
  });

  it("from a timer, with several listings and page iterators running at once", async () => {
    const emu = emulator();
    emu.admin.setFaults({ latencyMs: 5, jitterMs: 10, services: ["drs"] });
    const before = migrationIds();
    const added: string[] = [];
    const timer = setInterval(() => added.push(addNewest()), 4);
    const { client } = clientFor(emu);
    try {
      const pages = async (): Promise<string[]> => {
        const out: string[] = [];
        for await (const page of paginateDrsJobs(client, { dbUseType: "migration", pageSize: 9, concurrency: 5 })) {
          out.push(...page.map((j) => j.id));
        }
        return out;
      };
      const results = await Promise.all([
        listDrsJobs(client, { dbUseType: "migration", pageSize: 10, concurrency: 4 }).then((r) => r.jobs.map((j) => j.id)),
        listDrsJobs(client, { dbUseType: "migration", pageSize: 13, concurrency: 2 }).then((r) => r.jobs.map((j) => j.id)),
        pages(),
      ]);
      clearInterval(timer);
      expect(added.length).toBeGreaterThan(5);
      for (const got of results) expectConsistent(got, before, added);
    } finally {
      clearInterval(timer);
      await client.close();
    }
  });

  it("other db_use_types growing do not disturb the listing", async () => {
    const emu = emulator();
    emu.admin.setFaults({ latencyMs: 6, services: ["drs"] });
    const before = migrationIds();
    let n = 0;
    const { client, log } = clientFor(emu, {
      logger: (e: RequestLogEvent) => {
        log.push(e);
        if (n++ < 6) for (let i = 0; i < 5; i++) addNewest("sync");
      },
    });
    const r = await listDrsJobs(client, { dbUseType: "migration", pageSize: 10, concurrency: 4 });
    expect(r.jobs.map((j) => j.id)).toEqual(before);
    expect(log).toHaveLength(Math.ceil(before.length / 10));
    await client.close();
  });
});
