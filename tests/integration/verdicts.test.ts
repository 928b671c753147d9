/**
 * `JobGate` and `otc-jobs wait` give the same verdict on the same jobs: every phase × every target,
 * on the emulator, through each one's own entry point (the gate's `runGate`, the CLI's `main()`), and
 * the same not-found grace for ids that never appear.
 */
import { startEmulator, type RunningEmulator } from "../../emulator";
import { runGate } from "../../provider/gate";
import { type Phase, WAIT_DEFAULTS as CORE_WAIT_DEFAULTS } from "../../provider";
import { WAIT_DEFAULTS as CLI_WAIT_DEFAULTS } from "../../cli/options";
import { emulatorEnv, invoke } from "../cli/helpers";

let emulator: RunningEmulator;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  emulator = await startEmulator({ jobs: 0 });
  env = emulatorEnv(emulator);
});
afterAll(() => emulator.close());

/** A DRS migration job that stays in each phase (DRS has a status for all six). */
const STATUS_FOR: Record<Exclude<Phase, "unknown">, string> = {
  pending: "CREATING",
  running: "FULL_TRANSFER_STARTED",
  waiting: "CONFIGURATION",
  succeeded: "FULL_TRANSFER_COMPLETE",
  failed: "FULL_TRANSFER_FAILED",
  canceled: "DELETED",
};
const TARGETS = ["finished", "pending", "running", "waiting", "succeeded", "failed", "canceled"] as const;
type Outcome = "done" | "failed" | "timeout" | "not found" | string;

const CLI_OUTCOME: Record<number, Outcome> = { 0: "done", 1: "failed", 2: "timeout", 3: "not found" };

function gateOutcome(e: unknown): Outcome {
  if (e === undefined) return "done";
  const code = (e as { code?: string }).code;
  return code === "OTCJOBS_JOBS_FAILED" ? "failed" : code === "OTCJOBS_WAIT_TIMEOUT" ? "timeout" : code === "OTCJOBS_JOB_NOT_FOUND" ? "not found" : String(e);
}

describe("the gate and the CLI agree", () => {
  it("on every phase × target", async () => {
    const jobs = Object.entries(STATUS_FOR).map(([phase, status]) => ({
      phase,
      id: emulator.admin.addJob("drs", { dbUseType: "migration", timeline: { runForMs: 0, outcome: status } }).id,
    }));
    const cases = jobs.flatMap((j) => TARGETS.map((target) => ({ ...j, target })));
    const results = await Promise.all(
      cases.map(async (c) => {
        const cli = await invoke(["wait", "drs", c.id, "--until", c.target, "--db-use-type", "migration", "--interval", "1s", "--timeout", "8s"], env);
        const gateTarget = c.target === "finished" ? {} : { targetPhases: [c.target] };
        const gate = await runGate({ service: "drs", jobIds: [c.id], dbUseType: "migration", ...gateTarget, pollInterval: "1s", timeout: "8s" }, undefined, env).then(
          () => undefined,
          (e: unknown) => e,
        );
        return { phase: c.phase, target: c.target, cli: CLI_OUTCOME[cli.code ?? -1] ?? `exit ${cli.code}: ${cli.stderr}`, gate: gateOutcome(gate) };
      }),
    );
    for (const r of results) expect({ ...r, gate: r.cli }).toEqual(r);
    // And the verdicts are the documented ones, not merely equal.
    const table = Object.fromEntries(results.map((r) => [`${r.phase}→${r.target}`, r.cli]));
    expect(table["running→running"]).toBe("done");
    expect(table["succeeded→running"]).toBe("done");
    expect(table["failed→succeeded"]).toBe("failed");
    expect(table["canceled→finished"]).toBe("failed");
    expect(table["waiting→finished"]).toBe("timeout");
    expect(table["pending→finished"]).toBe("timeout");
  }, 60_000);

  it("on ids that never appear: the same default grace, and not found after it", async () => {
    expect(CLI_WAIT_DEFAULTS.grace).toBe(CORE_WAIT_DEFAULTS.graceMs);
    expect(CLI_WAIT_DEFAULTS.interval).toBe(CORE_WAIT_DEFAULTS.maxDelayMs);
    expect(CLI_WAIT_DEFAULTS.timeout).toBe(CORE_WAIT_DEFAULTS.maxWaitMs);
    const id = "12345678-aaaa-bbbb-cccc-000000000000";
    const cli = await invoke(["wait", "ddm", id, "--interval", "1s", "--grace", "1s", "--timeout", "30s"], env);
    expect(CLI_OUTCOME[cli.code ?? -1]).toBe("not found");
  }, 60_000);
});
