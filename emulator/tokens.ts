/** Tokens issued by the emulated IAM. Expiry is judged on the emulator clock. */
import { randomBytes } from "node:crypto";

export interface IssuedToken {
  token: string;
  user: string;
  domain: string;
  issuedAt: number;
  expiresAt: number;
  /** set for project-scoped tokens; unset for domain (global) tokens */
  projectId?: string;
}

export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();

  issue(fields: Omit<IssuedToken, "token">): IssuedToken {
    // Real tokens are long PKI-looking strings starting with "MII".
    const issued: IssuedToken = { token: `MIIE${randomBytes(120).toString("base64url")}`, ...fields };
    this.tokens.set(issued.token, issued);
    return issued;
  }

  lookup(token: string): IssuedToken | undefined {
    return this.tokens.get(token);
  }
}
