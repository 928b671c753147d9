import type { Authenticator } from "./types";

/** For requests that carry their credentials in the body (IAM token requests). */
export const noAuth: Authenticator = { kind: "none", authorize: async () => undefined };
