import { DRS_PHASES, DRS_SCENARIOS, KNOWN_STATUSES, phaseOf, summarize } from "../../provider/jobs";

describe("phaseOf", () => {
  it.each([
    ["ddm", "Running", "running"],
    ["ddm", "Completed", "succeeded"],
    ["ddm", "Failed", "failed"],
    ["ddm", "ToBeSwitched", "waiting"],
    ["ddm", "CancelSuccess", "canceled"],
    ["dds", "Completed", "succeeded"],
    ["drs", "INCRE_TRANSFER_STARTED", "running"],
    ["drs", "FULL_TRANSFER_COMPLETE", "succeeded"],
    ["drs", "RELEASE_RESOURCE_COMPLETE", "succeeded"],
    ["drs", "CREATE_FAILED", "failed"],
    ["drs", "CONFIGURATION", "waiting"],
    ["drs", "DELETED", "canceled"],
  ] as const)("%s %s is %s", (service, status, phase) => {
    expect(phaseOf(service, status)).toBe(phase);
  });

  it("maps statuses it does not know, and empty ones, to unknown", () => {
    expect(phaseOf("ddm", "Hibernating")).toBe("unknown");
    expect(phaseOf("drs", "")).toBe("unknown");
    expect(phaseOf("dds", null)).toBe("unknown");
  });
});

describe("DRS phases per scenario", () => {
  it.each([
    ["migration", "FULL_TRANSFER_COMPLETE", "succeeded"],
    ["sync", "FULL_TRANSFER_COMPLETE", "running"],
    // "Initialization complete": a disaster-recovery task has only begun.
    ["cloudDataGuard", "FULL_TRANSFER_COMPLETE", "running"],
    ["cloudDataGuard", "INCRE_TRANSFER_STARTED", "running"],
    ["cloudDataGuard", "RELEASE_RESOURCE_COMPLETE", "succeeded"],
    ["sync", "INCRE_TRANSFER_FAILED", "failed"],
    ["migration", "PAUSING", "waiting"],
  ] as const)("%s %s is %s", (scenario, status, phase) => {
    expect(phaseOf("drs", status, scenario)).toBe(phase);
  });

  it("reads a job without a known scenario as a migration", () => {
    expect(phaseOf("drs", "FULL_TRANSFER_COMPLETE", "")).toBe("succeeded");
    expect(phaseOf("drs", "FULL_TRANSFER_COMPLETE", "backup")).toBe("succeeded");
    expect(phaseOf("drs", "FULL_TRANSFER_COMPLETE", "constructor")).toBe("succeeded");
  });

  it("every scenario's table knows every documented status, and no unknown status is ever succeeded", () => {
    for (const scenario of DRS_SCENARIOS) {
      expect(Object.keys(DRS_PHASES[scenario]).sort()).toEqual([...KNOWN_STATUSES.drs].sort());
      expect(phaseOf("drs", "SOMETHING_NEW_COMPLETE", scenario)).toBe("unknown");
    }
    expect(KNOWN_STATUSES.drs).toHaveLength(29);
  });
});

describe("summarize", () => {
  it("counts by phase and status and tells whether all finished", () => {
    const s = summarize([
      { status: "Completed", phase: "succeeded" },
      { status: "Failed", phase: "failed" },
      { status: "Running", phase: "running" },
      { status: "Completed", phase: "succeeded" },
    ]);
    expect(s.total).toBe(4);
    expect(s.byPhase).toMatchObject({ succeeded: 2, failed: 1, running: 1, waiting: 0 });
    expect(s.byStatus).toEqual({ Completed: 2, Failed: 1, Running: 1 });
    expect(s.anyFailed).toBe(true);
    expect(s.allFinished).toBe(false);
    expect(summarize([]).allFinished).toBe(true);
  });
});

describe("a job the reader could not fully read", () => {
  it("stays not done for a waiter, which says why when it gives up", async () => {
    const { readDrsPage } = await import("../../provider/services/drs");
    const { drsRecord } = await import("../../provider/records");
    const { hintsFor, judge, SUCCEEDED } = await import("../../provider/wait");
    const page = readDrsPage({ total_record: 1, jobs: [{ id: "x-jb101", name: "DRS-1", db_use_type: "migration" }] }, "migration", 0);
    const record = drsRecord(page.jobs[0]!);
    expect(record).toMatchObject({ id: "x-jb101", status: "", phase: "unknown", problems: [expect.stringMatching(/^status is absent/)] });
    expect(judge(record, SUCCEEDED)).toBe("waiting");
    expect(hintsFor([record], SUCCEEDED)).toEqual([expect.stringMatching(/^DRS x-jb101 could not be read as documented \(status is absent.*\): it stays not done$/)]);
    // A clean job's record has no problems field at all.
    expect(drsRecord(readDrsPage({ jobs: [{ id: "y", status: "CREATING" }] }).jobs[0]!)).not.toHaveProperty("problems");
  });
});
