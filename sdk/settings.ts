import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { Client, isSecretKey, resolveConfig, settingsFromStackConfig, STACK_CONFIG_KEYS, type Settings } from "../provider";

/** Provider settings a call may override (else `otcjobs:*` stack config, then env, then clouds.yaml). */
export type ProviderSettings = Settings;

/** Reads a secret config value as plain text for in-process use; it never enters a result. */
function plainSecret(cfg: pulumi.Config, key: string): Promise<string | undefined> {
  const value = cfg.getSecret(key);
  return value === undefined ? Promise.resolve(undefined) : new Promise((resolve) => value.apply((v) => resolve(v)));
}

/** The `otcjobs:*` stack config, over the core's one key list; secret keys are read with `getSecret`. */
export async function stackSettings(): Promise<Settings> {
  const cfg = new pulumi.Config("otcjobs");
  const values = new Map<string, unknown>();
  for (const key of STACK_CONFIG_KEYS) {
    values.set(`otcjobs:${key}`, isSecretKey(key) ? await plainSecret(cfg, key) : cfg.get(key));
  }
  return settingsFromStackConfig((k) => values.get(k));
}

/**
 * One client per distinct configuration in this program, so IAM tokens and connections are
 * shared by every call (idle keep-alive sockets do not hold the process open).
 */
const clients = new Map<string, Client>();

export async function clientFor(overrides: Settings | undefined): Promise<Client> {
  const resolved = resolveConfig({ args: overrides, pulumi: await stackSettings() });
  const options = resolved.clientOptions();
  const key = createHash("sha256").update(JSON.stringify(options)).digest("hex");
  let client = clients.get(key);
  if (!client) {
    client = new Client(options);
    clients.set(key, client);
  }
  return client;
}
