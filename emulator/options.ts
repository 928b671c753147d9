/** Emulator options, their defaults and their validation. */
import { type Authenticator, type EmulatorAccessKey, tokenAuthenticator } from "./auth";
import { akskAuthenticator, DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY } from "./aksk";

/** Token first, then AK/SK signatures: the schemes the gateway accepts unless told otherwise. */
export const defaultAuthenticators: readonly Authenticator[] = [tokenAuthenticator, akskAuthenticator];
import type { ClockMode } from "./clock";
import type { DdmErrorShape } from "./errors";
import { parseFaultConfig, type FaultConfig } from "./faults";
import { parseThrottleConfig, type ThrottleConfig } from "./throttle";
import { resolveShapes, type ResolvedShapes, type ShapeOptions } from "./data/shapes";
import { SERVICE_NAMES, type ServiceName } from "./names";
import { DAY } from "./time";

export interface EmulatorUser {
  name: string;
  password: string;
  /** Domain (account) name. */
  domain: string;
}

export interface EmulatorOptions {
  /** Default 1. Same seed + same counts + same `now` => identical data. */
  seed?: number;
  /** Seeded jobs per service; default 120 each. */
  jobs?: number | Partial<Record<ServiceName, number>>;
  /** 32 lowercase hex; default "0b3c5a8e9f1d4c2b8a7e6d5c4b3a2f10". */
  projectId?: string;
  /** IAM project name (OTC project names are region names); default "eu-de". */
  projectName?: string;
  /** Accepted X-Auth-Token (never expires); default "emulator-token". */
  token?: string;
  /** Emulator clock start; default Date.now(). */
  now?: Date | number;
  /** "real" (default): now + wall-clock elapsed + advances; "manual": moves only by advance(). */
  clock?: ClockMode;
  faults?: FaultConfig;
  /** The gateway's request-rate limit per project (429 APIGW.0308 beyond it); default none. */
  throttle?: ThrottleConfig;
  /** Default "127.0.0.1". */
  host?: string;
  /** Gateway port; default 0 (ephemeral). Per-service listeners are always ephemeral. */
  port?: number;
  /** DDM error body: HW v3 `error_code/error_msg` (default) or OTC-documented `errCode/externalMessage`. */
  ddmErrorShape?: DdmErrorShape;
  /** Leave `total_count` out of DDS v3.1 list replies, as the reference's example does. Default true. */
  ddsOmitTotalCount?: boolean;
  /** Reply shapes where the reference allows several (offsets, `job_action`, null or absent texts); see `ShapeOptions`. */
  shapes?: ShapeOptions;
  /** A DDS job becomes visible to `GET /v3/{pid}/jobs?id=` only this long after creation (real DDS: seconds). Default 0. */
  ddsLookupDelayMs?: number;
  /** IAM password users; default one: emulator-user / emulator-password / domain emulator-domain. */
  users?: EmulatorUser[];
  /** Lifetime of IAM-issued tokens on the emulator clock; default 24 h. */
  tokenTtlMs?: number;
  /**
   * AK/SK pairs accepted in "SDK-HMAC-SHA256" signatures; default one: `EMULATORACCESSKEY0001` /
   * `emulator-secret-key-0001` (`DEFAULT_ACCESS_KEY` / `DEFAULT_SECRET_KEY`). A pair with
   * `securityToken` is a temporary key: requests must send and sign that `X-Security-Token`.
   */
  accessKeys?: EmulatorAccessKey[];
  /** How service calls are authenticated; default `[tokenAuthenticator, akskAuthenticator]`. */
  authenticators?: Authenticator[];
}

export interface ResolvedOptions {
  seed: number;
  jobs: Record<ServiceName, number>;
  projectId: string;
  projectName: string;
  token: string;
  now: number;
  clock: ClockMode;
  faults: FaultConfig;
  throttle?: ThrottleConfig;
  host: string;
  port: number;
  ddmErrorShape: DdmErrorShape;
  ddsOmitTotalCount: boolean;
  shapes: ResolvedShapes;
  ddsLookupDelayMs: number;
  users: EmulatorUser[];
  tokenTtlMs: number;
  accessKeys: readonly EmulatorAccessKey[];
  authenticators: readonly Authenticator[];
}

