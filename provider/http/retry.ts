/** When a failed attempt is tried again, and after how long. Request retries only: polling is `wait/`. */
export interface RetryPolicy {
  /** Retries after the first attempt; 0 disables retrying. */
  maxRetries: number;
  /** First backoff ceiling; doubles each retry (full jitter picks a delay below it). */
  baseDelayMs: number;
  /** Largest backoff ceiling. A server's `Retry-After` may ask for longer and is honoured. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxRetries: 5, baseDelayMs: 200, maxDelayMs: 15_000 };

/** Throttling (429 `APIGW.0308`) and the gateway's and backends' passing faults. */
export const RETRYABLE_STATUS: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/** Full jitter below an exponentially growing ceiling; a server's Retry-After wins. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number, retryAfterSeconds?: number): number {
  if (retryAfterSeconds !== undefined) return retryAfterSeconds * 1000;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/** `Retry-After` as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}
