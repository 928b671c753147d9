import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import type { ClientOptions } from "./client";
import { ConfigError } from "./errors";

import { ENVIRONMENT, type Field, SECRET_FIELDS, type Settings } from "./settings";

export { ENVIRONMENT, SECRET_FIELDS, type Settings } from "./settings";

/** Where clouds.yaml is looked for, as openstacksdk does. */
export function cloudsYamlSearchPath(env: Record<string, string | undefined>): string[] {
  return [
    env.OS_CLIENT_CONFIG_FILE,
    join(process.cwd(), "clouds.yaml"),
    join(homedir(), ".config", "openstack", "clouds.yaml"),
    "/etc/openstack/clouds.yaml",
  ].filter((p): p is string => Boolean(p));
}

export interface ConfigSources {
  /** Explicit arguments: win over everything. */
  args?: Settings;
  /** `otcjobs:*` Pulumi stack config, read by the SDK (the core never imports Pulumi). */
  pulumi?: Settings;
  /** Default: `process.env`. */
  env?: Record<string, string | undefined>;
  /** Default: `cloudsYamlSearchPath(env)`. */
  cloudsYamlPaths?: string[];
}

type SourceName = "arguments" | "Pulumi config" | "environment" | "clouds.yaml";
interface Layer {
  name: SourceName;
  settings: Settings;
  /** Where each field came from within the layer, for messages (`OS_ACCESS_KEY`, `otcjobs:token`). */
  origin: Partial<Record<string, string>>;
}

const CREDENTIAL_SETS: ReadonlyArray<{ kind: "token" | "aksk" | "password"; fields: Field[]; required: Field[] }> = [
  { kind: "token", fields: ["token"], required: ["token"] },
  { kind: "aksk", fields: ["accessKey", "secretKey", "securityToken"], required: ["accessKey", "secretKey"] },
  { kind: "password", fields: ["userName", "password"], required: ["userName", "password"] },
];

/**
 * The outcome of resolution: client options plus where each setting came from. Secrets are kept
 * off the enumerable surface so that printing or serializing it cannot reveal them.
 */
export class ResolvedConfig {
  readonly authKind: "token" | "aksk" | "password";
  /** Setting → its source, e.g. `accessKey: "environment (OS_ACCESS_KEY)"`. */
  readonly provenance: Record<string, string>;
  private readonly options!: ClientOptions;

  constructor(options: ClientOptions, authKind: "token" | "aksk" | "password", provenance: Record<string, string>) {
    Object.defineProperty(this, "options", { value: options, enumerable: false });
    this.authKind = authKind;
    this.provenance = provenance;
  }

  /** Options for `createClient`, with extras such as `logger` or `maxRetries` merged in. */
  clientOptions(extra: Partial<ClientOptions> = {}): ClientOptions {
    return { ...this.options, ...extra };
  }

  toJSON(): Record<string, unknown> {
    return { authKind: this.authKind, ...redact(this.options), provenance: this.provenance };
  }

  [inspect.custom](): string {
    return `ResolvedConfig ${inspect(this.toJSON())}`;
  }
}

export function redact(o: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(o)
      .filter(([, v]) => v !== undefined && typeof v !== "function")
      .map(([k, v]) => [k, (SECRET_FIELDS as readonly string[]).includes(k) ? "[redacted]" : v]),
  );
}

/**
 * Resolves client settings with the precedence explicit arguments > Pulumi config > environment >
 * clouds.yaml. Ordinary settings resolve field by field; credentials resolve as a set (token, AK/SK
 * pair or IAM user) from the first source that has one, so a token in the environment never mixes
 * with an access key given as an argument.
 */
