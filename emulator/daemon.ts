/**
 * The background half of `otc-jobs emulator --print-env` (node dist/emulator/daemon.js [flags]):
 * started with an IPC channel, it sends the environment to its parent once listening (or why it
 * could not), disconnects, and serves until SIGTERM/SIGINT (`kill $OTCJOBS_EMULATOR_PID`).
 */
import { parseArgs } from "node:util";
import { emulatorEnv } from "./env";
import { startEmulator } from "./index";

export interface DaemonReady {
  kind: "ready";
  pid: number;
  gateway: string;
  env: Record<string, string>;
}

export interface DaemonFailed {
  kind: "failed";
  /** `EADDRINUSE`, `EADDRNOTAVAIL`, or "" */
  code: string;
  message: string;
}

function number(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n)) throw new TypeError(`--${name} must be a number, got "${text}"`);
  return n;
}

export async function daemon(argv: string[]): Promise<void> {
  // If the parent is gone before it hears from us, nobody knows our pid: do not linger.
  const send = (m: DaemonReady | DaemonFailed): Promise<void> =>
    new Promise((resolve) => {
      if (!process.send || !process.connected) process.exit(1);
      process.send(m, undefined, {}, (err) => (err ? process.exit(1) : resolve()));
    });
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        port: { type: "string" },
        host: { type: "string" },
        seed: { type: "string" },
        jobs: { type: "string" },
        latency: { type: "string" },
        "fault-rate": { type: "string" },
      },
      strict: true,
    });
    const latency = number("latency", values.latency, 0);
    const faultRate = number("fault-rate", values["fault-rate"], 0);
    const emulator = await startEmulator({
      port: number("port", values.port, 0),
      seed: number("seed", values.seed, 1),
      jobs: number("jobs", values.jobs, 120),
      ...(values.host ? { host: values.host } : {}),
      faults: { ...(latency > 0 ? { latencyMs: latency } : {}), ...(faultRate > 0 ? { errorRate: faultRate } : {}) },
    });
    const stop = (): void => {
      emulator.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    await send({ kind: "ready", pid: process.pid, gateway: emulator.gateway, env: emulatorEnv(emulator) });
  } catch (e) {
    await send({ kind: "failed", code: String((e as NodeJS.ErrnoException).code ?? ""), message: e instanceof Error ? e.message : String(e) });
    process.exit(1);
  }
  // The parent has what it needs; nothing keeps this process tied to it any more.
  process.disconnect?.();
}

if (require.main === module) {
  daemon(process.argv.slice(2)).catch((err: unknown) => {
    console.error(`emulator: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
