/** Which cloud API a call went to. IAM is listed because token requests can fail too. */
export type ServiceName = "ddm" | "dds" | "drs";
export type ApiName = ServiceName | "iam";

/** Base class so callers can catch everything this package throws with one `instanceof`. */
export class OtcJobsError extends Error {
  override name = "OtcJobsError";
}

/**
 * An argument broke a rule before any request was sent. `argument` is the name the caller used
 * (`startTime`, `limit`, `dbUseType`), `rule` a short machine-readable tag.
 */
export class InvalidArgumentError extends OtcJobsError {
  override name = "InvalidArgumentError";
  constructor(
    readonly argument: string,
    readonly rule: string,
    message: string,
  ) {
    super(`${argument}: ${message}`);
  }
}

/** Credentials, endpoints or project are missing or contradictory. */
export class ConfigError extends OtcJobsError {
  override name = "ConfigError";
}

export interface OtcApiErrorFields {
  service: ApiName;
  operation: string;
  /** HTTP status; 0 when no response arrived (network error, timeout). */
  status: number;
  /** The cloud's error code (`APIGW.0308`, `DBS.280439`, `DRS.M00210`), or a local tag for transport faults. */
  code: string;
  message: string;
  requestId?: string;
  retryable: boolean;
  /** Seconds the server asked us to wait (429 Retry-After). */
  retryAfterSeconds?: number;
  /** How many attempts were made before giving up. */
  attempts?: number;
}

/** A call reached (or tried to reach) the cloud and failed. Never carries request headers or bodies. */
export class OtcApiError extends OtcJobsError {
  override name = "OtcApiError";
  readonly service: ApiName;
  readonly operation: string;
  readonly status: number;
  readonly code: string;
  readonly requestId?: string;
  readonly retryable: boolean;
  readonly retryAfterSeconds?: number;
  readonly attempts: number;
  readonly apiMessage: string;

  constructor(f: OtcApiErrorFields) {
    const where = `${f.service.toUpperCase()} ${f.operation}`;
    const status = f.status ? `HTTP ${f.status} ` : "";
    const req = f.requestId ? ` (request id ${f.requestId})` : "";
    const tries = f.attempts && f.attempts > 1 ? ` after ${f.attempts} attempts` : "";
    super(`${where} failed${tries}: ${status}${f.code}: ${f.message}${req}`);
    this.service = f.service;
    this.operation = f.operation;
    this.status = f.status;
    this.code = f.code;
    this.requestId = f.requestId;
    this.retryable = f.retryable;
    this.retryAfterSeconds = f.retryAfterSeconds;
    this.attempts = f.attempts ?? 1;
    this.apiMessage = f.message;
  }

  withAttempts(attempts: number): OtcApiError {
    return new OtcApiError({ ...this.fields(), attempts });
  }

  fields(): OtcApiErrorFields {
    return {
      service: this.service,
      operation: this.operation,
      status: this.status,
      code: this.code,
      message: this.apiMessage,
      requestId: this.requestId,
      retryable: this.retryable,
      retryAfterSeconds: this.retryAfterSeconds,
      attempts: this.attempts,
    };
  }
}

/** A response arrived but its shape broke the documented contract (a required field is missing). */
export class ResponseShapeError extends OtcJobsError {
  override name = "ResponseShapeError";
  constructor(
    readonly service: ApiName,
    readonly operation: string,
    readonly path: string,
    detail: string,
  ) {
    super(`${service.toUpperCase()} ${operation}: unexpected response at ${path || "<root>"}: ${detail}`);
  }
}

/** The whole call ran out of time (`deadlineMs`), across all its pages and retries. */
export class DeadlineExceededError extends OtcJobsError {
  override name = "DeadlineExceededError";
  constructor(
    readonly service: ApiName,
    readonly operation: string,
    readonly deadlineMs: number,
    readonly lastError?: Error,
  ) {
    super(
      `${service.toUpperCase()} ${operation}: deadline of ${deadlineMs} ms exceeded` +
        (lastError ? `; last error: ${lastError.message}` : ""),
    );
  }
}
