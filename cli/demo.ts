/**
 * `npm run demo`: starts the emulator in-process and runs the real `otc-jobs` commands against it
 * (the CLI's own `main`, parsing and all): an audit of the last day's jobs of DDM, DDS and DRS, a
 * `wait` on a job that finishes, and a `wait` on a job that fails, as a CI gate would see it.
 * No cloud account needed; about 5 seconds.
 */
import { startEmulator } from "../emulator";
import { processIo } from "./context";
import { main } from "./main";

/** The environment the commands see: the caller's, minus any cloud settings, plus the emulator's. */
function emulatorEnv(gateway: string, token: string, projectId: string): Record<string, string | undefined> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(OS_|HW_|OTCJOBS_)/.test(k)));
  return { ...env, OTCJOBS_ENDPOINT: gateway, OS_AUTH_TOKEN: token, OS_PROJECT_ID: projectId };
}

async function run(io: ReturnType<typeof processIo>, args: string[]): Promise<number> {
  io.stdout.write(`\n$ otc-jobs ${args.join(" ")}\n`);
  const code = await main(args, io);
  io.stdout.write(`(exit code ${code})\n`);
  return code;
}

async function demo(): Promise<number> {
  const emulator = await startEmulator({ seed: 7 });
  try {
    const io = processIo(emulatorEnv(emulator.gateway, emulator.token, emulator.projectId));
    io.stdout.write(
      `Emulator at ${emulator.gateway} (project ${emulator.projectId}); the commands below read\n` +
        `OTCJOBS_ENDPOINT, OS_AUTH_TOKEN and OS_PROJECT_ID pointing at it.\n`,
    );

    // 1. The audit: what in the last day is still running, needs an operator, or went wrong.
    const audit = await run(io, ["list", "all", "--since", "1d", "--phase", "running,waiting,failed,canceled"]);

    // 2. A deployment gate on a migration that finishes in about 3 seconds...
    const ok = emulator.admin.addJob("ddm", { name: "migrateLogicDb", timeline: { runForMs: 3000, outcome: "Completed" } });
    // ...and on a DDS restart that fails a second later.
    const bad = emulator.admin.addJob("dds", {
      name: "RestartInstance",
      timeline: { runForMs: 4000, outcome: "Failed", failReason: "The instance is being backed up; try again later." },
    });
    const passed = await run(io, ["wait", "ddm", ok.id, "--interval", "1s", "--timeout", "1m"]);
    const failed = await run(io, ["wait", "dds", bad.id, "--interval", "1s", "--timeout", "1m"]);
    io.stdout.write(failed === 1 ? "A CI step running this gate fails here, and the deployment stops.\n" : "");

    return audit === 0 && passed === 0 && failed === 1 ? 0 : 1;
  } finally {
    await emulator.close();
  }
}

demo().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
