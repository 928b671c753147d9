/**
 * A client configured the way the `otc-jobs` CLI configures itself, for scripts that should run
 * wherever the CLI runs: explicit settings, then the environment (`OTCJOBS_ENDPOINT`, `OS_*`, `HW_*`),
 * then clouds.yaml (`OS_CLOUD`). `createClient` reads only its arguments; this reads everything.
 */
import { Client, type ClientOptions } from "./client";
import { resolveConfig, type Settings } from "./config";

export interface FromEnvOptions {
  /** Settings that win over the environment (the CLI's flags play this part). */
  settings?: Settings;
  /** Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Client-only options: `logger`, `concurrency`, retry knobs, a `dispatcher`. */
  client?: Partial<ClientOptions>;
}

export function createClientFromEnv(options: FromEnvOptions = {}): Client {
  const resolved = resolveConfig({ ...(options.settings ? { args: options.settings } : {}), env: options.env ?? process.env });
  return new Client(resolved.clientOptions(options.client));
}
