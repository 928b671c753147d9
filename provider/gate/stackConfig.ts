/**
 * The `otcjobs:*` stack-config keys: one list, read by the SDK's in-process functions, the JobGate
 * dynamic provider's `configure` and the native plugin's CheckConfig/Configure. Secret fields come
 * from the core's one list (`SECRET_FIELDS`).
 */
import { SECRET_FIELDS, type Settings } from "../config";
import { ConfigError, InvalidArgumentError } from "../errors";



/** How a key's value is typed: config values arrive as strings from some engines, typed from others. */
export type StackConfigKind = "string" | "boolean" | "endpoints";

/** Every key a stack may set under `otcjobs:`, with its kind and whether it is a secret. */
export const STACK_CONFIG: Readonly<Record<keyof Settings, { kind: StackConfigKind; description: string }>> = {
  cloud: { kind: "string", description: "`otc` (default), `huaweicloud` or `huaweicloud.eu`." },
  region: { kind: "string", description: "Region, e.g. `eu-de`." },
  projectId: { kind: "string", description: "Project id (else resolved from projectName)." },
  projectName: { kind: "string", description: "Project name, resolved to its id through IAM." },
  token: { kind: "string", description: "An IAM token (X-Auth-Token)." },
  accessKey: { kind: "string", description: "AK of an AK/SK pair." },
  secretKey: { kind: "string", description: "SK of an AK/SK pair." },
  securityToken: { kind: "string", description: "Security token of temporary AK/SK." },
  userName: { kind: "string", description: "IAM user for password authentication." },
  password: { kind: "string", description: "IAM user's password." },
  domainName: { kind: "string", description: "IAM domain (account) of the user." },
  authUrl: { kind: "string", description: "IAM URL, with or without `/v3`." },
  endpoint: { kind: "string", description: "One base URL for every service (`{endpoint}/ddm`, ...): the emulator's gateway." },
  endpoints: { kind: "endpoints", description: "Per-service base URLs: `{ddm, dds, drs, iam}`." },
  insecure: { kind: "boolean", description: "Skip TLS verification (and allow plain http beyond loopback)." },
  cacert: { kind: "string", description: "CA bundle: a file path or PEM text." },
  osCloud: { kind: "string", description: "The clouds.yaml entry to read." },
};

export const STACK_CONFIG_KEYS = Object.keys(STACK_CONFIG) as ReadonlyArray<keyof Settings>;

export function isSecretKey(key: string): boolean {
  return (SECRET_FIELDS as readonly string[]).includes(key);
}

/**
 * One config value as a setting. Engines hand config over as strings (`"true"`, a JSON object as
 * text) or as typed values; both are accepted. `source` names the key in errors.
 */
export function coerceStackValue(key: keyof Settings, value: unknown, source = `otcjobs:${key}`): unknown {
  const kind = STACK_CONFIG[key].kind;
  if (kind === "boolean") {
    if (typeof value === "boolean") return value;
    if (value === "true" || value === "false") return value === "true";
    throw new InvalidArgumentError(key, "boolean", "must be true or false", { kind: "stack", key: source });
  }
  if (kind === "endpoints") {
    let v = value;
    if (typeof v === "string") {
      try {
        v = JSON.parse(v);
      } catch {
        throw new InvalidArgumentError(key, "json", 'must be a JSON object like {"ddm": "https://..."}', { kind: "stack", key: source });
      }
    }
    const apis = ["ddm", "dds", "drs", "iam"];
    if (!v || typeof v !== "object" || Array.isArray(v) || Object.entries(v).some(([k, u]) => !apis.includes(k) || typeof u !== "string")) {
      throw new InvalidArgumentError(key, "endpoints", `must be an object of base URLs keyed by ${apis.join(", ")}`, { kind: "stack", key: source });
    }
    return v;
  }
  if (typeof value !== "string") {
    throw new InvalidArgumentError(key, "string", "must be a string", { kind: "stack", key: source });
  }
  return value;
}

/**
 * Settings from stack config. `get` answers a namespaced key (`otcjobs:region`), as the dynamic
 * provider's `configure` request and `PULUMI_CONFIG` with namespaces do; empty values are unset.
 */
export function settingsFromStackConfig(get: (key: string) => unknown): Settings {
  const out: Record<string, unknown> = {};
  for (const key of STACK_CONFIG_KEYS) {
    const v = get(`otcjobs:${key}`);
    if (v === undefined || v === null || v === "") continue;
    out[key] = coerceStackValue(key, v);
  }
  return out as Settings;
}

/** Keys under `otcjobs:` that are not settings: named so a misspelling is caught, not ignored. */
export function unknownStackKeys(keys: Iterable<string>): string[] {
  return [...keys].filter((k) => !(STACK_CONFIG_KEYS as readonly string[]).includes(k));
}

/** A stack-config error with the key to fix. */
export function stackConfigError(key: string, detail: string): ConfigError {
  return new ConfigError(`otcjobs:${key}: ${detail}`, key);
}
