/**
 * One scenario, every language: the same program (tests/engine/programs/<language>) through `pulumi
 * preview`, `up`, `refresh` and `destroy` with the real CLI against the emulator.
 *
 * - pass stack: a JobGate on a running DDM job (the emulator completes it while `up` waits), one on a
 *   DDS job whose id is a secret, one whose jobIds come from the first gate's outputs (unknown in a
 *   preview), and each of the five functions (two with arguments unknown in a preview);
 * - fail stack: a JobGate on a job that already failed, and a gate that depends on it.
 * Stack config `otcjobs:*` carries the endpoint and an access key whose secret half is a secret.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningEmulator } from "../../emulator";
import { emulator, ok, PULUMI_VERSION, pulumi, requestsSince, say, waitForLine, type Pulumi, type Ran } from "./harness";

export type Stack = "pass" | "fail";

/** How a language runs its program's preview and up; refresh, destroy, config and export are plain CLI. */
export interface Program {
  /** The project directory (Pulumi.yaml) of a stack. */
  dir(stack: Stack): string;
  preview(stack: Stack, eventLog: string): Promise<Ran>;
  up(stack: Stack, eventLog: string): Promise<Ran>;
}

export interface Language {
  name: string;
  /** The project's language host is installed (YAML); the others run through the Automation API. */
  hasLanguageHost?: boolean;
  /** Installs and builds what the program needs, once. */
  prepare(p: Pulumi): Promise<Program>;
}

/**
 * How long the running job runs on the emulator's clock; the test moves the clock past it while `up`
 * waits. Less than the 15 minutes a signature stays valid: the emulator checks X-Sdk-Date against its
 * own clock, as the cloud checks it against its own.
 */
const RUNNING_MS = 10 * 60_000;
const FAIL_REASON = "shard 3 of the logical database is unreachable";
/** Routes a preview may call: the list functions whose arguments are all known. */
const PREVIEW_ROUTES = new Set(["ddm GET /v3/{project_id}/jobs", "dds GET /v3.1/{project_id}/jobs", "drs POST /v3/{project_id}/jobs"]);

