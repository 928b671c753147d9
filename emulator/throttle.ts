/**
 * The API gateway's request-rate limit: a token bucket per project, refilled at `requestsPerSecond`
 * and holding at most `burst` requests. A request that finds it empty is answered 429 APIGW.0308,
 * as the gateway does. Time is the wall clock, not the emulator's (a manual clock holds still).
 */
import { performance } from "node:perf_hooks";
import { throttleConfigSchema } from "./throttleSchema";

export interface ThrottleConfig {
  /** Sustained requests per second per project. */
  requestsPerSecond: number;
  /** Requests admitted at once after a pause; default one second's worth (at least 1). */
  burst?: number;
  /** Send `Retry-After` (whole seconds until a request would pass) with the 429; default true. */
  retryAfter?: boolean;
}


/** Validates a config; throws a TypeError naming the bad field. */
export function parseThrottleConfig(input: unknown): ThrottleConfig {
  const result = throttleConfigSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join(".") : "throttle";
    throw new TypeError(`invalid throttle config at ${where}: ${issue?.message ?? "invalid"}`);
  }
  return result.data;
}

interface Bucket {
  tokens: number;
  at: number;
}

export type ThrottleVerdict = { admitted: true } | { admitted: false; retryAfterSeconds?: number };

const ADMITTED: ThrottleVerdict = { admitted: true };

export class Throttle {
  private config?: ThrottleConfig;
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly clock: () => number = () => performance.now()) {}

  /** Replaces the limit (validated first) and refills every bucket; `undefined` lifts it. */
  set(config: ThrottleConfig | undefined): void {
    this.config = config === undefined ? undefined : parseThrottleConfig(config);
    this.buckets.clear();
  }

  get(): ThrottleConfig | undefined {
    return this.config ? { ...this.config } : undefined;
  }

  /** Takes one request from `project`'s bucket. */
  take(project: string): ThrottleVerdict {
    const c = this.config;
    if (!c) return ADMITTED;
    const burst = c.burst ?? Math.max(1, Math.ceil(c.requestsPerSecond));
    const now = this.clock();
    let bucket = this.buckets.get(project);
    if (!bucket) this.buckets.set(project, (bucket = { tokens: burst, at: now }));
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * c.requestsPerSecond);
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return ADMITTED;
    }
    if (c.retryAfter === false) return { admitted: false };
    return { admitted: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / c.requestsPerSecond)) };
  }
}