export function resolveConfig(sources: ConfigSources = {}): ResolvedConfig {
  const env = sources.env ?? process.env;
  const layers: Layer[] = [];
  if (sources.args) layers.push(plainLayer("arguments", sources.args, (k) => k));
  if (sources.pulumi) layers.push(plainLayer("Pulumi config", sources.pulumi, (k) => `otcjobs:${k}`));
  layers.push(envLayer(env));
  const osCloud = first(layers, "osCloud");
  const searched = sources.cloudsYamlPaths ?? cloudsYamlSearchPath(env);
  const yamlLayer = osCloud ? cloudsYamlLayer(osCloud.value as string, searched) : undefined;
  if (yamlLayer) layers.push(yamlLayer);

  const provenance: Record<string, string> = {};
  const pick = <F extends Field>(field: F): Settings[F] => {
    const hit = first(layers, field);
    if (hit) provenance[field] = hit.from;
    return hit?.value as Settings[F];
  };

  // Credentials: the first layer holding any credential field owns them all.
  const owner = layers.find((l) => CREDENTIAL_SETS.some((set) => set.fields.some((f) => l.settings[f] !== undefined)));
  if (!owner) throw noCredentials(layers, osCloud?.value as string | undefined, searched, Boolean(yamlLayer));
  if (osCloud && !yamlLayer) {
    // A cloud was named but there is nothing to read it from: an error, not a silent fall-back to
    // whatever else is configured.
    throw new ConfigError(
      `cloud "${String(osCloud.value)}" (${osCloud.from}) was asked for, but there is no clouds.yaml at ${searched.join(", ")}`,
      "osCloud",
    );
  }
  const set = CREDENTIAL_SETS.find((s) => s.fields.some((f) => owner.settings[f] !== undefined))!;
  const missing = set.required.filter((f) => owner.settings[f] === undefined);
  if (missing.length) {
    const have = set.fields.filter((f) => owner.settings[f] !== undefined).map((f) => owner.origin[f] ?? f);
    throw new ConfigError(
      `incomplete credentials in ${owner.name}: ${have.join(", ")} set but ${missing.map((f) => describe(owner.name, f)).join(" and ")} missing`,
    );
  }
  const credentials: Partial<ClientOptions> = {};
  for (const f of set.fields) {
    const v = owner.settings[f];
    if (v !== undefined) {
      (credentials as Record<string, unknown>)[f] = v;
      provenance[f] = `${owner.name}${owner.origin[f] && owner.origin[f] !== f ? ` (${owner.origin[f]})` : ""}`;
    }
  }

  const endpoints: NonNullable<Settings["endpoints"]> = {};
  for (const api of ["ddm", "dds", "drs", "iam"] as const) {
    for (const l of layers) {
      const v = l.settings.endpoints?.[api];
      if (v) {
        endpoints[api] = v;
        provenance[`endpoints.${api}`] = l.name;
        break;
      }
    }
  }
  const authUrl = pick("authUrl");
  if (authUrl && !endpoints.iam) endpoints.iam = authUrl.replace(/\/+$/, "").replace(/\/v3$/, "");

  const cacert = pick("cacert");
  const options: ClientOptions = {
    ...credentials,
    cloud: pick("cloud") as ClientOptions["cloud"],
    region: pick("region"),
    projectId: pick("projectId"),
    projectName: pick("projectName"),
    domainName: set.kind === "password" ? pick("domainName") : undefined,
    endpoint: pick("endpoint"),
    endpoints: Object.keys(endpoints).length ? endpoints : undefined,
    insecure: pick("insecure"),
    cacert: cacert === undefined ? undefined : readCa(cacert),
  };
  return new ResolvedConfig(
    Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as ClientOptions,
    set.kind,
    provenance,
  );
}

function first(layers: Layer[], field: Field): { value: unknown; from: string } | undefined {
  for (const l of layers) {
    const value = l.settings[field];
    if (value !== undefined && value !== "") {
      const origin = l.origin[field];
      return { value, from: origin && origin !== field ? `${l.name} (${origin})` : l.name };
    }
  }
  return undefined;
}

function plainLayer(name: SourceName, settings: Settings, originOf: (k: string) => string): Layer {
  const clean = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined && v !== "")) as Settings;
  return { name, settings: clean, origin: Object.fromEntries(Object.keys(clean).map((k) => [k, originOf(k)])) };
}

function envLayer(env: Record<string, string | undefined>): Layer {
  const settings: Settings = {};
  const origin: Layer["origin"] = {};
  for (const [key, names] of Object.entries(ENVIRONMENT)) {
    const name = names.find((n) => env[n] !== undefined && env[n] !== "");
    if (!name) continue;
    const raw = env[name]!;
    origin[key] = name;
    if (key.startsWith("endpoints.")) {
      settings.endpoints = { ...settings.endpoints, [key.slice("endpoints.".length)]: raw };
    } else if (key === "insecure") {
      settings.insecure = /^(1|true|yes)$/i.test(raw);
    } else {
      (settings as Record<string, unknown>)[key] = raw;
    }
  }
  return { name: "environment", settings, origin };
}