export function engineScenario(language: Language): void {
  describe(`the real Pulumi CLI v${PULUMI_VERSION}, ${language.name}`, () => {
    let p: Pulumi;
    let emu: RunningEmulator;
    let program: Program;
    let secretKey: string;
    const logDir = mkdtempSync(join(tmpdir(), `otcjobs-engine-${language.name}-`));
    // Everything the CLI and the engine wrote, for the secrets check.
    const seen: string[] = [];
    const jobs = { running: "", secret: "", completed: "", failing: "" };
    let events = 0;
    const eventLog = (what: string) => join(logDir, `${what}-${++events}.jsonl`);
    const record = (r: Ran, label: string): Ran => {
      seen.push(r.stdout, r.stderr);
      say(`${language.name}: ${label} exited ${r.code} in ${(r.ms / 1000).toFixed(1)} s`);
      return r;
    };
    /** The exit code expected, or a failure that shows what the CLI said. */
    const exits = (r: Ran, success: boolean) => {
      if ((r.code === 0) !== success) throw new Error(`expected ${success ? "success" : "a failure"}, got exit ${r.code}\n--- stdout\n${r.stdout.slice(-6000)}\n--- stderr\n${r.stderr.slice(-6000)}`);
    };
    const cli = async (args: string[], stack: Stack) => {
      const r = await p.cli([...args, "--stack", stack], program.dir(stack));
      seen.push(r.stdout, r.stderr);
      return r;
    };
    const mustCli = async (args: string[], stack: Stack) => {
      const r = await cli(args, stack);
      if (r.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
      return r;
    };
    const exportOf = async (stack: Stack) => {
      const text = (await mustCli(["stack", "export"], stack)).stdout;
      return { text, resources: ((JSON.parse(text) as { deployment: { resources?: Array<{ urn: string; type: string; id?: string; outputs?: Record<string, unknown> }> } }).deployment.resources ?? []) };
    };
    const gates = (resources: Awaited<ReturnType<typeof exportOf>>["resources"]) =>
      Object.fromEntries(resources.filter((r) => r.type.endsWith("JobGate")).map((r) => [r.urn.split("::").at(-1)!, r]));

    beforeAll(async () => {
      p = await pulumi();
      say(`${language.name}: ${(await ok(join(p.tools, "bin", "pulumi"), ["version"], { env: p.env })).stdout.trim()} (toolchain ${p.tools})`);
      const e = await emulator();
      emu = e.emu;
      secretKey = e.secretKey;
      program = await language.prepare(p);
      // The jobs each stack selects: one that runs until the test moves the emulator's clock, a DDS job
      // that already completed (selected by a secret id), and one that already failed.
      jobs.running = emu.admin.addJob("ddm", { name: "migrateLogicDb", timeline: { runForMs: RUNNING_MS, outcome: "Completed" } }).id;
      jobs.secret = emu.admin.addJob("dds", { name: "RestartInstance", timeline: { runForMs: 0, outcome: "Completed" } }).id;
      jobs.completed = emu.admin.addJob("ddm", { name: "CreateInstance", timeline: { runForMs: 0, outcome: "Completed" } }).id;
      jobs.failing = emu.admin.addJob("ddm", { name: "migrateLogicDb", timeline: { runForMs: 0, outcome: "Failed", failReason: FAIL_REASON } }).id;
      for (const stack of ["pass", "fail"] as const) {
        await mustCli(["stack", "init"], stack);
        const settings: Array<[string, string, boolean?]> = [
          ["otcjobs:endpoint", emu.gateway],
          ["otcjobs:projectId", emu.projectId],
          ["otcjobs:accessKey", e.accessKey],
          ["otcjobs:secretKey", e.secretKey, true],
          ["mode", stack],
          ["completedJobId", jobs.completed],
          ...(stack === "pass"
            ? ([["runningJobId", jobs.running], ["secretJobId", jobs.secret, true]] as Array<[string, string, boolean?]>)
            : ([["failingJobId", jobs.failing]] as Array<[string, string, boolean?]>)),
        ];
        for (const [key, value, secret] of settings) await mustCli(["config", "set", ...(secret ? ["--secret"] : []), key, value], stack);
      }
    }, 1_800_000);

    afterAll(async () => {
      await emu?.close();
      p?.remove();
    });

    it("preview waits for nothing: no gate runs, nothing with an unknown input is requested", async () => {
      const before = emu.admin.stats().requests.byRoute;
      const r = record(await program.preview("pass", eventLog("preview")), "preview");
      exits(r, true);
      const calls = requestsSince(emu, before);
      // Only the list functions with known arguments ran; no gate and no single-job read happened.
      expect(Object.keys(calls).filter((route) => !PREVIEW_ROUTES.has(route))).toEqual([]);
      expect(r.ms).toBeLessThan(120_000);
    }, 300_000);

    it("up waits on the running job, passes once the emulator completes it, and reads the job after the gate", async () => {
      const log = eventLog("up");
      const up = program.up("pass", log);
      // The gate is waiting when its progress line reaches the engine's events; then the job completes.
      const ended = up.then((r) => {
        throw new Error(`up ended (exit ${r.code}) before the gate reported waiting:\n${r.stdout.slice(-6000)}\n${r.stderr.slice(-6000)}`);
      });
      await Promise.race([waitForLine(log, /JobGate ddm: 0 of 1 done/, 300_000), ended]);
      ended.catch(() => undefined);
      emu.admin.advance(RUNNING_MS + 30_000);
      const r = record(await up, "up");
      exits(r, true);
      const shown = JSON.parse((await mustCli(["stack", "output", "--json", "--show-secrets"], "pass")).stdout) as Record<string, unknown>;
      expect(shown).toMatchObject({ migrationStatus: "Completed", secretJobStatus: "Completed", afterPhase: "succeeded" });
      expect(typeof shown.failedDdm).toBe("number");
      expect(typeof shown.syncs).toBe("number");
      // A result derived from a secret input is a secret output.
      const hidden = JSON.parse((await mustCli(["stack", "output", "--json"], "pass")).stdout) as Record<string, unknown>;
      expect(hidden.secretJobStatus).toBe("[secret]");
      expect(hidden.migrationStatus).toBe("Completed");
    }, 900_000);

    it("secret jobIds stay secret: the gate's id names no job, its jobs are encrypted in state", async () => {
      const { text, resources } = await exportOf("pass");
      const g = gates(resources);
      expect(Object.keys(g).sort()).toEqual(expect.arrayContaining(["after", "migration", "secretGate"]));
      for (const gate of Object.values(g)) expect(gate.id).toMatch(/^(ddm|dds):sel-[0-9a-f]{24}$/);
      expect(JSON.stringify(g.secretGate!.outputs!.jobs)).toContain("4dabf18193072939515e22adb298388d");
      expect(text).not.toContain(jobs.secret);
    }, 120_000);

    it("refresh re-reads the jobs", async () => {
      const checkedBefore = gates((await exportOf("pass")).resources).migration!.outputs!.checkedAt;
      const before = emu.admin.stats().requests.total;
      const r = record(await cli(["refresh", "--yes", "--event-log", eventLog("refresh")], "pass"), "refresh");
      exits(r, true);
      expect(emu.admin.stats().requests.total).toBeGreaterThan(before);
      const after = gates((await exportOf("pass")).resources).migration!.outputs!;
      expect(after.checkedAt).not.toBe(checkedBefore);
      expect(after.jobs).toEqual([expect.objectContaining({ id: jobs.running, phase: "succeeded" })]);
    }, 300_000);

    // `pulumi import` loads the project's language host, which only YAML has here (tests/engine/README.md).
    (language.hasLanguageHost ? it : it.skip)("pulumi import takes a gate by an id that names its jobs, reads them, and keeps it in state", async () => {
      const r = record(
        await cli(["import", "otcjobs:index:JobGate", "imported", `ddm:${jobs.completed}`, "--yes", "--protect=false", "--generate-code=false", "--event-log", eventLog("import")], "pass"),
        "import",
      );
      exits(r, true);
      const imported = gates((await exportOf("pass")).resources).imported!;
      expect(imported.id).toBe(`ddm:${jobs.completed}`);
      expect(imported.outputs).toMatchObject({ service: "ddm", jobIds: [jobs.completed], jobs: [expect.objectContaining({ id: jobs.completed, phase: "succeeded" })] });
    }, 300_000);

    it("a failed job: preview passes without a request; up fails naming the job and its reason; the gate's dependents are not created", async () => {
      const before = emu.admin.stats().requests.total;
      const preview = record(await program.preview("fail", eventLog("preview-fail")), "preview (failed job)");
      exits(preview, true);
      expect(emu.admin.stats().requests.total).toBe(before);

      const up = record(await program.up("fail", eventLog("up-fail")), "up (failed job)");
      exits(up, false);
      const said = up.stdout + up.stderr;
      expect(said).toContain(jobs.failing);
      expect(said).toContain(FAIL_REASON);
      const names = (await exportOf("fail")).resources.map((r) => r.urn.split("::").at(-1));
      expect(names).not.toContain("dependent");
      expect(names).not.toContain("doomed");
    }, 600_000);

    it("destroy is clean", async () => {
      for (const stack of ["pass", "fail"] as const) {
        const r = record(await cli(["destroy", "--yes", "--event-log", eventLog(`destroy-${stack}`)], stack), `destroy ${stack}`);
        exits(r, true);
        expect((await exportOf(stack)).resources.filter((x) => x.type !== "pulumi:pulumi:Stack" && !x.type.startsWith("pulumi:providers:"))).toEqual([]);
      }
    }, 300_000);

    it("no secret in pulumi stack export, the engine's events, or anything the CLI printed", async () => {
      for (const stack of ["pass", "fail"] as const) seen.push((await exportOf(stack)).text);
      for (let i = 1; i <= events; i++) {
        for (const name of ["preview", "up", "refresh", "import", "preview-fail", "up-fail", "destroy-pass", "destroy-fail"]) {
          try {
            seen.push(readFileSync(join(logDir, `${name}-${i}.jsonl`), "utf8"));
          } catch {
            // not every name exists at every number
          }
        }
      }
      const all = seen.join("\n");
      expect(all.length).toBeGreaterThan(1000);
      for (const secret of [secretKey, jobs.secret]) expect(all).not.toContain(secret);
      writeFileSync(join(logDir, "everything.txt"), all);
    }, 120_000);
  });
}
