/** `otc-jobs get` and `otc-jobs wait`: formats, and every exit code of the gate. */
import { spawn } from "node:child_process";
import { Writable } from "node:stream";
import { parse as parseYaml } from "yaml";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { createClient } from "../../provider";
import { RECORD_FIELDS as JOB_FIELDS } from "../../provider";
import { parseTarget, waitFor } from "../../cli/commands/wait";
import { assertBuilt, BIN, emulatorEnv, ESC, invoke, parseCsv, run, stripAnsi } from "./helpers";

let emulator: RunningEmulator;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  assertBuilt();
  // New DDS jobs stay invisible to the single-job call for a while, as on the real cloud.
  emulator = await startEmulator({ seed: 5, jobs: 10, ddsLookupDelayMs: 2500 });
  env = emulatorEnv(emulator);
});
afterAll(async () => {
  await emulator?.close();
});

const FAST = ["--interval", "1s"];

describe("get", () => {
  it("shows one DDM or DDS job in every format", async () => {
    const ddm = emulator.admin.jobs("ddm")[3]!;
    const dds = emulator.admin.jobs("dds")[4]!;
    const [table, asJson, asYaml, asCsv] = await Promise.all([
      run(["get", "ddm", ddm.id], { env }),
      run(["get", "ddm", ddm.id, "-o", "json"], { env }),
      invoke(["get", "dds", dds.id, "--output", "yaml"], env),
      invoke(["get", "dds", dds.id, "-o", "csv"], env),
    ]);
    expect([table.code, asJson.code, asYaml.code, asCsv.code]).toEqual([0, 0, 0, 0]);
    expect(table.stdout).toMatch(new RegExp(`^id\\s+${ddm.id}$`, "m"));
    expect(table.stdout).toMatch(new RegExp(`^status\\s+${ddm.status}$`, "m"));
    const one = JSON.parse(asJson.stdout) as Record<string, string>;
    expect(Object.keys(one)).toEqual([...JOB_FIELDS]);
    expect(one).toMatchObject({ service: "ddm", id: ddm.id, name: ddm.name, status: ddm.status, instanceId: ddm.instance_id });
    expect(parseYaml(asYaml.stdout)).toMatchObject({ service: "dds", id: dds.id, status: dds.status });
    const [header, row, ...rest] = parseCsv(asCsv.stdout);
    expect(header).toEqual([...JOB_FIELDS]);
    expect(row![1]).toBe(dds.id);
    expect(rest).toEqual([]);
  });

  it("a failed DDM job shows its fail reason (which DDM's single-job API leaves out)", async () => {
    const failed = emulator.admin.addJob("ddm", { timeline: { runForMs: 0, outcome: "Failed", failReason: "shard 3 locked" } });
    const r = await invoke(["get", "ddm", failed.id, "-o", "json"], env);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ id: failed.id, status: "Failed", phase: "failed", failReason: "shard 3 locked" });
  });

  it("an unknown or malformed id, or a service without a single-job call, is exit 3", async () => {
    const [unknownDdm, unknownDds, malformed, drs] = await Promise.all([
      run(["get", "ddm", "00000000-0000-0000-0000-000000000000"], { env }),
      run(["get", "dds", "00000000-0000-0000-0000-000000000000"], { env }),
      invoke(["get", "ddm", "not/an/id"], env),
      invoke(["get", "drs", "x"], env),
    ]);
    expect([unknownDdm.code, unknownDds.code, malformed.code, drs.code]).toEqual([3, 3, 3, 3]);
    expect(unknownDdm.stderr).toMatch(/DDM has no job 00000000-0000-0000-0000-000000000000: the cloud does not know it/);
    expect(unknownDds.stderr).toMatch(/DDS has no job .*may not be visible yet/);
    expect(malformed.stderr).toMatch(/<job-id>: "not\/an\/id"/);
    expect(drs.stderr).toMatch(/'drs' is invalid for argument 'service'/);
  });
});

