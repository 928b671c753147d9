import { Agent } from "undici";

export interface PoolOptions {
  /** Connections per origin; pagination fans out up to this many requests at once. */
  connections: number;
  ca?: string | Buffer;
  rejectUnauthorized?: boolean;
}

/** A keep-alive connection pool shared by every call of one client. */
export function createDispatcher(opts: PoolOptions): Agent {
  return new Agent({
    connections: opts.connections,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 120_000,
    connect: { ca: opts.ca, rejectUnauthorized: opts.rejectUnauthorized ?? true },
  });
}
