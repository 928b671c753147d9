import { setTimeout as sleepFor } from "node:timers/promises";
import { Agent, type Dispatcher, request as undiciRequest } from "undici";
import type { Authenticator, OutgoingRequest } from "./auth/types";
import { type ApiName, apiError, DeadlineExceededError, OtcApiError } from "./errors";

export interface RetryPolicy {
  /** Retries after the first attempt; 0 disables retrying. */
  maxRetries: number;
  /** First backoff ceiling; doubles each retry (full jitter picks a delay below it). */
  baseDelayMs: number;
  /** Largest backoff ceiling. A server's `Retry-After` may ask for longer and is honoured. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 5, baseDelayMs: 200, maxDelayMs: 15_000 };

export interface RequestLogEvent {
  service: ApiName;
  operation: string;
  method: string;
  /** Path and query only: credentials travel in headers, which are never logged. */
  path: string;
  attempt: number;
  status: number;
  durationMs: number;
  requestId?: string;
  /** Set when the attempt failed: the error code (`APIGW.0308`, `NETWORK`, `TIMEOUT`). */
  error?: string;
  /** Set when another attempt follows, after this many ms. */
  retryInMs?: number;
}

export type RequestLogger = (event: RequestLogEvent) => void;

export interface TransportOptions {
  auth: Authenticator;
  dispatcher: Dispatcher;
  /** Time allowed for one attempt, connect to last body byte. */
  attemptTimeoutMs: number;
  retry: RetryPolicy;
  logger?: RequestLogger;
  userAgent: string;
  /** Injectable for tests: [0, 1). */
  random?: () => number;
}

/** One logical call (a whole listing, or one lookup): its deadline and its caller's abort. */
export interface CallContext {
  service: ApiName;
  operation: string;
  /** Epoch ms after which no attempt starts and none continues. */
  deadlineAt: number;
  deadlineMs: number;
  signal: AbortSignal;
  /** Told the outcome of every attempt (a listing's concurrency window reacts to overload). */
  onAttempt?: (attempt: { status: number; apiCode?: string; retryInMs?: number }) => void;
}

export function newCallContext(
  service: ApiName,
  operation: string,
  deadlineMs: number,
  callerSignal?: AbortSignal,
): CallContext {
  const signals = [AbortSignal.timeout(deadlineMs)];
  if (callerSignal) signals.push(callerSignal);
  return { service, operation, deadlineAt: Date.now() + deadlineMs, deadlineMs, signal: AbortSignal.any(signals) };
}

export interface ApiRequest {
  method: "GET" | "POST";
  url: URL;
  /** Serialized as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: unknown;
  requestId?: string;
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

/**
 * Sends API requests with per-attempt timeouts, capped full-jitter retries that honour
 * `Retry-After`, one credential refresh on 401, and a deadline per call. All retry state lives in
 * the call, never in the transport, so one slow call cannot spend another's budget.
 */
export class Transport {
  private readonly random: () => number;

  constructor(private readonly opts: TransportOptions) {
    this.random = opts.random ?? Math.random;
  }

  async send(req: ApiRequest, call: CallContext): Promise<ApiResponse> {
    const { retry } = this.opts;
    let lastError: OtcApiError | undefined;
    let credentialsRefreshed = false;
    for (let attempt = 1; ; attempt++) {
      this.throwIfOver(call, lastError);
      const started = Date.now();
      let error: OtcApiError;
      try {
        const res = await this.attempt(req, call);
        this.log(req, call, { attempt, status: res.status, started, requestId: res.requestId });
        return res;
      } catch (e) {
        if (call.signal.aborted) this.throwIfOver(call, lastError, e);
        error = e instanceof OtcApiError ? e : transportError(call, e);
      }
      lastError = error.withAttempts(attempt);
      const refresh =
        error.status === 401 && !credentialsRefreshed && this.opts.auth.credentialsRejected?.(error) === true;
      if (refresh) credentialsRefreshed = true;
      const mayRetry = refresh || (error.retryable && attempt <= retry.maxRetries);
      const delay = refresh ? 0 : this.backoff(attempt, error);
      this.log(req, call, {
        attempt,
        status: error.status,
        started,
        requestId: error.requestId,
        error: error.apiCode,
        retryInMs: mayRetry ? delay : undefined,
      });
      if (!mayRetry) throw lastError;
      if (Date.now() + delay >= call.deadlineAt) {
        throw new DeadlineExceededError(call.service, call.operation, call.deadlineMs, lastError);
      }
      if (delay > 0) {
        try {
          // Listen on a signal of our own that follows the call's: a listing's pages share one
          // call signal, and more than ten of them asleep at once would otherwise pile listeners
          // on it and make Node print a MaxListenersExceededWarning.
          await sleepFor(delay, undefined, { signal: AbortSignal.any([call.signal]) });
        } catch (e) {
          this.throwIfOver(call, lastError, e);
        }
      }
    }
  }

  /** Full jitter below an exponentially growing ceiling; a server's Retry-After wins. */
  private backoff(attempt: number, error: OtcApiError): number {
    if (error.retryAfterSeconds !== undefined) return error.retryAfterSeconds * 1000;
    const { baseDelayMs, maxDelayMs } = this.opts.retry;
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    return Math.floor(this.random() * ceiling);
  }

  private throwIfOver(call: CallContext, lastError?: OtcApiError, cause?: unknown): void {
    if (Date.now() >= call.deadlineAt || (call.signal.aborted && isTimeout(call.signal.reason))) {
      throw new DeadlineExceededError(call.service, call.operation, call.deadlineMs, lastError);
    }
    if (call.signal.aborted) throw call.signal.reason ?? cause;
  }

