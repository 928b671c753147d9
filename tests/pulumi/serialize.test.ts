import { gateId } from "../../provider/gate";
import { execFile } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { startEmulator, type RunningEmulator } from "../../emulator";

// The compiled provider, as `new JobGate(...)` serializes it in a real program.
const { jobGateProvider } = require("../../dist/provider/dynamic/jobGate");

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ seed: 5, jobs: 10 });
});
afterAll(() => emu.close());

it("serializes the JobGate provider, which runs create in a fresh Node process with no captured credentials", async () => {
  const SECRET = "tok-SERIALIZE-SECRET";
  process.env.OS_AUTH_TOKEN = SECRET; // present in the program's environment, must not be captured
  const serialized = await pulumi.runtime.serializeFunction(() => jobGateProvider, { allowSecrets: true });
  delete process.env.OS_AUTH_TOKEN;
  expect(serialized.text).toContain('require("pulumi-otc-jobs/provider")');
  expect(serialized.text).not.toContain(SECRET);
  expect(serialized.text).not.toContain(emu.token);

  // Inside the package, so `require("pulumi-otc-jobs/provider")` resolves by name as in a user's node_modules.
  const dir = join(__dirname, "..", "..", ".serialized");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "provider.js");
  writeFileSync(file, serialized.text);
  const job = emu.admin.addJob("ddm", { name: "migrateLogicDb", timeline: { runForMs: 500, outcome: "Completed" } });
  const script = `
    const provider = require(${JSON.stringify(file)}).${serialized.exportName}();
    const config = new Map([["otcjobs:endpoint", process.env.EP], ["otcjobs:projectId", process.env.PID]]);
    (async () => {
      await provider.configure({ config });
      const r = await provider.create({ service: "ddm", jobIds: [process.env.JOB], pollInterval: "1s", timeout: "20s" });
      process.stdout.write(JSON.stringify(r));
    })().catch((e) => { process.stderr.write(String(e && e.message)); process.exit(1); });`;
  try {
    // Asynchronous: the emulator answering the child lives in this process's event loop.
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        ["-e", script],
        // Credentials come from the environment at call time, as in the dynamic-provider host.
        { env: { PATH: process.env.PATH, EP: emu.gateway, PID: emu.projectId, JOB: job.id, OS_AUTH_TOKEN: emu.token }, encoding: "utf8", timeout: 30_000 },
        (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)),
      ),
    );
    const created = JSON.parse(out);
    expect(created.id).toBe(gateId({ service: "ddm", jobIds: [job.id] }));
    expect(created.outs.jobs[0]).toMatchObject({ id: job.id, phase: "succeeded" });
    expect(out).not.toContain(emu.token);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
