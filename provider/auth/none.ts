import type { Authenticator } from "../http/types";

/** For requests that carry their credentials in the body (IAM token requests). */
export const noAuth: Authenticator = { kind: "none", authorize: async () => undefined };