export const DEFAULT_PROJECT_ID = "0b3c5a8e9f1d4c2b8a7e6d5c4b3a2f10";
export const DEFAULT_TOKEN = "emulator-token";
export const DEFAULT_USER: EmulatorUser = { name: "emulator-user", password: "emulator-password", domain: "emulator-domain" };
export const DEFAULT_ACCESS_KEY_PAIR: Readonly<EmulatorAccessKey> = Object.freeze({
  accessKey: DEFAULT_ACCESS_KEY,
  secretKey: DEFAULT_SECRET_KEY,
  userName: DEFAULT_USER.name,
});
const DEFAULT_JOBS = 120;

function count(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new TypeError(`jobs.${name} must be an integer >= 0, got ${value}`);
  return value;
}

function resolveJobs(jobs: EmulatorOptions["jobs"]): Record<ServiceName, number> {
  const entries = SERVICE_NAMES.map((s) => {
    const n = typeof jobs === "number" ? jobs : (jobs?.[s] ?? DEFAULT_JOBS);
    return [s, count(s, n)] as const;
  });
  return Object.fromEntries(entries) as Record<ServiceName, number>;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) throw new TypeError(`${name} must be a number >= 0, got ${value}`);
  return value;
}

function resolveAccessKeys(keys: EmulatorAccessKey[] | undefined): EmulatorAccessKey[] {
  if (keys === undefined) return [{ ...DEFAULT_ACCESS_KEY_PAIR }];
  if (!Array.isArray(keys)) throw new TypeError("accessKeys must be an array of { accessKey, secretKey }");
  const seen = new Set<string>();
  return keys.map((key, i) => {
    const { accessKey, secretKey, securityToken, userName } = key ?? ({} as EmulatorAccessKey);
    if (typeof accessKey !== "string" || !/^[^\s,=]+$/.test(accessKey)) {
      throw new TypeError(`accessKeys[${i}].accessKey must be a non-empty string without spaces, commas or "="`);
    }
    if (seen.has(accessKey)) throw new TypeError(`accessKeys[${i}].accessKey "${accessKey}" is given twice`);
    seen.add(accessKey);
    if (typeof secretKey !== "string" || secretKey === "") throw new TypeError(`accessKeys[${i}].secretKey must be a non-empty string`);
    if (securityToken !== undefined && (typeof securityToken !== "string" || securityToken.trim() === "" || securityToken !== securityToken.trim())) {
      throw new TypeError(`accessKeys[${i}].securityToken must be a non-empty string without surrounding spaces`);
    }
    return { accessKey, secretKey, ...(securityToken !== undefined ? { securityToken } : {}), ...(userName !== undefined ? { userName } : {}) };
  });
}

export function resolveOptions(opts: EmulatorOptions = {}): ResolvedOptions {
  const projectId = opts.projectId ?? DEFAULT_PROJECT_ID;
  if (!/^[0-9a-f]{32}$/.test(projectId)) throw new TypeError(`projectId must be 32 lowercase hex characters, got "${projectId}"`);
  const seed = opts.seed ?? 1;
  if (!Number.isInteger(seed)) throw new TypeError(`seed must be an integer, got ${seed}`);
  const now = opts.now === undefined ? Date.now() : opts.now instanceof Date ? opts.now.getTime() : opts.now;
  if (!Number.isFinite(now)) throw new TypeError("now must be a valid date");
  const token = opts.token ?? DEFAULT_TOKEN;
  if (token === "") throw new TypeError("token must not be empty");
  const port = opts.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError(`port must be 0..65535, got ${port}`);
  return {
    seed,
    jobs: resolveJobs(opts.jobs),
    projectId,
    projectName: opts.projectName ?? "eu-de",
    token,
    now: Math.floor(now),
    clock: opts.clock ?? "real",
    faults: parseFaultConfig(opts.faults ?? {}),
    ...(opts.throttle !== undefined ? { throttle: parseThrottleConfig(opts.throttle) } : {}),
    host: opts.host ?? "127.0.0.1",
    port,
    ddmErrorShape: opts.ddmErrorShape ?? "error_code",
    ddsOmitTotalCount: opts.ddsOmitTotalCount ?? true,
    shapes: resolveShapes(opts.shapes),
    ddsLookupDelayMs: nonNegative("ddsLookupDelayMs", opts.ddsLookupDelayMs ?? 0),
    users: opts.users ?? [DEFAULT_USER],
    tokenTtlMs: nonNegative("tokenTtlMs", opts.tokenTtlMs ?? DAY),
    accessKeys: resolveAccessKeys(opts.accessKeys),
    authenticators: opts.authenticators ?? defaultAuthenticators,
  };
}
