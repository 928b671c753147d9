import { setMaxListeners } from "node:events";
import type { ApiName } from "../errors";

/**
 * One logical call (a whole listing, or one lookup): its deadline and its caller's abort, on a
 * controller of its own. The deadline is a `setTimeout` this context holds, not an
 * `AbortSignal.timeout()` combined through `AbortSignal.any()`: Node 20 may garbage-collect such
 * signals before they fire, and a trickling body then never times out.
 */
export interface CallContext {
  service: ApiName;
  operation: string;
  /** Epoch ms after which no attempt starts and none continues (moves on while paused). */
  readonly deadlineAt: number;
  deadlineMs: number;
  /** Aborts at the deadline (reason: `DeadlineReached`) or when the caller's signal aborts. */
  signal: AbortSignal;
  /**
   * Stops the deadline's clock while the caller holds the call's results (a listing suspended at a
   * page its reader has not taken yet): time spent in the caller, such as a pipe to a slow reader,
   * is not the server's and must not end the listing. `resume()` restarts it with the time left.
   */
  pause(): void;
  resume(): void;
  /** Stops the deadline timer and detaches from the caller's signal. Idempotent. */
  dispose(): void;
  /** Told the outcome of every attempt (a listing's concurrency window reacts to overload). */
  onAttempt?: (attempt: { status: number; apiCode?: string; retryInMs?: number }) => void;
  /**
   * Awaited before each retry, after the backoff: a listing's window hands a throttled page a slot
   * again before it may retry. Rejects when the retry must not happen (the listing ended).
   */
  beforeRetry?: () => Promise<void>;
}

/** The abort reason of a call whose deadline passed. */
export class DeadlineReached extends Error {
  override name = "DeadlineReached";
  constructor(readonly deadlineMs: number) {
    super(`deadline of ${deadlineMs} ms`);
  }
}

/**
 * A signal of our own that aborts when `parent` does (or when `abort` is called): what
 * `AbortSignal.any([parent, own])` does, minus the garbage collection that loses it on Node 20.
 * Attempts and sleeps listen on it, as many at once as a listing's concurrency, and each removes
 * its listener when it ends: not a leak, so Node's leak warning is turned off for it.
 */
export interface LinkedSignal {
  signal: AbortSignal;
  abort(reason?: unknown): void;
  /** Detaches from the parent. Idempotent. */
  dispose(): void;
}

export function linkedSignal(parent?: AbortSignal): LinkedSignal {
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  const follow = () => controller.abort(parent?.reason);
  if (parent?.aborted) follow();
  else parent?.addEventListener("abort", follow, { once: true });
  return {
    signal: controller.signal,
    abort: (reason?: unknown) => controller.abort(reason),
    dispose: () => parent?.removeEventListener("abort", follow),
  };
}

export function newCallContext(service: ApiName, operation: string, deadlineMs: number, callerSignal?: AbortSignal): CallContext {
  const link = linkedSignal(callerSignal);
  let deadlineAt = Date.now() + deadlineMs;
  /** When the clock was paused; undefined while it runs. */
  let pausedAt: number | undefined;
  let disposed = false;
  const arm = (ms: number): NodeJS.Timeout => {
    const t = setTimeout(() => link.abort(new DeadlineReached(deadlineMs)), Math.max(0, ms));
    // The work in flight (a socket, a sleep) keeps the process alive; a finished call's timer must not.
    t.unref();
    return t;
  };
  let timer = arm(deadlineMs);
  return {
    service,
    operation,
    get deadlineAt() {
      return pausedAt === undefined ? deadlineAt : deadlineAt + (Date.now() - pausedAt);
    },
    deadlineMs,
    signal: link.signal,
    pause() {
      if (pausedAt !== undefined || disposed || link.signal.aborted) return;
      pausedAt = Date.now();
      clearTimeout(timer);
    },
    resume() {
      if (pausedAt === undefined || disposed) return;
      deadlineAt += Date.now() - pausedAt;
      pausedAt = undefined;
      timer = arm(deadlineAt - Date.now());
    },
    dispose() {
      disposed = true;
      clearTimeout(timer);
      link.dispose();
    },
  };
}

/**
 * A child signal for one attempt: aborts after `timeoutMs`, or when `parent` does. The caller must
 * call `dispose()` when the attempt ends, so no timer or listener outlives it.
 */
export function attemptSignal(parent: AbortSignal, timeoutMs: number): { signal: AbortSignal; timedOut: () => boolean; dispose: () => void } {
  const link = linkedSignal(parent);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    link.abort(new AttemptTimedOut(`no complete response within ${timeoutMs} ms`));
  }, timeoutMs);
  return {
    signal: link.signal,
    timedOut: () => timedOut,
    dispose() {
      clearTimeout(timer);
      link.dispose();
    },
  };
}

/** The abort reason of an attempt that ran out of its own time. */
export class AttemptTimedOut extends Error {
  override name = "AttemptTimedOut";
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. Holds its own timer. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
