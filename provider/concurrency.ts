/**
 * How many pages of one listing may be in flight: a fixed number when the caller chose one, else an
 * AIMD window that grows while pages succeed and halves when the server signals overload.
 */

/** Most pages in flight per listing, adaptive or chosen; the connection pool allows as many. */
export const MAX_CONCURRENCY = 64;

/** Where the adaptive window starts and how far it may grow. */
export interface AdaptiveLimits {
  /** Pages in flight at first: read ahead while the listing's size is unknown (DDS sends no total). */
  initial: number;
  /**
   * Pages in flight at first once the first page has given the total: the pages left, up to this.
   * Larger than `initial` because the total bounds what is read (a short page still stops early).
   */
  withTotal?: number;
  max: number;
}

/**
 * The default window: 8 pages after the first; once the first page's total is proved by the next 8
 * (full pages, every job new, the total unchanged), opened to the pages left, up to 32. Doubling
 * per round trip while pages succeed, up to 64 in flight (the most any listing sends at once,
 * retries included; the connection pool has room for it); halved once per round trip on 429,
 * `APIGW.0308` or 5xx, with new pages and retries held for a `Retry-After`.
 */
export const DEFAULT_ADAPTIVE: Required<AdaptiveLimits> = { initial: 8, withTotal: 32, max: 64 };

/** What one attempt of a page said about the server's load. */
export interface AttemptSignal {
  status: number;
  apiCode?: string;
  /** The wait before the retry, when the server set it with `Retry-After` (or the backoff chose it). */
  retryInMs?: number;
}

/** 429, the gateway's throttling code, and 5xx mean "slow down"; anything else is not about load. */
export function isOverload(a: AttemptSignal): boolean {
  return a.status === 429 || a.apiCode === "APIGW.0308" || (a.status >= 500 && a.status <= 599);
}

export interface ConcurrencyLimit {
  /** Pages allowed in flight now (at least 1). */
  readonly limit: number;
  /** Largest `limit` reached so far. */
  readonly peak: number;
  /** Times the window was cut. */
  readonly decreases: number;
  /** The first page gave the total: `pagesLeft` pages remain (adaptive: may start wider). */
  knowTotal(pagesLeft: number): void;
  /** Milliseconds before a new page may start (a `Retry-After` being honoured); 0 when none. */
  holdMs(now: number): number;
  /** A page starts; the ticket orders it against later decreases. */
  start(): number;
  /** The page ended; `clean` when none of its attempts signalled overload. */
  finish(ticket: number, clean: boolean): void;
  /** One attempt of the page signalled overload; `retryAfterMs` when the server asked for a pause. */
  overload(ticket: number, retryAfterMs?: number): void;
}

/** Exactly `n` pages in flight; a `Retry-After` still pauses new pages. */
export function fixedLimit(n: number): ConcurrencyLimit {
  const hold = retryAfterHold();
  return {
    limit: n,
    peak: n,
    decreases: 0,
    knowTotal: () => undefined,
    holdMs: hold.remaining,
    start: counter(),
    finish: () => undefined,
    overload: (_ticket, retryAfterMs) => hold.extend(retryAfterMs),
  };
}

/**
 * Additive increase, multiplicative decrease, as TCP does: in slow start each clean page adds one
 * (the window doubles per round trip) until the first overload; after that each clean page adds
 * 1/window (one per round trip). An overload halves the window once per round trip: signals from
 * pages started before the last cut describe the old window and are ignored.
 */
export function adaptiveLimit(limits: AdaptiveLimits = DEFAULT_ADAPTIVE): ConcurrencyLimit {
  const max = Math.max(1, Math.min(MAX_CONCURRENCY, limits.max));
  let window = Math.max(1, Math.min(max, limits.initial));
  let slowStart = true;
  let lastCut = -1;
  const hold = retryAfterHold();
  const next = counter();
  const state = {
    get limit() {
      return Math.max(1, Math.floor(window));
    },
    peak: Math.floor(window),
    decreases: 0,
    knowTotal(pagesLeft: number): void {
      // Only before anything has changed the window: a cut or growth already says more.
      if (state.decreases > 0 || limits.withTotal === undefined) return;
      window = Math.max(window, Math.min(max, limits.withTotal, pagesLeft));
      state.peak = Math.max(state.peak, Math.floor(window));
    },
    holdMs: hold.remaining,
    start: (): number => next(),
    finish(ticket: number, clean: boolean): void {
      if (!clean || ticket < lastCut) return;
      window = Math.min(max, window + (slowStart ? 1 : 1 / window));
      state.peak = Math.max(state.peak, Math.floor(window));
    },
    overload(ticket: number, retryAfterMs?: number): void {
      hold.extend(retryAfterMs);
      if (ticket < lastCut) return;
      window = Math.max(1, window / 2);
      slowStart = false;
      lastCut = next.peek();
      state.decreases++;
    },
  };
  return state;
}

function counter(): (() => number) & { peek(): number } {
  let n = 0;
  const take = (() => n++) as (() => number) & { peek(): number };
  take.peek = () => n;
  return take;
}

/** The latest instant a server asked us to wait until. */
function retryAfterHold(): { remaining(now: number): number; extend(ms?: number): void } {
  let until = 0;
  return {
    remaining: (now) => Math.max(0, until - now),
    extend: (ms) => {
      if (ms !== undefined && ms > 0) until = Math.max(until, Date.now() + ms);
    },
  };
}
