/**
 * Runs the emulator until SIGINT/SIGTERM:
 *   node dist/emulator/main.js [--port 8080] [--seed 1] [--jobs 120] [--latency 0] [--fault-rate 0]
 * --latency adds that many ms to every service response; --fault-rate answers that share of service
 * requests with 503.
 */
import { parseArgs } from "node:util";
import { startEmulator } from "./index";

function number(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n)) throw new TypeError(`--${name} must be a number, got "${text}"`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      host: { type: "string" },
      seed: { type: "string" },
      jobs: { type: "string" },
      latency: { type: "string" },
      "fault-rate": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    console.log("usage: emulator [--port N] [--host H] [--seed N] [--jobs N] [--latency MS] [--fault-rate 0..1]");
    return;
  }
  const latency = number("latency", values.latency, 0);
  const faultRate = number("fault-rate", values["fault-rate"], 0);
  const emulator = await startEmulator({
    port: number("port", values.port, 0),
    seed: number("seed", values.seed, 1),
    jobs: number("jobs", values.jobs, 120),
    ...(values.host ? { host: values.host } : {}),
    faults: { ...(latency > 0 ? { latencyMs: latency } : {}), ...(faultRate > 0 ? { errorRate: faultRate } : {}) },
  });
  const key = emulator.accessKeys[0];
  const lines = [
    `otc-jobs emulator listening`,
    `  gateway  ${emulator.gateway}   (admin: ${emulator.gateway}/admin/...)`,
    `  ddm      ${emulator.endpoints.ddm}`,
    `  dds      ${emulator.endpoints.dds}`,
    `  drs      ${emulator.endpoints.drs}`,
    `  iam      ${emulator.endpoints.iam}`,
    `  project  ${emulator.projectId}   (name: ${emulator.projectName})`,
    `  token    ${emulator.token}`,
    ...(key ? [`  AK/SK    ${key.accessKey} / ${key.secretKey}${key.securityToken ? `   (security token: ${key.securityToken})` : ""}`] : []),
    ``,
    `OTCJOBS_ENDPOINT=${emulator.gateway}`,
    `OS_AUTH_TOKEN=${emulator.token}`,
    `OS_PROJECT_ID=${emulator.projectId}`,
    ...(key ? [`OS_ACCESS_KEY=${key.accessKey}`, `OS_SECRET_KEY=${key.secretKey}`] : []),
    ...(key?.securityToken ? [`OS_SECURITY_TOKEN=${key.securityToken}`] : []),
  ];
  console.log(lines.join("\n"));
  const stop = (): void => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((err: unknown) => {
  console.error(`emulator: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
