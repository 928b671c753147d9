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
}
