import { z } from "zod";
import { ConfigError, OtcApiError } from "../errors";
import type { ApiRequest, ApiResponse, CallContext } from "../http";
import { newCallContext } from "../http";
import { parseResponse } from "../validate";
import type { Authenticator, OutgoingRequest } from "../http/types";

export interface PasswordAuthOptions {
  userName: string;
  password: string;
  /** The account (domain) the user belongs to. */
  domainName: string;
  /** Scope the token to this project (by id, else by name). */
  projectId?: string;
  projectName?: string;
  /** IAM base URL (without `/v3`). */
  iamEndpoint: URL;
  /** Sends an unauthenticated IAM request with the client's retries and logging. */
  send: (req: ApiRequest, call: CallContext) => Promise<ApiResponse>;
  /** Renew this long before `expires_at` (tokens live 24 h). Default 10 minutes. */
  refreshMarginMs?: number;
  now?: () => number;
  /** Budget for one token request, retries included. */
  deadlineMs?: number;
}

const tokenBodySchema = z.object({
  token: z.object({
    expires_at: z.string(),
    project: z.object({ id: z.string(), name: z.string().nullish() }).nullish(),
  }),
});

interface CachedToken {
  value: string;
  expiresAt: number;
  projectId?: string;
}

export interface PasswordAuthenticator extends Authenticator {
  /** The scoped project's id, from the token (fetching one if needed). */
  projectId(signal?: AbortSignal): Promise<string | undefined>;
}

/**
 * IAM password authentication: `POST /v3/auth/tokens`, token from `X-Subject-Token`, cached until
 * shortly before it expires. Concurrent callers share one request in flight; a token the cloud
 * rejects (APIGW.0307 "The token must be updated") is dropped so the next attempt gets a new one.
 */
export function passwordAuth(opts: PasswordAuthOptions): PasswordAuthenticator {
  const now = opts.now ?? Date.now;
  const margin = opts.refreshMarginMs ?? 600_000;
  let cached: CachedToken | undefined;
  let inFlight: Promise<CachedToken> | undefined;

  const scope = opts.projectId
    ? { project: { id: opts.projectId } }
    : opts.projectName
      ? { project: { name: opts.projectName } }
      : undefined;
  if (!scope) throw new ConfigError("password authentication needs projectId or projectName to scope its token");

  async function fetchToken(signal?: AbortSignal): Promise<CachedToken> {
    const url = new URL(opts.iamEndpoint.href);
    url.pathname = `${opts.iamEndpoint.pathname.replace(/\/+$/, "").replace(/\/v3$/, "")}/v3/auth/tokens`;
    url.search = "nocatalog=true";
    const body = {
      auth: {
        identity: {
          methods: ["password"],
          password: { user: { name: opts.userName, password: opts.password, domain: { name: opts.domainName } } },
        },
        scope,
      },
    };
    const call = newCallContext("iam", "CreateToken", opts.deadlineMs ?? 60_000, signal);
    const res = await opts
      .send({ method: "POST", url, body, headers: { "content-type": "application/json;charset=utf8" } }, call)
      .finally(() => call.dispose());
    const header = res.headers["x-subject-token"];
    const value = Array.isArray(header) ? header[0] : header;
    if (!value) {
      throw new OtcApiError({
        service: "iam",
        operation: "CreateToken",
        status: res.status,
        apiCode: "NO_SUBJECT_TOKEN",
        message: "IAM answered without an X-Subject-Token header",
        requestId: res.requestId,
        retryable: false,
      });
    }
    const { token } = parseResponse(tokenBodySchema, res.json, "iam", "CreateToken");
    const expiresAt = Date.parse(token.expires_at);
    return { value, expiresAt: Number.isNaN(expiresAt) ? now() + 3_600_000 : expiresAt, projectId: token.project?.id };
  }

  async function current(signal?: AbortSignal): Promise<CachedToken> {
    if (cached && now() < cached.expiresAt - margin) return cached;
    if (!inFlight) {
      inFlight = fetchToken(signal).then(
        (t) => {
          cached = t;
          inFlight = undefined;
          return t;
        },
        (e: unknown) => {
          inFlight = undefined;
          throw e;
        },
      );
    }
    return signal ? untilAborted(inFlight, signal) : inFlight;
  }

  const auth: PasswordAuthenticator & { toJSON(): unknown } = {
    kind: "password",
    async authorize(request: OutgoingRequest, signal?: AbortSignal) {
      request.headers["x-auth-token"] = (await current(signal)).value;
    },
    credentialsRejected(error: OtcApiError) {
      // Also when another page of the same listing has already dropped the token: this page was
      // sent with the expired one too and deserves its one retry with the fresh token.
      if (error.status !== 401) return false;
      cached = undefined;
      return true;
    },
    secretValues: () => (cached ? [opts.password, cached.value] : [opts.password]),
    async projectId(signal?: AbortSignal) {
      return opts.projectId ?? (await current(signal)).projectId;
    },
    toJSON: () => ({ kind: "password", userName: opts.userName, domainName: opts.domainName, password: "[redacted]" }),
  };
  return auth;
}

/**
 * `p`, or the signal's reason as soon as it aborts: a caller sharing another caller's token request
 * keeps its own deadline (the request itself goes on for the others).
 */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
