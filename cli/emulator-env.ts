/**
 * `otc-jobs emulator --print-env`: starts the emulator in the background and prints `export` lines
 * for `eval`, as `eval "$(ssh-agent)"` does: command substitution waits for its command to end, so the
 * emulator cannot stay in the foreground. The background process is `dist/emulator/daemon.js`;
 * it reports over an IPC channel once it listens (or why it could not), then runs on by itself until
 * `kill $OTCJOBS_EMULATOR_PID`. Without --print-env this hands over to the foreground command.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import type { EmulatorFlags } from "./commands/emulator";
import type { Io } from "./context";
import { EXIT, type ExitCode, UsageError } from "./exit";
import type { DaemonFailed, DaemonReady } from "../emulator/daemon";
import { exportLines } from "../emulator/env";

export interface PrintEnvFlags extends EmulatorFlags {
  printEnv?: boolean;
}

/** How long the background emulator may take to listen before we give up on it. */
export const DAEMON_START_TIMEOUT_MS = 20_000;

function startDaemon(flags: EmulatorFlags): Promise<DaemonReady> {
  const script = join(__dirname, "..", "emulator", "daemon.js");
  const args = [
    script,
    ...["--port", String(flags.port), "--host", flags.host, "--seed", String(flags.seed), "--jobs", String(flags.jobs)],
    ...["--latency", String(flags.latency), "--fault-rate", String(flags.faultRate)],
  ];
  // Own session and no stdio: the shell that evals us can close, the emulator keeps serving.
  const child = spawn(process.execPath, args, { detached: true, stdio: ["ignore", "ignore", "ignore", "ipc"] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the emulator did not start within ${DAEMON_START_TIMEOUT_MS / 1000} s`));
    }, DAEMON_START_TIMEOUT_MS);
    const settle = (): void => {
      clearTimeout(timer);
      child.removeAllListeners();
    };
    child.once("message", (m: DaemonReady | DaemonFailed) => {
      settle();
      if (m.kind === "ready") {
        child.disconnect();
        child.unref();
        resolve(m);
        return;
      }
      if (m.code === "EADDRINUSE") reject(new UsageError("--port", `port ${flags.port} is in use; pick another, or 0 for a free one`));
      else if (m.code === "EADDRNOTAVAIL") reject(new UsageError("--host", `cannot listen on ${flags.host}`));
      else reject(new UsageError(undefined, `the emulator could not start: ${m.message}`));
    });
    child.once("error", (e) => {
      settle();
      reject(e);
    });
    child.once("exit", (code, signal) => {
      settle();
      reject(new Error(`the emulator exited before it listened (${signal ?? code})`));
    });
  });
}

export async function runEmulator(io: Io, flags: PrintEnvFlags): Promise<ExitCode> {
  if (!flags.printEnv) return (await import("./commands/emulator")).runEmulator(io, flags);
  const ready = await startDaemon(flags);
  const lines = [...exportLines(ready.env), `export OTCJOBS_EMULATOR_PID=${ready.pid}`];
  io.stdout.write(`${lines.join("\n")}\n`);
  io.stderr.write(`otc-jobs emulator: serving at ${ready.gateway} in the background (pid ${ready.pid}); stop it with: kill $OTCJOBS_EMULATOR_PID\n`);
  return EXIT.ok;
}
