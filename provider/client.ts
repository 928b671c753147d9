import type { Dispatcher } from "undici";
import { z } from "zod";
import { akskAuth } from "./auth/aksk";
import { noAuth } from "./auth/none";
import { passwordAuth, type PasswordAuthenticator } from "./auth/password";
import { tokenAuth } from "./auth/token";
import { MAX_CONCURRENCY } from "./concurrency";
import type { Authenticator } from "./http/types";
import { CLOUDS, type CloudName, checkEndpoint, resolveEndpoints } from "./endpoints";
import { type ApiName, ConfigError } from "./errors";
import { settingNames } from "./settings";
import {
  type ApiRequest,
  type ApiResponse,
  type CallContext,
  createDispatcher,
  DEFAULT_RETRY,
  newCallContext,
  type RequestLogger,
  Transport,
} from "./http";
import { intIn, oneOf, parseArgs, parseResponse } from "./validate";

type PasswordAuthOptionsSend = (req: ApiRequest, call: CallContext) => Promise<ApiResponse>;

const projectsSchema = z.object({ projects: z.array(z.object({ id: z.string(), name: z.string() })) });

const VERSION = "0.1.0";

/** The three ways to name the project, each with all its names. */
const PROJECT_SETTINGS = `${settingNames("projectId")}, ${settingNames("projectName")} or ${settingNames("region")}`;

/** Credentials sent in an HTTP header: visible ASCII only, or undici refuses them at send time. */
const headerSafe = z
  .string()
  .min(1, { error: "must not be empty" })
  .regex(/^[\x21-\x7e]+$/, { error: "may hold only visible ASCII characters (a newline or a stray character was pasted with it?)" });

const endpointMap = z
  .object({ ddm: z.string(), dds: z.string(), drs: z.string(), iam: z.string() })
  .partial()
  .strict();

const clientOptionsSchema = z
  .object({
    /** The 32-hex id of the project whose jobs are read. */
    projectId: z
      .string()
      .regex(/^[0-9a-fA-F]{32}$/, { error: "must be the project's id: 32 hex characters (or pass projectName)" })
      // The console shows ids in lower case; one pasted in upper case is the same project.
      .transform((v) => v.toLowerCase())
      .optional(),
    /** Resolved to an id through IAM; defaults to the region name (OTC and Huawei name projects after regions). */
    projectName: z.string().min(1, { error: "must not be empty" }).optional(),
    token: headerSafe.optional(),
    accessKey: headerSafe.optional(),
    secretKey: z.string().min(1, { error: "must not be empty" }).optional(),
    securityToken: headerSafe.optional(),
    userName: z.string().min(1, { error: "must not be empty" }).optional(),
    password: z.string().min(1, { error: "must not be empty" }).optional(),
    domainName: z.string().min(1, { error: "must not be empty" }).optional(),
    auth: z.custom<Authenticator>((v) => typeof v === "object" && v !== null && typeof (v as Authenticator).authorize === "function", {
      error: "must be an Authenticator (an object with authorize())",
    }).optional(),
    cloud: oneOf(CLOUDS, "cloud").optional(),
    region: z.string().regex(/^[a-z]{2}(-[a-z0-9]+)+$/, { error: "must be a region name like eu-de, eu-ch2 or ap-southeast-1" }).optional(),
    endpoint: z.string().optional(),
    endpoints: endpointMap.optional(),
    insecure: z.boolean().optional(),
    cacert: z.string().optional(),
    /** Time for one attempt, connect to last body byte. */
    attemptTimeoutMs: intIn(100, 600_000).optional(),
    /** Time for one call: a whole listing, all its pages and retries. */
    deadlineMs: intIn(100, 86_400_000).optional(),
    retry: z
      .object({ maxRetries: intIn(0, 20), baseDelayMs: intIn(0, 60_000), maxDelayMs: intIn(0, 600_000) })
      .partial()
      .strict()
      .optional(),
    /** Largest response body accepted (default 32 MiB); a larger one fails the call without a retry. */
    maxResponseBytes: intIn(1024, 1024 * 1024 * 1024).optional(),
    concurrency: intIn(1, 64).optional(),
    logger: z.custom<RequestLogger>((v) => typeof v === "function", { error: "must be a function" }).optional(),
    dispatcher: z.custom<Dispatcher>((v) => typeof v === "object" && v !== null, { error: "must be an undici Dispatcher" }).optional(),
  })
  .strict();

