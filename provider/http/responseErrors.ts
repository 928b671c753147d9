/**
 * Turns what came back (an error body, a transport fault) into the package's errors. All text taken
 * from a server passes through `serverText` first: secrets of the call redacted, control characters
 * removed, length capped, so an echoing gateway cannot leak a token or paint the terminal.
 */
import { type ApiName, apiError, ConfigError, type OtcApiError } from "../errors";
import { AttemptTimedOut, DeadlineReached } from "./call";
import { parseRetryAfter, RETRYABLE_STATUS } from "./retry";
import { stripControl } from "../text";

export const REDACTED = "[redacted]";

/** Secrets shorter than this are not searched for: "abc" would redact half of every message. */
const MIN_SECRET_LENGTH = 4;

/** Replaces each secret, and its JSON- and URL-escaped forms, with `[redacted]`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)])) {
      out = out.split(form).join(REDACTED);
    }
  }
  return out;
}

/** Server text fit to show: secrets redacted, control characters replaced by spaces, at most `max` characters. */
export function serverText(text: string, secrets: readonly string[], max = 300): string {
  const clean = stripControl(redact(text, secrets));
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
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

export interface CallRef {
  service: ApiName;
  operation: string;
}

export function apiErrorFromResponse(
  call: CallRef,
  status: number,
  headers: Record<string, string | string[] | undefined>,
  json: unknown,
  text: string,
  requestId: string | undefined,
  secrets: readonly string[],
): OtcApiError {
  const body = readErrorBody(json);
  return apiError({
    service: call.service,
    operation: call.operation,
    status,
    apiCode: serverText(body.code ?? `HTTP_${status}`, secrets, 64),
    message: serverText(body.message ?? (text ? text : "no error body"), secrets),
    requestId: requestId ?? body.requestId,
    retryable: RETRYABLE_STATUS.has(status),
    retryAfterSeconds: status === 429 || status === 503 ? parseRetryAfter(header(headers, "retry-after")) : undefined,
  });
}

export function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * undici's own argument errors (a header value with a newline or a non-Latin-1 character): nothing
 * was sent, and no retry can help, so they are configuration errors, not network faults.
 */
export function isLocalRequestError(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return code === "UND_ERR_INVALID_ARG" || code === "ERR_INVALID_CHAR" || code === "ERR_HTTP_INVALID_HEADER_VALUE";
}

export function localRequestError(authKind: string, e: unknown): ConfigError {
  return new ConfigError(
    `the ${authKind === "none" ? "request" : `${authKind} credentials`} cannot be sent in an HTTP header ` +
      "(a newline, a control or a non-Latin-1 character); check the value for stray characters",
    authKind,
    { cause: e },
  );
}

/** Maps undici/network failures and attempt timeouts to a retryable OtcApiError naming the fault. */
export function transportError(call: CallRef, e: unknown, timedOut: boolean, secrets: readonly string[]): OtcApiError {
  const err = e as { name?: string; code?: unknown; message?: string; cause?: { code?: string; message?: string } };
  const code = typeof err.code === "string" ? err.code : err.cause?.code;
  const timeout = timedOut || e instanceof AttemptTimedOut || /TIMEOUT/.test(code ?? "");
  return apiError({
    service: call.service,
    operation: call.operation,
    status: 0,
    apiCode: timeout ? "TIMEOUT" : "NETWORK",
    message: timeout
      ? "no complete response within the attempt timeout"
      : serverText(`${code ? `${code}: ` : ""}${err.cause?.message ?? err.message ?? String(e)}`, secrets),
    retryable: true,
    cause: e instanceof DeadlineReached ? undefined : e,
  });
}
