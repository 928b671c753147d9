import type { Agent as UndiciAgent } from "undici";

/**
 * undici's connection pool alone: `require("undici")` loads all of undici (fetch, WebSocket, caches,
 * mocks: ~110 modules, ~9 MB of a listing process's memory) for the one class a client uses. The
 * path is undici's own file (the package declares no `exports`, so it resolves; the version is
 * pinned), typed as the public class it is.
 */
const Agent = require("undici/lib/dispatcher/agent") as typeof UndiciAgent;

export interface PoolOptions {
  /** Connections per origin; pagination fans out up to this many requests at once. */
  connections: number;
  ca?: string | Buffer;
  rejectUnauthorized?: boolean;
}

/** A keep-alive connection pool shared by every call of one client. */
export function createDispatcher(opts: PoolOptions): UndiciAgent {
  return new Agent({
    connections: opts.connections,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 120_000,
    connect: { ca: opts.ca, rejectUnauthorized: opts.rejectUnauthorized ?? true },
  });
}