/**
 * What `createClient` takes. Written out (not `z.input<...>`) so the public declarations carry no zod
 * types; `SchemaMatches` below fails the build if it and the schema ever disagree.
 */
export interface ClientOptions {
  /** The 32-hex id of the project whose jobs are read (upper case is read as lower case). */
  projectId?: string;
  /** Resolved to an id through IAM; defaults to the region name (OTC and Huawei name projects after regions). */
  projectName?: string;
  /** An IAM token, sent as `X-Auth-Token` (visible ASCII only). */
  token?: string;
  /** AK/SK signing: the access key id. */
  accessKey?: string;
  secretKey?: string;
  /** For temporary AK/SK, sent (and signed) as `X-Security-Token`. */
  securityToken?: string;
  /** IAM password authentication: user, password and the account (domain) it belongs to. */
  userName?: string;
  password?: string;
  domainName?: string;
  /** A custom authenticator; wins over every credential above. */
  auth?: Authenticator;
  /** `otc` (default) or `huaweicloud`. */
  cloud?: CloudName;
  /** `eu-de`, `eu-nl`, `eu-ch2`, `ap-southeast-1`, ... */
  region?: string;
  /** One base URL for every service (`{endpoint}/ddm`, ...): the emulator's gateway. */
  endpoint?: string;
  /** Per-service base URLs; win over `region` and `endpoint`. */
  endpoints?: { ddm?: string; dds?: string; drs?: string; iam?: string };
  /** Skip TLS certificate checks (never allows plain http to another host). */
  insecure?: boolean;
  /** A CA bundle: PEM text or a file path (resolved by `resolveConfig`). */
  cacert?: string;
  /** Time for one attempt, connect to last body byte (100 ms – 10 min; default 30 s). */
  attemptTimeoutMs?: number;
  /**
   * Time for one call: a whole listing, all its pages and retries (default 5 min). A streamed listing
   * (`paginate*Jobs`) does not count the time the caller holds a page before asking for the next.
   */
  deadlineMs?: number;
  /** Request retries: count (0–20, default 5) and the capped full-jitter backoff. */
  retry?: { maxRetries?: number; baseDelayMs?: number; maxDelayMs?: number };
  /** Largest response body accepted (default 32 MiB); a larger one fails the call without a retry. */
  maxResponseBytes?: number;
  /** Pages in flight per listing (1–64); unset, a listing adapts it. */
  concurrency?: number;
  /** One event per attempt: path, status, timing, request id; never headers. */
  logger?: RequestLogger;
  /** An undici dispatcher to use instead of the client's own pool. */
  dispatcher?: Dispatcher;
}

type SameType<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Compile-time check that `ClientOptions` is exactly what the schema accepts. */
const SchemaMatches: SameType<Required<ClientOptions>, Required<z.input<typeof clientOptionsSchema>>> = true;
void SchemaMatches;

export const DEFAULTS = {
  cloud: "otc" as CloudName,
  attemptTimeoutMs: 30_000,
  deadlineMs: 300_000,
  concurrency: 8,
};

/**
 * Everything a call needs: project, endpoints, credentials and one keep-alive connection pool.
 * Create one per program (or per provider call) and pass it to the service functions; it holds no
 * module-level state, and its secrets never show in `JSON.stringify` or `util.inspect`.
 */
export class Client {
  readonly cloud: CloudName;
  /** How requests are authenticated (`token`, `aksk`, `password`, or `none` for a custom one). */
  readonly authKind: string;
  readonly region?: string;
  /** Pages fetched in parallel by a listing (after the first). */
  readonly concurrency: number;
  /** True when `concurrency` was chosen by the caller: listings then keep it exactly instead of adapting. */
  readonly concurrencyFixed: boolean;
  readonly deadlineMs: number;
  private readonly endpoints: Partial<Record<ApiName, URL>>;
  private readonly transport: Transport;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly fixedProjectId?: string;
  private readonly projectName?: string;
  private resolvingProject?: Promise<string>;
  private readonly passwordAuth?: PasswordAuthenticator;

