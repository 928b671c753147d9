/**
 * The one error vocabulary of the package. Every error it throws extends `OtcJobsError` and carries a
 * stable `code` (as undici's `UND_ERR_*` and got's `ERR_*`), so callers branch on `code`, never on
 * `message`; what lay underneath travels in `cause`, the human detail in `detail`.
 *
 * This module imports only the dependency-free `text`: the CLI loads it on every start.
 */
import { stripControl } from "./text";

/** Which cloud API a call went to. IAM is listed because token requests can fail too. */
export type ServiceName = "ddm" | "dds" | "drs";
export type ApiName = ServiceName | "iam";

export const ERROR_CODES = [
  /** An argument broke a rule; nothing was sent. */
  "OTCJOBS_INVALID_ARGUMENT",
  /** Credentials, endpoints or project are missing or contradictory; nothing was sent. */
  "OTCJOBS_CONFIG",
  /** The cloud rejected the credentials (invalid, expired, or not allowed). */
  "OTCJOBS_AUTH",
  /** A call failed: an HTTP error, a network fault, a timeout of one attempt. */
  "OTCJOBS_API",
  /** A reply broke the contract the client relies on. */
  "OTCJOBS_RESPONSE_SHAPE",
  /** A reply was larger than `maxResponseBytes`. */
  "OTCJOBS_RESPONSE_TOO_LARGE",
  /** A listing would have sent more requests than the server's own totals justify. */
  "OTCJOBS_TOO_MANY_REQUESTS",
  /** A call ran out of its deadline, across pages and retries. */
  "OTCJOBS_DEADLINE",
  /** The caller aborted. */
  "OTCJOBS_ABORTED",
  /** A waited-for job failed or was canceled. */
  "OTCJOBS_JOBS_FAILED",
  /** A wait ran out of time before every job reached its target. */
  "OTCJOBS_WAIT_TIMEOUT",
  /** A job id the cloud does not know (after the grace period, when waiting). */
  "OTCJOBS_JOB_NOT_FOUND",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface OtcJobsErrorOptions {
  cause?: unknown;
}

/** Base class so callers can catch everything this package throws with one `instanceof`. */
export abstract class OtcJobsError extends Error {
  abstract readonly code: ErrorCode;
  override name = "OtcJobsError";
  /** The message without any prefix (argument name, service and operation). */
  readonly detail: string;

  constructor(message: string, detail = message, options: OtcJobsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.detail = detail;
  }
}

/** Where a setting came from, so an error can tell the user what to edit. */
export type SettingSource =
  | { kind: "argument" }
  | { kind: "flag"; flag: string }
  | { kind: "env"; variable: string }
  | { kind: "stack"; key: string }
  | { kind: "clouds.yaml"; path: string; field: string };

/** `--limit`, `OS_PROJECT_ID`, `otcjobs:projectId`, `clouds.yaml (~/.config/openstack/clouds.yaml) auth.project_id`. */
export function describeSource(source: SettingSource): string {
  switch (source.kind) {
    case "argument":
      return "argument";
    case "flag":
      return source.flag;
    case "env":
      return `$${source.variable}`;
    case "stack":
      return source.key;
    case "clouds.yaml":
      return `${source.path}: ${source.field}`;
  }
}

/**
 * An argument broke a rule before any request was sent. `argument` is the name the caller used
 * (`startTime`, `limit`, `dbUseType`), `rule` a short machine-readable tag, `source` where the value
 * came from when it was not passed in code.
 */
export class InvalidArgumentError extends OtcJobsError {
  readonly code = "OTCJOBS_INVALID_ARGUMENT";
  override name = "InvalidArgumentError";
  constructor(
    readonly argument: string,
    readonly rule: string,
    detail: string,
    readonly source?: SettingSource,
  ) {
    const from = source && source.kind !== "argument" ? describeSource(source) : argument;
    super(`${from === argument ? argument : `${argument} (${from})`}: ${detail}`, detail);
  }

  /** The same error, told where the value came from. */
  from(source: SettingSource, argument = this.argument): InvalidArgumentError {
    return new InvalidArgumentError(argument, this.rule, this.detail, source);
  }
}

/** Credentials, endpoints or project are missing or contradictory. */
export class ConfigError extends OtcJobsError {
  readonly code = "OTCJOBS_CONFIG";
  override name = "ConfigError";
  constructor(
    message: string,
    /** The setting to fix (`projectId`, `password`), when one is to blame. */
    readonly setting?: string,
    options?: OtcJobsErrorOptions,
  ) {
    super(message, message, options);
  }
}

export interface OtcApiErrorFields {
  service: ApiName;
  operation: string;
  /** HTTP status; 0 when no response arrived (network error, timeout). */
  status: number;
  /** The cloud's error code (`APIGW.0308`, `DBS.280439`, `DRS.M00210`), or a local tag for transport faults. */
  apiCode: string;
  message: string;
  requestId?: string;
  retryable: boolean;
  /** Seconds the server asked us to wait (429 Retry-After). */
  retryAfterSeconds?: number;
  /** How many attempts were made before giving up. */
  attempts?: number;
  cause?: unknown;
}

/**
 * A call reached (or tried to reach) the cloud and failed. Never carries request headers or bodies;
 * the server's message is redacted of every credential of the call before it gets here.
 */
export class OtcApiError extends OtcJobsError {
  readonly code: "OTCJOBS_API" | "OTCJOBS_AUTH" = "OTCJOBS_API";
  override name = "OtcApiError";
  readonly service: ApiName;
  readonly operation: string;
  readonly status: number;
  readonly apiCode: string;
  readonly requestId?: string;
  readonly retryable: boolean;
  readonly retryAfterSeconds?: number;
  readonly attempts: number;

  constructor(f: OtcApiErrorFields) {
    const where = `${f.service.toUpperCase()} ${f.operation}`;
    const status = f.status ? `HTTP ${f.status} ` : "";
    const req = f.requestId ? ` (request id ${f.requestId})` : "";
    const tries = f.attempts && f.attempts > 1 ? ` after ${f.attempts} attempts` : "";
    super(`${where} failed${tries}: ${status}${f.apiCode}: ${f.message}${req}`, f.message, { cause: f.cause });
    this.service = f.service;
    this.operation = f.operation;
    this.status = f.status;
    this.apiCode = f.apiCode;
    this.requestId = f.requestId;
    this.retryable = f.retryable;
    this.retryAfterSeconds = f.retryAfterSeconds;
    this.attempts = f.attempts ?? 1;
  }

  /** The same failure, counted over `attempts` tries. Keeps the subclass. */
  withAttempts(attempts: number): OtcApiError {
    return apiError({ ...this.fields(), attempts });
  }

  fields(): OtcApiErrorFields {
    return {
      service: this.service,
      operation: this.operation,
      status: this.status,
      apiCode: this.apiCode,
      message: this.detail,
      requestId: this.requestId,
      retryable: this.retryable,
      retryAfterSeconds: this.retryAfterSeconds,
      attempts: this.attempts,
      cause: this.cause,
    };
  }
}

/**
 * The cloud refused the credentials: 401 (invalid or expired token, bad signature, wrong password)
 * or 403 (not allowed). Renew or fix the credentials; retrying will not help.
 */
export class CredentialsRejectedError extends OtcApiError {
  override readonly code = "OTCJOBS_AUTH";
  override name = "CredentialsRejectedError";
}

/** The error class for these fields: `CredentialsRejectedError` for 401 and 403. */
export function apiError(f: OtcApiErrorFields): OtcApiError {
  return f.status === 401 || f.status === 403 ? new CredentialsRejectedError(f) : new OtcApiError(f);
}

/** An error of one call: its message starts with the service and the operation (`DDM ListJobs: ...`). */
export abstract class CallError extends OtcJobsError {
  constructor(
    readonly service: ApiName,
    readonly operation: string,
    /** The message after the prefix. */
    what: string,
    detail: string,
    options?: OtcJobsErrorOptions,
  ) {
    super(`${service.toUpperCase()} ${operation}: ${what}`, detail, options);
  }
}

/** A response arrived but its shape broke the contract the client relies on. */
export class ResponseShapeError extends CallError {
  readonly code = "OTCJOBS_RESPONSE_SHAPE";
  override name = "ResponseShapeError";
  constructor(service: ApiName, operation: string, readonly path: string, detail: string) {
    super(service, operation, `unexpected response at ${path || "<root>"}: ${detail}`, detail);
  }
}

/** A response body was larger than the client accepts; it was not read to the end, and not retried. */
export class ResponseTooLargeError extends CallError {
  readonly code = "OTCJOBS_RESPONSE_TOO_LARGE";
  override name = "ResponseTooLargeError";
  constructor(service: ApiName, operation: string, readonly maxBytes: number) {
    const detail = `response larger than ${maxBytes} bytes`;
    super(service, operation, `${detail}; raise maxResponseBytes if this is expected`, detail);
  }
}

/**
 * A listing needed more requests than the totals the server reported can justify (a total that lies,
 * an `offset` that is ignored): it stopped rather than flood the server.
 */
export class TooManyRequestsError extends CallError {
  readonly code = "OTCJOBS_TOO_MANY_REQUESTS";
  override name = "TooManyRequestsError";
  constructor(service: ApiName, operation: string, readonly requests: number, detail: string) {
    super(service, operation, `stopped after ${requests} requests: ${detail}`, detail);
  }
}

/** The whole call ran out of time (`deadlineMs`), across all its pages and retries. */
export class DeadlineExceededError extends CallError {
  readonly code = "OTCJOBS_DEADLINE";
  override name = "DeadlineExceededError";
  constructor(service: ApiName, operation: string, readonly deadlineMs: number, cause?: Error) {
    const detail = `deadline of ${deadlineMs} ms exceeded`;
    super(service, operation, detail + (cause ? `; last error: ${cause.message}` : ""), detail, { cause });
  }
}

/** The caller's `AbortSignal` fired. */
export class AbortedError extends OtcJobsError {
  readonly code = "OTCJOBS_ABORTED";
  override name = "AbortedError";
  constructor(what: string, cause?: unknown) {
    super(`${what}: aborted`, "aborted", { cause });
  }
}

/** The fields of a job that an error about it names. */
export interface JobRef {
  service: ServiceName;
  id: string;
  name: string;
  status: string;
  failReason: string;
}

/** A job in a message: server text without control characters, since messages reach terminals and logs. */
function describeJob(j: JobRef): string {
  const text = `${j.service.toUpperCase()} ${j.name || "job"} ${j.id} is ${j.status || "(no status)"}${j.failReason ? ` (${j.failReason})` : ""}`;
  return stripControl(text);
}

/** Some waited-for jobs reached a failing phase. */
export class JobsFailedError<J extends JobRef = JobRef> extends OtcJobsError {
  readonly code = "OTCJOBS_JOBS_FAILED";
  override name = "JobsFailedError";
  constructor(
    readonly failed: J[],
    readonly jobs: J[],
  ) {
    const detail = failed.map(describeJob).join("; ");
    super(`${failed.length} of ${jobs.length} job(s) failed: ${detail}`, detail);
  }
}

/** The wait ran out of time before every job was done. `hint` says what waiting cannot fix. */
export class WaitTimeoutError<J extends JobRef = JobRef> extends OtcJobsError {
  readonly code = "OTCJOBS_WAIT_TIMEOUT";
  override name = "WaitTimeoutError";
  constructor(
    readonly maxWaitMs: number,
    readonly pending: J[],
    readonly missing: string[],
    readonly hints: string[] = [],
  ) {
    const parts = [...pending.map(describeJob), ...missing.map((m) => `${m} not found`)];
    const detail = parts.join("; ") + hints.map((h) => `. ${h}`).join("");
    super(`timed out after ${Math.round(maxWaitMs / 1000)} s waiting for: ${detail}`, detail);
  }
}

/** Ids the cloud does not know: never seen within the not-found grace, or gone after being seen. */
export class JobNotFoundError extends OtcJobsError {
  readonly code = "OTCJOBS_JOB_NOT_FOUND";
  override name = "JobNotFoundError";
  constructor(
    readonly service: ServiceName,
    readonly ids: string[],
    detail: string,
  ) {
    super(`${service.toUpperCase()} has no job ${ids.join(", ")}: ${detail}`, detail);
  }
}
