import type { Authenticator, OutgoingRequest } from "../http/types";

/** A token the caller already holds (`X-Auth-Token`); nothing to refresh when it expires. */
export function tokenAuth(token: string): Authenticator {
  return {
    kind: "token",
    async authorize(request: OutgoingRequest) {
      request.headers["x-auth-token"] = token;
    },
    secretValues: () => [token],
    toJSON: () => ({ kind: "token", token: "[redacted]" }),
  } as Authenticator;
}