  constructor(options: ClientOptions) {
    const o = parseArgs(clientOptionsSchema, options, "the client options");
    this.fixedProjectId = o.projectId;
    this.projectName = o.projectName ?? o.region;
    this.cloud = o.cloud ?? DEFAULTS.cloud;
    this.region = o.region;
    this.concurrency = o.concurrency ?? DEFAULTS.concurrency;
    this.concurrencyFixed = o.concurrency !== undefined;
    this.deadlineMs = o.deadlineMs ?? DEFAULTS.deadlineMs;
    const resolved = resolveEndpoints({ cloud: this.cloud, region: o.region, base: o.endpoint, overrides: o.endpoints });
    this.endpoints = Object.fromEntries(
      Object.entries(resolved).map(([api, url]) => [api, checkEndpoint(api as ApiName, url)]),
    );
    this.ownsDispatcher = !o.dispatcher;
    this.dispatcher =
      o.dispatcher ??
      createDispatcher({ connections: MAX_CONCURRENCY + 2, ca: o.cacert, rejectUnauthorized: !o.insecure });
    const transportOptions = {
      dispatcher: this.dispatcher,
      attemptTimeoutMs: o.attemptTimeoutMs ?? DEFAULTS.attemptTimeoutMs,
      retry: { ...DEFAULT_RETRY, ...o.retry },
      maxResponseBytes: o.maxResponseBytes,
      logger: o.logger,
      userAgent: `pulumi-otc-jobs/${VERSION} node/${process.versions.node}`,
    };
    // IAM token requests carry the password in their body: redact it (and the token) from IAM's errors too.
    const chosen: { auth?: Authenticator } = {};
    const iam = new Transport({ ...transportOptions, auth: { ...noAuth, secretValues: () => chosen.auth?.secretValues?.() ?? [] } });
    const auth = (chosen.auth = this.chooseAuth(o, (req, call) => iam.send(req, call)));
    this.authKind = auth.kind;
    this.transport = new Transport({ ...transportOptions, auth });
    // Keep the transport (which holds the authenticator) out of enumeration and inspection.
    Object.defineProperty(this, "transport", { enumerable: false });
    Object.defineProperty(this, "dispatcher", { enumerable: false });
  }

  /**
   * Picks the authentication from the credentials given: a custom `auth`, else a token, else an
   * AK/SK pair, else an IAM user. A half-given set is an error rather than a silent fall-through.
   */
  private chooseAuth(o: z.output<typeof clientOptionsSchema>, sendIam: PasswordAuthOptionsSend): Authenticator {
    if (o.auth) return o.auth;
    if (o.token) return tokenAuth(o.token);
    if (o.accessKey || o.secretKey) {
      if (!o.accessKey) throw new ConfigError(`secretKey is set but accessKey is not: AK/SK authentication needs both; set ${settingNames("accessKey")}`, "accessKey");
      if (!o.secretKey) throw new ConfigError(`accessKey is set but secretKey is not: AK/SK authentication needs both; set ${settingNames("secretKey")}`, "secretKey");
      return akskAuth({ accessKey: o.accessKey, secretKey: o.secretKey, securityToken: o.securityToken, projectId: o.projectId });
    }
    if (o.userName || o.password) {
      const missing = (["userName", "password", "domainName"] as const).filter((k) => !o[k]);
      if (missing.length) throw new ConfigError(`IAM password authentication needs ${missing.map(settingNames).join(" and ")} as well`, missing[0]);
      if (!o.projectId && !this.projectName) {
        throw new ConfigError(`IAM password authentication needs a project to scope its token: set ${PROJECT_SETTINGS}`, "projectId");
      }
      const auth = passwordAuth({
        userName: o.userName!,
        password: o.password!,
        domainName: o.domainName!,
        projectId: o.projectId,
        projectName: o.projectId ? undefined : this.projectName,
        iamEndpoint: this.endpoint("iam"),
        send: sendIam,
      });
      Object.defineProperty(this, "passwordAuth", { value: auth, enumerable: false });
      return auth;
    }
    throw new ConfigError("no credentials: pass token, accessKey and secretKey, or userName, password and domainName");
  }

