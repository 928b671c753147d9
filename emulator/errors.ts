/** Replies and the error bodies of each layer: API gateway (APIGW), DDM, DDS, DRS, IAM, admin. */

export interface HttpReply {
  status: number;
  body: unknown;
  /** The body already serialized (list pages built from cached items); sent instead of `body`. */
  json?: string;
  headers?: Record<string, string>;
}

/**
 * A 200 reply whose body is `fields` in their order, with `fields[itemsKey]` (a placeholder) replaced
 * by an array of already-serialized items.
 */
export function itemsReply(fields: Record<string, unknown>, itemsKey: string, items: readonly string[]): HttpReply {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    parts.push(`${JSON.stringify(key)}:${key === itemsKey ? `[${items.join(",")}]` : JSON.stringify(value)}`);
  }
  return { status: 200, body: undefined, json: `{${parts.join(",")}}` };
}

/** Thrown by handlers; the server sends `reply` as is. */
export class ApiError extends Error {
  constructor(readonly reply: HttpReply) {
    super(`HTTP ${reply.status}: ${JSON.stringify(reply.body)}`);
    this.name = "ApiError";
  }
}

export function fail(reply: HttpReply): never {
  throw new ApiError(reply);
}

/** APIGW body: `{"error_code":"APIGW.0301","error_msg":"...","request_id":"..."}`. */
export function apigw(status: number, code: string, msg: string, requestId: string, headers?: Record<string, string>): HttpReply {
  return { status, body: { error_code: code, error_msg: msg, request_id: requestId }, ...(headers ? { headers } : {}) };
}

export const gateway = {
  notFound: (rid: string): HttpReply =>
    apigw(404, "APIGW.0101", "The API does not exist or has not been published in the environment", rid),
  methodNotAllowed: (rid: string, method: string, allowed: string[]): HttpReply =>
    apigw(405, "APIGW.0101", `The API does not exist for method ${method}; allowed: ${allowed.join(", ")}`, rid, {
      Allow: allowed.join(", "),
    }),
  badToken: (rid: string, detail = "decrypt token fail"): HttpReply =>
    apigw(401, "APIGW.0301", `Incorrect IAM authentication information: ${detail}`, rid),
  tokenExpired: (rid: string): HttpReply => apigw(401, "APIGW.0307", "The token must be updated", rid),
  throttled: (rid: string, retryAfterSeconds?: number): HttpReply =>
    apigw(
      429,
      "APIGW.0308",
      "The throttling threshold has been reached: policy user over ratelimit,limit:200,time:5 minute",
      rid,
      retryAfterSeconds === undefined ? undefined : { "Retry-After": String(retryAfterSeconds) },
    ),
  upstream: (rid: string, status: number): HttpReply =>
    apigw(status, "APIGW.0201", UPSTREAM_MESSAGES[status] ?? `Request error (HTTP ${status})`, rid),
  payloadTooLarge: (rid: string): HttpReply => apigw(413, "APIGW.0201", "Request entity too large", rid),
};

const UPSTREAM_MESSAGES: Record<number, string> = {
  500: "Internal server error",
  502: "Backend unavailable",
  503: "Service temporarily unavailable",
  504: "Backend timeout",
};

export type DdmErrorShape = "error_code" | "errCode";

/** DDM documents every error code as HTTP 400. The body shape is switchable (HW v3 vs OTC doc). */
export function ddmError(shape: DdmErrorShape, code: string, msg: string, status = 400): HttpReply {
  return { status, body: shape === "errCode" ? { errCode: code, externalMessage: msg } : { error_code: code, error_msg: msg } };
}

export function ddsError(code: string, msg: string, status = 400): HttpReply {
  return { status, body: { error_code: code, error_msg: msg } };
}

export function drsError(code: string, msg: string, status = 400): HttpReply {
  return { status, body: { error_code: code, error_msg: msg } };
}

const IAM_TITLES: Record<number, string> = { 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found" };

/** Keystone-style IAM body: `{"error":{"code":401,"title":"Unauthorized","message":"...","error_code":"IAM.0062"}}`. */
export function iamError(status: number, errorCode: string, message: string): HttpReply {
  return { status, body: { error: { code: status, title: IAM_TITLES[status] ?? "Error", message, error_code: errorCode } } };
}

export function adminError(status: number, msg: string): HttpReply {
  return { status, body: { error_code: `ADMIN.${status}`, error_msg: msg } };
}
