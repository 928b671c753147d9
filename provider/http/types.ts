/**
 * The contract between the transport and whatever signs its requests. It lives below `auth/` so that
 * the transport never imports an authenticator, and authenticators build on the transport.
 */
import type { OtcApiError } from "../errors";

/** A request about to be sent; authenticators add headers to it (a signature covers them). */
export interface OutgoingRequest {
  method: "GET" | "POST";
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

/**
 * Adds credentials to each attempt of a request. Implementations keep their secrets in closures
 * so that neither `JSON.stringify` nor `util.inspect` of a client can reveal them.
 */
export interface Authenticator {
  readonly kind: "token" | "password" | "aksk" | "none";
  authorize(request: OutgoingRequest, signal?: AbortSignal): Promise<void>;
  /**
   * Called when the cloud rejected a request's credentials. Returns true when a fresh attempt may
   * succeed (a cached token was dropped), false when retrying cannot help.
   */
  credentialsRejected?(error: OtcApiError): boolean;
  /**
   * The secret values this authenticator holds now (token, password, secret key, security token),
   * so that text from a server that echoes them can be redacted before anyone sees it.
   */
  secretValues?(): string[];
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