describe("wait: exit codes", () => {
  it("0 when every job finished well, 1 when one failed, 2 on timeout", async () => {
    const a = emulator.admin.addJob("ddm", { timeline: { runForMs: 1000, outcome: "Completed" } });
    const b = emulator.admin.addJob("ddm", { timeline: { runForMs: 1500, outcome: "Completed" } });
    const bad = emulator.admin.addJob("dds", { timeline: { runForMs: 3000, outcome: "Failed", failReason: "disk full" } });
    const slow = emulator.admin.addJob("ddm", { timeline: { runForMs: 120_000 } });
    const [ok, failed, timeout] = await Promise.all([
      run(["wait", "ddm", a.id, b.id, ...FAST, "--timeout", "20s"], { env }),
      run(["wait", "dds", bad.id, ...FAST], { env }),
      run(["wait", "ddm", slow.id, ...FAST, "--timeout", "1s"], { env }),
    ]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^waiting for 2 DDM jobs \(until finished; timeout 20s, polling every 1s\)$/m);
    expect(ok.stdout).toMatch(new RegExp(`^\\[\\+\\d+\\.\\ds\\] ddm ${b.id} Completed \\(succeeded\\)$`, "m"));
    expect(ok.stdout).toMatch(/^done: 2 DDM jobs finished after \d+\.\ds$/m);
    // One line per change on a pipe: no carriage returns, no escapes.
    expect(ok.stdout).not.toContain("\r");
    expect(ok.stdout).not.toContain(ESC);

    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain(`failed: dds ${bad.id} ended Failed (failed): disk full`);

    expect(timeout.code).toBe(2);
    expect(timeout.stdout).toMatch(new RegExp(`timeout: after 1s, 1 of 1 not finished: ddm ${slow.id} Running`));
    expect(timeout.ms).toBeLessThan(10_000);
  });

  it("a new DDS job that is not visible yet is retried within --grace", async () => {
    // In-process, so the first poll surely comes before the emulator's 2.5 s lookup delay ends.
    const fresh = emulator.admin.addJob("dds", { timeline: { runForMs: 500, outcome: "Completed" } });
    const r = await invoke(["wait", "dds", fresh.id, ...FAST, "--grace", "20s"], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^\\[\\+0\\.\\ds\\] dds ${fresh.id} not visible yet; trying for up to 20s$`, "m"));
    expect(r.stdout).toContain(`dds ${fresh.id} Completed (succeeded)`);
  });

  it("3 on bad usage, a wrong target or an id that never shows up", async () => {
    const job = emulator.admin.jobs("ddm")[0]!;
    // The first two through the binary, the rest through the same main() in-process.
    const cases: Array<[string[], RegExp]> = [
      [["wait", "ddm"], /missing required argument 'job-id'/],
      [["wait", "ddm", "12345678-aaaa-bbbb-cccc-000000000000", ...FAST, "--grace", "600ms"], /DDM has no job 12345678-aaaa-bbbb-cccc-000000000000: not found for 600ms/],
      [["wait", "ddm", job.id, "--until", "Done"], /--until: "Done" is neither a phase \(finished, pending, running/],
      [["wait", "ddm", job.id, "--interval", "soon"], /--interval.*'soon' is invalid/],
      [["wait", "ddm", job.id, "--timeout", "0s"], /--timeout.*longer than 0/],
      [["wait", "ddm", job.id, "--interval", "1ms"], /--interval: must be at least 1s/],
      [["wait", "ddm", job.id, "--db-use-type", "sync"], /--db-use-type: applies to drs only/],
      [["wait", "ddm", "a b"], /<job-id>: "a b" is not a job id/],
      [["wait", "drs", "12345678-aaaa-bbbb-cccc-000000000000", ...FAST, "--grace", "400ms"], /DRS has no job 12345678/],
    ];
    const results = await Promise.all(cases.map(([args], i) => (i < 2 ? run(args, { env }) : invoke(args, env))));
    results.forEach((r, i) => {
      expect({ args: cases[i]![0], code: r.code }).toEqual({ args: cases[i]![0], code: 3 });
      expect(r.stderr).toMatch(cases[i]![1]);
    });
  });

  it("4 when the API refuses in a way retrying will not fix; 5 with the remedy when it refuses the credentials", async () => {
    const job = emulator.admin.jobs("ddm")[0]!;
    try {
      emulator.admin.setFaults({ errorRate: 1, errorStatuses: [501], services: ["ddm"] });
      const r = await run(["wait", "ddm", job.id, ...FAST], { env });
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(/otc-jobs: DDM ShowJob failed: HTTP 501/);
      emulator.admin.setFaults({ errorRate: 1, errorStatuses: [403], services: ["ddm"] });
      const denied = await run(["wait", "ddm", job.id, ...FAST], { env });
      expect(denied.code).toBe(5);
      expect(denied.stderr).toMatch(/otc-jobs: DDM ShowJob failed: HTTP 403 .*renew or fix the credentials/);
    } finally {
      emulator.admin.reset();
    }
  });
});

describe("wait: on a pipe", () => {
  it("prints a heartbeat line when nothing else was printed for --heartbeat", async () => {
    const job = emulator.admin.addJob("ddm", { timeline: { runForMs: 600_000 } });
    const r = await invoke(["wait", "ddm", job.id, "--interval", "5s", "--timeout", "4s", "--heartbeat", "1s"], env);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(new RegExp(`^\\[\\+\\d+\\.\\ds\\] still waiting: 0/1 finished · ddm ${job.id.slice(0, 8)} Running`, "m"));
  });
});

describe("wait: interrupted", () => {
  it.each([
    ["SIGTERM", 143],
    ["SIGINT", 130],
  ] as const)("%s stops the wait, prints what was last seen, and exits %i", async (signal, code) => {
    const job = emulator.admin.addJob("ddm", { timeline: { runForMs: 600_000 } });
    const child = spawn(process.execPath, [BIN, "wait", "ddm", job.id, ...FAST], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    // Signal once the first poll has been shown: the wait is under way.
    await new Promise<void>((resolve) =>
      child.stdout.setEncoding("utf8").on("data", (d: string) => {
        stdout += d;
        if (stdout.includes(`ddm ${job.id} Running`)) resolve();
      }),
    );
    child.kill(signal);
    const exit = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
    expect(exit).toBe(code);
    expect(stderr).toMatch(new RegExp(`otc-jobs: interrupted by ${signal}; last seen: ddm ${job.id} Running`));
  });
});

describe("wait: targets", () => {
  it("DRS jobs by id, in any db use type, until finished or an exact status", async () => {
    const migration = emulator.admin.addJob("drs", { dbUseType: "migration", timeline: { runForMs: 1000 } });
    const sync = emulator.admin.addJob("drs", { dbUseType: "sync", timeline: { runForMs: 800 } });
    const [m, s, sType] = await Promise.all([
      run(["wait", "drs", migration.id, ...FAST], { env }),
      invoke(["wait", "drs", sync.id, "--until", "INCRE_TRANSFER_STARTED", ...FAST], env),
      invoke(["wait", "drs", sync.id, "--until", "INCRE_TRANSFER_STARTED", "--db-use-type", "sync", ...FAST], env),
    ]);
    expect(m.code).toBe(0);
    expect(m.stdout).toContain(`drs ${migration.id} FULL_TRANSFER_COMPLETE (succeeded)`);
    expect(s.code).toBe(0);
    expect(s.stdout).toMatch(/done: 1 DRS job reached INCRE_TRANSFER_STARTED/);
    expect(sType.code).toBe(0);
  });

  it("a phase: reached when in it or past it; a failure short of it is exit 1", async () => {
    const running = emulator.admin.addJob("ddm", { timeline: { runForMs: 30_000 } });
    const done = emulator.admin.jobs("ddm").find((j) => j.status === "Completed")!;
    const canceled = emulator.admin.addJob("ddm", { timeline: { runForMs: 600, outcome: "CancelSuccess" } });
    const [r1, r2, r3] = await Promise.all([
      invoke(["wait", "ddm", running.id, "--until", "running", ...FAST], env),
      invoke(["wait", "ddm", done.id, "--until", "running", ...FAST], env),
      invoke(["wait", "ddm", canceled.id, "--until", "succeeded", ...FAST], env),
    ]);
    expect(r1.code).toBe(0);
    expect(r1.stdout).toMatch(/done: 1 DDM job reached running/);
    expect(r2.code).toBe(0);
    expect(r3.code).toBe(1);
    expect(r3.stdout).toContain(`failed: ddm ${canceled.id} ended CancelSuccess (canceled) without reaching succeeded`);
  });

  it("a failed DDM job ends the wait with its fail reason", async () => {
    const failed = emulator.admin.addJob("ddm", { timeline: { runForMs: 500, outcome: "Failed", failReason: "shard 3 locked" } });
    const r = await invoke(["wait", "ddm", failed.id, ...FAST], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`failed: ddm ${failed.id} ended Failed (failed): shard 3 locked`);
  });

  it("on a terminal: one progress line rewritten in place, within the width", async () => {
    const job = emulator.admin.addJob("ddm", { timeline: { runForMs: 1500 } });
    let out = "";
    const stdout = Object.assign(
      new Writable({
        write(chunk: Buffer, _enc, done) {
          out += chunk.toString();
          done();
        },
      }),
      { isTTY: true, columns: 60 },
    );
    const io = { stdout, stderr: stdout, env: {} };
    const client = createClient({ projectId: emulator.projectId, token: emulator.token, endpoint: emulator.gateway });
    try {
      const code = await waitFor(io, client, "ddm", [job.id], parseTarget("ddm", "finished"), { interval: 1000, timeout: 10_000, grace: 1000 });
      expect(code).toBe(0);
    } finally {
      await client.close();
    }
    const clearLine = `\r${ESC}[2K`;
    const frames = out.split(clearLine).filter(Boolean);
    const live = frames.filter((f) => !f.endsWith("\n")).map(stripAnsi);
    expect(live.length).toBeGreaterThan(1);
    for (const f of live) {
      expect(f).toMatch(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] \d+\.\ds ([01]\/1 finished$|0\/1 finished · ddm \w{8} )/);
      expect(f.length).toBeLessThanOrEqual(59);
    }
    expect(out).toMatch(/done: 1 DDM job finished after \d+\.\ds\n/);
    // Only the header and the result are permanent lines.
    expect(out.split("\n").filter((l) => l.split(clearLine).pop() !== "")).toHaveLength(2);
  });
});
