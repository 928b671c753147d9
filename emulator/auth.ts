/**
 * Authentication of service calls. `authenticate` asks each authenticator in turn; the first that
 * recognises the request's credentials decides. An authenticator returns `undefined` when the request
 * carries no credentials of its kind, so schemes sit side by side: `X-Auth-Token` here, AK/SK
 * "SDK-HMAC-SHA256" signatures in `aksk.ts`. The defaults (`defaultAuthenticators` in `options.ts`) are `[tokenAuthenticator, akskAuthenticator]`.
 */
import type { IncomingHttpHeaders } from "node:http";
import { gateway, type HttpReply } from "./errors";
import type { ServiceKey } from "./names";
import type { TokenStore } from "./tokens";

/** An AK/SK pair the gateway knows (verified in `aksk.ts`). */
export interface EmulatorAccessKey {
  accessKey: string;
  secretKey: string;
  /** Makes this a temporary key: requests must send (and sign) this as `X-Security-Token`. */
  securityToken?: string;
  /** Shown as the principal's user. */
  userName?: string;
}

export interface AuthRequest {
  service: ServiceKey;
  method: string;
  /** The request target exactly as received by the listener, path + query (gateway prefix included when it came through the gateway). What a signer signed. */
  url: string;
  /** Path + query as the service sees it (gateway prefix removed). */
  servicePath: string;
  headers: IncomingHttpHeaders;
  /** The full request body (read before authentication so signatures can hash it). */
  body: Buffer;
  requestId: string;
}

export interface AuthEnv {
  /** Emulator time, epoch ms. */
  now: number;
  projectId: string;
  /** Whether an id is one of the account's service projects (AK/SK may name any in X-Project-Id). */
  accountProject?: (projectId: string) => boolean;
  /** The token given by the `token` option; it never expires. */
  staticToken: string;
  tokens: TokenStore;
  /** The AK/SK pairs the gateway knows (the `accessKeys` option). */
  accessKeys: readonly EmulatorAccessKey[];
}

export interface Principal {
  /** "token", or e.g. "aksk" */
  method: string;
  /** Unset for a domain-scoped (global) token. */
  projectId?: string;
  user?: string;
}

export type AuthResult = { ok: true; principal: Principal } | { ok: false; reply: HttpReply };

export type Authenticator = (req: AuthRequest, env: AuthEnv) => AuthResult | undefined;

function header(req: AuthRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** `X-Auth-Token`: the static token or a token issued by the emulated IAM and not yet expired. */
export const tokenAuthenticator: Authenticator = (req, env) => {
  const token = header(req, "x-auth-token");
  if (token === undefined) return undefined;
  if (token === env.staticToken) return { ok: true, principal: { method: "token", projectId: env.projectId } };
  const issued = env.tokens.lookup(token);
  if (!issued) return { ok: false, reply: gateway.badToken(req.requestId) };
  if (issued.expiresAt <= env.now) return { ok: false, reply: gateway.tokenExpired(req.requestId) };
  return {
    ok: true,
    principal: { method: "token", user: issued.user, ...(issued.projectId ? { projectId: issued.projectId } : {}) },
  };
};


/** Runs the authenticators; no credentials at all is 401 APIGW.0301. */
export function authenticate(authenticators: readonly Authenticator[], req: AuthRequest, env: AuthEnv): AuthResult {
  for (const authenticator of authenticators) {
    const result = authenticator(req, env);
    if (result) return result;
  }
  return { ok: false, reply: gateway.badToken(req.requestId) };
}
