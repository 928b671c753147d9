import type { Dispatcher } from "undici";
import { z } from "zod";
import { tokenAuth } from "./auth/token";
import type { Authenticator } from "./auth/types";
import { CLOUDS, type CloudName, checkEndpoint, resolveEndpoints } from "./endpoints";
import { type ApiName, ConfigError } from "./errors";
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
import { intIn, oneOf, parseArgs } from "./validate";

const VERSION = "0.1.0";

const endpointMap = z
  .object({ ddm: z.string(), dds: z.string(), drs: z.string(), iam: z.string() })
  .partial()
  .strict();

const clientOptionsSchema = z
  .object({
    /** The 32-hex id of the project whose jobs are read. */
    projectId: z
      .string({ error: "is required: the project's 32-character hex id" })
      .regex(/^[0-9a-f]{32}$/, { error: "must be the project's id: 32 lowercase hex characters" }),
    token: z.string().min(1, { error: "must not be empty" }).optional(),
    auth: z.custom<Authenticator>((v) => typeof v === "object" && v !== null && typeof (v as Authenticator).authorize === "function", {
      error: "must be an Authenticator (an object with authorize())",
    }).optional(),
    cloud: oneOf(CLOUDS, "cloud").optional(),
    region: z.string().regex(/^[a-z]{2}(-[a-z0-9]+)+$/, { error: "must be a region name like eu-de, eu-ch2 or ap-southeast-1" }).optional(),
    endpoint: z.string().optional(),
    endpoints: endpointMap.optional(),
    insecure: z.boolean().optional(),
    cacert: z.string().optional(),
    timeoutMs: intIn(100, 600_000).optional(),
    deadlineMs: intIn(100, 86_400_000).optional(),
    maxRetries: intIn(0, 20).optional(),
    retryBaseDelayMs: intIn(0, 60_000).optional(),
    retryMaxDelayMs: intIn(0, 600_000).optional(),
    concurrency: intIn(1, 64).optional(),
    logger: z.custom<RequestLogger>((v) => typeof v === "function", { error: "must be a function" }).optional(),
    dispatcher: z.custom<Dispatcher>((v) => typeof v === "object" && v !== null, { error: "must be an undici Dispatcher" }).optional(),
  })
  .strict();

export type ClientOptions = z.input<typeof clientOptionsSchema>;

export const DEFAULTS = {
  cloud: "otc" as CloudName,
  timeoutMs: 30_000,
  deadlineMs: 300_000,
  concurrency: 8,
};

/**
 * Everything a call needs: project, endpoints, credentials and one keep-alive connection pool.
 * Create one per program (or per provider call) and pass it to the service functions; it holds no
 * module-level state, and its secrets never show in `JSON.stringify` or `util.inspect`.
 */
export class Client {
  readonly projectId: string;
  readonly cloud: CloudName;
  readonly region?: string;
  /** Pages fetched in parallel by a listing (after the first). */
  readonly concurrency: number;
  readonly deadlineMs: number;
  private readonly endpoints: Partial<Record<ApiName, URL>>;
  private readonly transport: Transport;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;

  constructor(options: ClientOptions) {
    const o = parseArgs(clientOptionsSchema, options, "the client options");
    if (!o.auth && !o.token) {
      throw new ConfigError("no credentials: pass token or auth (an Authenticator) to the client");
    }
    this.projectId = o.projectId;
    this.cloud = o.cloud ?? DEFAULTS.cloud;
    this.region = o.region;
    this.concurrency = o.concurrency ?? DEFAULTS.concurrency;
    this.deadlineMs = o.deadlineMs ?? DEFAULTS.deadlineMs;
    const resolved = resolveEndpoints({ cloud: this.cloud, region: o.region, base: o.endpoint, overrides: o.endpoints });
    this.endpoints = Object.fromEntries(
      Object.entries(resolved).map(([api, url]) => [api, checkEndpoint(api as ApiName, url, o.insecure ?? false)]),
    );
    this.ownsDispatcher = !o.dispatcher;
    this.dispatcher =
      o.dispatcher ??
      createDispatcher({ connections: this.concurrency + 2, ca: o.cacert, rejectUnauthorized: !o.insecure });
    const auth = o.auth ?? tokenAuth(o.token!);
    this.transport = new Transport({
      auth,
      dispatcher: this.dispatcher,
      attemptTimeoutMs: o.timeoutMs ?? DEFAULTS.timeoutMs,
      retry: {
        maxRetries: o.maxRetries ?? DEFAULT_RETRY.maxRetries,
        baseDelayMs: o.retryBaseDelayMs ?? DEFAULT_RETRY.baseDelayMs,
        maxDelayMs: o.retryMaxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
      },
      logger: o.logger,
      userAgent: `pulumi-otc-jobs/${VERSION} node/${process.versions.node}`,
    });
    // Keep the transport (which holds the authenticator) out of enumeration and inspection.
    Object.defineProperty(this, "transport", { enumerable: false });
    Object.defineProperty(this, "dispatcher", { enumerable: false });
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

  /** Starts a logical call: one deadline for all its pages and retries. */
  newCall(api: ApiName, operation: string, signal?: AbortSignal, deadlineMs = this.deadlineMs): CallContext {
    return newCallContext(api, operation, deadlineMs, signal);
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
      projectId: this.projectId,
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
