/**
 * `otc-jobs emulator`: runs the local DDM/DDS/DRS/IAM emulator until SIGINT (Ctrl-C) or SIGTERM and
 * prints how to point the CLI and a Pulumi stack at it.
 */
import { type EmulatorEnvSource, emulatorEnv, exportLines } from "../../emulator/env";
import type { Io } from "../context";
import { EXIT, type ExitCode, UsageError } from "../exit";

export interface EmulatorFlags {
  port: number;
  host: string;
  seed: number;
  jobs: number;
  latency: number;
  faultRate: number;
}

/** The instructions printed at start: endpoints, env lines for the CLI, config lines for Pulumi. */
export function emulatorBanner(
  e: EmulatorEnvSource & { endpoints: Record<"ddm" | "dds" | "drs" | "iam", string> },
  flags: EmulatorFlags,
): string {
  const faults = [flags.latency > 0 ? `latency ${flags.latency} ms` : "", flags.faultRate > 0 ? `${flags.faultRate * 100}% of requests answered 503` : ""].filter(Boolean);
  return [
    `otc-jobs emulator: DDM, DDS, DRS and IAM (seed ${flags.seed}, ${flags.jobs} jobs per service${faults.length ? `, ${faults.join(", ")}` : ""})`,
    `  gateway  ${e.gateway}   (admin API: ${e.gateway}/admin/jobs/ddm ...)`,
    `  ddm      ${e.endpoints.ddm}`,
    `  dds      ${e.endpoints.dds}`,
    `  drs      ${e.endpoints.drs}`,
    `  iam      ${e.endpoints.iam}`,
    `  project  ${e.projectId}`,
    "",
    "Point the CLI at it (in another shell; the same lines as otc-jobs emulator --print-env):",
    ...exportLines(emulatorEnv(e)).map((line) => `  ${line}`),
    "  npx otc-jobs list all",
    "",
    "Point a Pulumi stack at it:",
    `  pulumi config set otcjobs:endpoint ${e.gateway}`,
    `  pulumi config set otcjobs:projectId ${e.projectId}`,
    `  pulumi config set --secret otcjobs:token ${e.token}`,
    "",
    "Press Ctrl-C to stop.",
  ].join("\n");
}

export async function runEmulator(io: Io, flags: EmulatorFlags): Promise<ExitCode> {
  const { startEmulator } = await import("../../emulator");
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  try {
    emulator = await startEmulator({
      port: flags.port,
      host: flags.host,
      seed: flags.seed,
      jobs: flags.jobs,
      faults: { ...(flags.latency > 0 ? { latencyMs: flags.latency } : {}), ...(flags.faultRate > 0 ? { errorRate: flags.faultRate } : {}) },
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") throw new UsageError("--port", `port ${flags.port} is in use; pick another, or 0 for a free one`);
    if (code === "EADDRNOTAVAIL") throw new UsageError("--host", `cannot listen on ${flags.host}`);
    if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NONAME") throw new UsageError("--host", `"${flags.host}" is not an address or a name this machine can resolve`);
    if (code === "EACCES") throw new UsageError("--port", `not allowed to listen on port ${flags.port}; pick one above 1023, or 0`);
    if (e instanceof TypeError) throw new UsageError(undefined, e.message);
    throw e;
  }
  io.stdout.write(`${emulatorBanner(emulator, flags)}\n`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const onSignal = (s: NodeJS.Signals) => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      resolve(s);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
  await emulator.close();
  io.stderr.write(`otc-jobs emulator: stopped (${signal})\n`);
  return EXIT.ok;
}