  /**
   * The project's id: as given, else from the password token's scope, else looked up by name in IAM
   * (`GET /v3/projects?name=`). Resolved once per client.
   */
  async projectId(signal?: AbortSignal): Promise<string> {
    if (this.fixedProjectId) return this.fixedProjectId;
    this.resolvingProject ??= this.lookUpProjectId(signal).catch((e: unknown) => {
      this.resolvingProject = undefined;
      throw e;
    });
    return this.resolvingProject;
  }

  private async lookUpProjectId(signal?: AbortSignal): Promise<string> {
    const name = this.projectName;
    if (!name) throw new ConfigError(`no project: set ${PROJECT_SETTINGS}`, "projectId");
    const scoped = await this.passwordAuth?.projectId(signal);
    if (scoped) return scoped;
    const res = await this.withCall("iam", "ListProjects", signal, (call) => this.send({ method: "GET", url: this.url("iam", "/v3/projects", { name }) }, call), 60_000);
    const { projects } = parseResponse(projectsSchema, res.json, "iam", "ListProjects");
    const found = projects.find((p) => p.name === name) ?? projects[0];
    if (!found) throw new ConfigError(`project "${name}" not found in IAM: check ${settingNames("projectName")} or ${settingNames("region")}, or set ${settingNames("projectId")}`, "projectName");
    return found.id;
  }

  /** The base URL of an API, or a ConfigError saying how to provide one. */
  endpoint(api: ApiName): URL {
    const url = this.endpoints[api];
    if (!url) {
      throw new ConfigError(
        `no endpoint for ${api.toUpperCase()}: set region (with cloud ${this.cloud}), endpoints.${api}, ` +
          `or the environment variable OTCJOBS_${api.toUpperCase()}_ENDPOINT / OTCJOBS_ENDPOINT`,
      );
    }
    return url;
  }

  /** `{endpoint}{path}?{query}` with RFC 3986 encoding (spaces as %20, as signers expect). */
  url(api: ApiName, path: string, query?: Record<string, string | number | undefined>): URL {
    const base = this.endpoint(api);
    const url = new URL(base.href);
    url.pathname = base.pathname.replace(/\/+$/, "") + path;
    const pairs = Object.entries(query ?? {}).filter(([, v]) => v !== undefined && v !== "");
    url.search = pairs.map(([k, v]) => `${encodeRfc3986(k)}=${encodeRfc3986(String(v))}`).join("&");
    return url;
  }

  /** Starts a logical call: one deadline for all its pages and retries. The caller must `dispose()` it. */
  newCall(api: ApiName, operation: string, signal?: AbortSignal, deadlineMs = this.deadlineMs): CallContext {
    return newCallContext(api, operation, deadlineMs, signal);
  }

  /** Runs `fn` as one logical call and disposes the call (its deadline timer and its listener) after. */
  async withCall<T>(api: ApiName, operation: string, signal: AbortSignal | undefined, fn: (call: CallContext) => Promise<T>, deadlineMs?: number): Promise<T> {
    const call = this.newCall(api, operation, signal, deadlineMs);
    try {
      return await fn(call);
    } finally {
      call.dispose();
    }
  }

  send(request: ApiRequest, call: CallContext): Promise<ApiResponse> {
    return this.transport.send(request, call);
  }

  /** Closes pooled connections (only those this client opened). */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  toJSON(): Record<string, unknown> {
    return {
      projectId: this.fixedProjectId,
      projectName: this.projectName,
      auth: this.authKind,
      cloud: this.cloud,
      region: this.region,
      endpoints: Object.fromEntries(Object.entries(this.endpoints).map(([k, v]) => [k, v?.href])),
      concurrency: this.concurrency,
    };
  }
}

export function createClient(options: ClientOptions): Client {
  return new Client(options);
}

export function encodeRfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