  private async attempt(req: ApiRequest, call: CallContext): Promise<ApiResponse> {
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    const outgoing: OutgoingRequest = {
      method: req.method,
      url: req.url,
      headers: {
        accept: "application/json",
        "user-agent": this.opts.userAgent,
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...req.headers,
      },
      body,
    };
    const attemptMs = Math.max(1, Math.min(this.opts.attemptTimeoutMs, call.deadlineAt - Date.now()));
    const signal = AbortSignal.any([call.signal, AbortSignal.timeout(attemptMs)]);
    await this.opts.auth.authorize(outgoing, signal);
    const res = await undiciRequest(req.url, {
      method: req.method,
      headers: outgoing.headers,
      body,
      signal,
      dispatcher: this.opts.dispatcher,
      headersTimeout: attemptMs,
      bodyTimeout: attemptMs,
    });
    const text = await res.body.text();
    const requestId = header(res.headers, "x-request-id");
    const json = parseJson(text);
    if (res.statusCode >= 400) {
      throw apiErrorFromResponse(call, res.statusCode, res.headers, json, text, requestId);
    }
    if (json === INVALID_JSON) {
      throw new OtcApiError({
        service: call.service,
        operation: call.operation,
        status: res.statusCode,
        apiCode: "MALFORMED_RESPONSE",
        message: `response body is not valid JSON (${text.length} bytes${text.length ? `, ends with ${JSON.stringify(text.slice(-20))}` : ""})`,
        requestId,
        retryable: true,
      });
    }
    return { status: res.statusCode, headers: res.headers, json, requestId };
  }

  private log(
    req: ApiRequest,
    call: CallContext,
    e: { attempt: number; status: number; started: number; requestId?: string; error?: string; retryInMs?: number },
  ): void {
    call.onAttempt?.({ status: e.status, apiCode: e.error, retryInMs: e.retryInMs });
    this.opts.logger?.({
      service: call.service,
      operation: call.operation,
      method: req.method,
      path: req.url.pathname + req.url.search,
      attempt: e.attempt,
      status: e.status,
      durationMs: Date.now() - e.started,
      requestId: e.requestId,
      error: e.error,
      retryInMs: e.retryInMs,
    });
  }
}

const INVALID_JSON = Symbol("invalid-json");

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return INVALID_JSON;
  }
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** `Retry-After` as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * Reads the error body shapes the clouds use: APIGW/DDS/DRS `{error_code, error_msg}`, OTC DDM
 * `{errCode, externalMessage}`, Keystone `{error: {code, message}}`.
 */
export function readErrorBody(json: unknown): { code?: string; message?: string; requestId?: string } {
  if (!json || typeof json !== "object") return {};
  const o = json as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : undefined);
  if (o.error && typeof o.error === "object") {
    const e = o.error as Record<string, unknown>;
    return { code: str(e.error_code) ?? str(e.code), message: str(e.message) ?? str(e.title) };
  }
  return {
    code: str(o.error_code) ?? str(o.errCode) ?? str(o.code),
    message: str(o.error_msg) ?? str(o.externalMessage) ?? str(o.message),
    requestId: str(o.request_id),
  };
}

function apiErrorFromResponse(
  call: CallContext,
  status: number,
  headers: Record<string, string | string[] | undefined>,
  json: unknown,
  text: string,
  requestId: string | undefined,
): OtcApiError {
  const body = readErrorBody(json === INVALID_JSON ? undefined : json);
  return apiError({
    service: call.service,
    operation: call.operation,
    status,
    apiCode: body.code ?? `HTTP_${status}`,
    message: body.message ?? (text ? text.slice(0, 200) : "no error body"),
    requestId: requestId ?? body.requestId,
    retryable: RETRYABLE_STATUS.has(status),
    retryAfterSeconds: status === 429 || status === 503 ? parseRetryAfter(header(headers, "retry-after")) : undefined,
  });
}

/** DOMException from AbortSignal.timeout; not always `instanceof Error` across realms. */
function isTimeout(reason: unknown): boolean {
  return typeof reason === "object" && reason !== null && (reason as { name?: unknown }).name === "TimeoutError";
}

/** Maps undici/network failures to a retryable OtcApiError naming the fault. */
function transportError(call: CallContext, e: unknown): OtcApiError {
  const err = e as { name?: string; code?: unknown; message?: string; cause?: { code?: string; message?: string } };
  const code = typeof err.code === "string" ? err.code : err.cause?.code;
  const timedOut = isTimeout(e) || err.name === "AbortError" || /TIMEOUT/.test(code ?? "");
  return new OtcApiError({
    service: call.service,
    operation: call.operation,
    status: 0,
    apiCode: timedOut ? "TIMEOUT" : "NETWORK",
    message: timedOut
      ? "no complete response within the attempt timeout"
      : `${code ? `${code}: ` : ""}${err.cause?.message ?? err.message ?? String(e)}`,
    retryable: true,
  });
}

export interface PoolOptions {
  /** Connections per origin; pagination fans out up to this many requests at once. */
  connections: number;
  ca?: string | Buffer;
  rejectUnauthorized?: boolean;
}

/** A keep-alive connection pool shared by every call of one client. */
export function createDispatcher(opts: PoolOptions): Agent {
  return new Agent({
    connections: opts.connections,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 120_000,
    connect: { ca: opts.ca, rejectUnauthorized: opts.rejectUnauthorized ?? true },
  });
}