/** Reads one cloud of clouds.yaml (merged with secure.yaml beside it, as openstacksdk does). */
function cloudsYamlLayer(cloud: string, paths: string[]): Layer | undefined {
  const path = paths.find((p) => existsSync(p));
  if (!path) return undefined;
  const entry = readCloud(path, cloud);
  if (!entry) {
    throw new ConfigError(`cloud "${cloud}" (OS_CLOUD / osCloud) is not defined in ${path}`);
  }
  const securePath = join(path, "..", "secure.yaml");
  const secure = existsSync(securePath) ? readCloud(securePath, cloud) : undefined;
  const auth = { ...(entry.auth as Record<string, unknown>), ...((secure?.auth as Record<string, unknown>) ?? {}) };
  const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  const settings: Settings = {
    region: str(entry.region_name),
    authUrl: str(auth.auth_url),
    userName: str(auth.username),
    password: str(auth.password),
    domainName: str(auth.user_domain_name) ?? str(auth.domain_name),
    projectId: str(auth.project_id),
    projectName: str(auth.project_name),
    token: str(auth.token),
    accessKey: str(auth.ak) ?? str(auth.access_key),
    secretKey: str(auth.sk) ?? str(auth.secret_key),
    securityToken: str(auth.security_token),
    cacert: str(entry.cacert),
    insecure: entry.verify === false ? true : undefined,
  };
  const clean = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)) as Settings;
  return {
    name: "clouds.yaml",
    settings: clean,
    origin: Object.fromEntries(Object.keys(clean).map((k) => [k, `${path} clouds.${cloud}`])),
  };
}

function readCloud(path: string, cloud: string): Record<string, unknown> | undefined {
  let doc: unknown;
  try {
    // Loaded only when a clouds.yaml exists: most runs (env credentials) never need a YAML parser.
    const { parse } = require("yaml") as typeof import("yaml");
    doc = parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new ConfigError(`${path} is not valid YAML: ${(e as Error).message.split("\n")[0]}`);
  }
  const clouds = (doc as { clouds?: Record<string, unknown> } | null)?.clouds;
  const entry = clouds?.[cloud];
  return entry && typeof entry === "object" ? (entry as Record<string, unknown>) : undefined;
}

function readCa(value: string): string {
  if (value.includes("-----BEGIN")) return value;
  try {
    return readFileSync(value, "utf8");
  } catch {
    throw new ConfigError(`cacert: cannot read CA bundle file ${value}`);
  }
}

function describe(source: SourceName, field: Field): string {
  if (source === "environment") return ENVIRONMENT[field].join("/");
  if (source === "Pulumi config") return `otcjobs:${field}`;
  return field;
}

function noCredentials(layers: Layer[], osCloud: string | undefined, searched: string[], yamlRead: boolean): ConfigError {
  const names = (fields: Field[]) => fields.map((f) => ENVIRONMENT[f].join("/")).join(", ");
  const places = [
    layers.some((l) => l.name === "arguments") ? "arguments (token, accessKey + secretKey, userName + password)" : undefined,
    layers.some((l) => l.name === "Pulumi config") ? "Pulumi config (otcjobs:token, otcjobs:accessKey + otcjobs:secretKey, otcjobs:userName + otcjobs:password)" : undefined,
    `environment (${names(["token", "accessKey", "secretKey", "userName", "password"])})`,
    osCloud
      ? yamlRead
        ? `clouds.yaml cloud "${osCloud}" (no auth.token, auth.ak/sk or auth.username/password)`
        : `clouds.yaml for OS_CLOUD=${osCloud}: no file at ${searched.join(", ")}`
      : "clouds.yaml (not read: OS_CLOUD is not set)",
  ].filter(Boolean);
  return new ConfigError(`no credentials found. Looked in:\n  - ${places.join("\n  - ")}`);
}
