import type { Authenticator } from "../../provider/http/types";

/** A token authenticator that counts the requests it was asked to authorize. */
export function spyAuth(token = "spy-token"): Authenticator & { calls: number } {
  const spy = {
    kind: "token" as const,
    calls: 0,
    async authorize(req: { headers: Record<string, string> }) {
      spy.calls++;
      req.headers["x-auth-token"] = token;
    },
  };
  return spy;
}
