import type { Dispatcher } from "undici";
import { AbortedError, DeadlineExceededError, OtcApiError, ResponseTooLargeError } from "../errors";
import { attemptSignal, type CallContext, DeadlineReached, sleep } from "./call";
import { exchange } from "./exchange";
import { apiErrorFromResponse, header, isLocalRequestError, localRequestError, serverText, transportError } from "./responseErrors";
import { backoffDelay, type RetryPolicy } from "./retry";
import type { ApiRequest, ApiResponse, Authenticator, OutgoingRequest } from "./types";
import type { ApiName } from "../errors";

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

/** Far above any real page (a 128-job DDM page is ~100 kB), far below what would hurt the process. */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

export interface TransportOptions {
  auth: Authenticator;
  dispatcher: Dispatcher;
  /** Time allowed for one attempt, connect to last body byte. */
  attemptTimeoutMs: number;
  retry: RetryPolicy;
  /** Largest response body read; a larger one ends the call with `ResponseTooLargeError`. */
  maxResponseBytes?: number;
  logger?: RequestLogger;
  userAgent: string;
  /** Injectable for tests: [0, 1). */
  random?: () => number;
}

/** Headers whose values are credentials: redacted from any server text of the attempt. */
const CREDENTIAL_HEADERS = ["x-auth-token", "x-security-token"];

/**
 * Sends API requests with per-attempt timeouts, capped full-jitter retries that honour
 * `Retry-After`, one credential refresh on 401, and a deadline per call. All retry state lives in
 * the call, never in the transport, so one slow call cannot spend another's budget.
 */
export class Transport {
  private readonly random: () => number;
  private readonly maxResponseBytes: number;

  constructor(private readonly opts: TransportOptions) {
    this.random = opts.random ?? Math.random;
    this.maxResponseBytes = opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
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
        if (!(e instanceof OtcApiError)) {
          this.throwIfOver(call, lastError);
          throw e;
        }
        error = e;
      }
      lastError = error.withAttempts(attempt);
      const refresh = error.status === 401 && !credentialsRefreshed && this.opts.auth.credentialsRejected?.(error) === true;
      if (refresh) credentialsRefreshed = true;
      const mayRetry = refresh || (error.retryable && attempt <= retry.maxRetries);
      const delay = refresh ? 0 : backoffDelay(retry, attempt, this.random, error.retryAfterSeconds);
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
          await sleep(delay, call.signal);
        } catch {
          this.throwIfOver(call, lastError);
        }
      }
      if (call.beforeRetry) {
        try {
          await call.beforeRetry();
        } catch {
          this.throwIfOver(call, lastError);
          throw lastError;
        }
      }
    }
  }

  /** Throws when the call is past its deadline or aborted by its caller; returns otherwise. */
  private throwIfOver(call: CallContext, lastError?: OtcApiError): void {
    if (Date.now() >= call.deadlineAt || call.signal.reason instanceof DeadlineReached) {
      throw new DeadlineExceededError(call.service, call.operation, call.deadlineMs, lastError);
    }
    if (call.signal.aborted) throw new AbortedError(`${call.service.toUpperCase()} ${call.operation}`, call.signal.reason);
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
    const timer = attemptSignal(call.signal, attemptMs);
    try {
      await this.opts.auth.authorize(outgoing, timer.signal);
      const res = await exchange({
        dispatcher: this.opts.dispatcher,
        url: req.url,
        method: req.method,
        headers: outgoing.headers,
        body,
        signal: timer.signal,
        timeoutMs: attemptMs,
        maxBytes: this.maxResponseBytes,
        tooLarge: () => new ResponseTooLargeError(call.service, call.operation, this.maxResponseBytes),
      });
      const text = res.text;
      const requestId = header(res.headers, "x-request-id");
      const json = parseJson(text);
      if (res.status >= 400) {
        throw apiErrorFromResponse(call, res.status, res.headers, json === INVALID_JSON ? undefined : json, text, requestId, this.secrets(outgoing));
      }
      if (json === INVALID_JSON) {
        throw new OtcApiError({
          service: call.service,
          operation: call.operation,
          status: res.status,
          apiCode: "MALFORMED_RESPONSE",
          message: `response body is not valid JSON (${text.length} bytes${text.length ? `, ends with ${JSON.stringify(serverText(text.slice(-20), this.secrets(outgoing)))}` : ""})`,
          requestId,
          retryable: true,
        });
      }
      return { status: res.status, headers: res.headers, json, requestId };
    } catch (e) {
      if (e instanceof OtcApiError || e instanceof ResponseTooLargeError) throw e;
      if (isLocalRequestError(e)) throw localRequestError(this.opts.auth.kind, e);
      if (call.signal.aborted) throw e;
      throw transportError(call, e, timer.timedOut(), this.secrets(outgoing));
    } finally {
      timer.dispose();
    }
  }

  /** Every credential of this attempt, for redacting server text. Computed only when an error needs it. */
  private secrets(outgoing: OutgoingRequest): string[] {
    const fromHeaders = CREDENTIAL_HEADERS.map((h) => outgoing.headers[h]).filter((v): v is string => typeof v === "string");
    return [...fromHeaders, ...(this.opts.auth.secretValues?.() ?? [])];
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
