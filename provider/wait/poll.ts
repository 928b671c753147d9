/**
 * The one poll loop: `JobGate`, `otc-jobs wait` and the plugin all wait through it. It reads the
 * selection, judges each job (`judge`), and sleeps between polls with a delay that grows from
 * `minDelayMs` to `maxDelayMs` with jitter (many gates poll the same API at once). Request retries
 * are the transport's business; here a poll that fails transiently is reported and tried again.
 */
import type { Client } from "../client";
import {
  AbortedError,
  DeadlineExceededError,
  JobNotFoundError,
  JobsFailedError,
  OtcApiError,
  WaitTimeoutError,
} from "../errors";
import { linkedSignal, sleep as sleepFor } from "../http/call";
import { type JobSummary, summarize } from "../jobs";
import type { JobRecord } from "../records";
import { formatDuration } from "../time";
import { checkWaitOptions, WAIT_DEFAULTS } from "./defaults";
import { type JobSelection, readSelection } from "./select";
import { hintsFor, judge, type Verdict, type WaitTarget } from "./target";

export interface WaitOptions {
  /** Give up (WaitTimeoutError) after this long. */
  maxWaitMs?: number;
  /** First pause between polls; grows ×1.5 per poll up to `maxDelayMs`. */
  minDelayMs?: number;
  /** Longest pause between polls (the "poll interval" of the CLI and the gate). At least 1 s. */
  maxDelayMs?: number;
  /** How long an id may stay unseen (never seen, or gone after being seen) before JobNotFoundError. */
  graceMs?: number;
  signal?: AbortSignal;
  /** Called after every poll, and after a poll that failed transiently (with `error`). */
  onPoll?: (state: PollState) => void;
  /** Injectable for tests: [0, 1). */
  random?: () => number;
}

export interface PollState {
  poll: number;
  elapsedMs: number;
  /** Every selected job as last seen. */
  jobs: JobRecord[];
  verdicts: ReadonlyMap<string, Verdict>;
  pending: JobRecord[];
  /** Ids (or a filter's shortfall) not seen at the last poll. */
  missing: string[];
  /** Set when this poll failed transiently; the loop tries again. */
  error?: Error;
}

export interface WaitOutcome {
  jobs: JobRecord[];
  summary: JobSummary;
  polls: number;
  elapsedMs: number;
}

/** Errors a later poll may not see again: the API is busy or slow, or a call ran out of its deadline. */
export function isTransient(e: unknown): boolean {
  return (e instanceof OtcApiError && e.retryable) || e instanceof DeadlineExceededError;
}

class WaitExpired extends Error {}

/** The pause before poll `n + 1`: ×1.5 per poll from min to max, then ±20 % jitter, never below min. */
export function pollDelay(n: number, minDelayMs: number, maxDelayMs: number, random: () => number): number {
  const ceiling = Math.min(maxDelayMs, minDelayMs * 1.5 ** (n - 1));
  return Math.max(minDelayMs, Math.round(ceiling * (0.8 + 0.4 * random())));
}

/**
 * Polls the selected jobs until all are done, one failed (JobsFailedError), an id stayed unseen past
 * the grace (JobNotFoundError), or `maxWaitMs` passed (WaitTimeoutError, with hints for targets that
 * waiting cannot reach). The time limit is a timer the loop holds: it also ends a poll in flight.
 */
export async function waitForJobs(client: Client, sel: JobSelection, target: WaitTarget, options: WaitOptions = {}): Promise<WaitOutcome> {
  const o = { ...WAIT_DEFAULTS, ...options };
  const maxDelayMs = o.maxDelayMs;
  const minDelayMs = Math.min(options.minDelayMs ?? WAIT_DEFAULTS.minDelayMs, maxDelayMs);
  checkWaitOptions({ maxWaitMs: o.maxWaitMs, minDelayMs, maxDelayMs, graceMs: o.graceMs });
  const random = o.random ?? Math.random;
  const started = Date.now();
  const link = linkedSignal(options.signal);
  const expiry = setTimeout(() => link.abort(new WaitExpired()), o.maxWaitMs);
  const byId = new Map<string, JobRecord>();
  const verdicts = new Map<string, Verdict>();
  const unseenSince = new Map<string, number>();
  let missing: string[] = [];
  const pendingJobs = () => [...byId.values()].filter((j) => verdicts.get(j.id) === "waiting");
  const expired = (): never => {
    const pending = pendingJobs();
    throw new WaitTimeoutError(o.maxWaitMs, pending, missing, hintsFor(pending, target));
  };
  try {
    for (let poll = 1; ; poll++) {
      // With ids, jobs already done need no further reads.
      const ids = sel.ids?.filter((id) => verdicts.get(id) !== "done");
      let error: Error | undefined;
      try {
        const read = await readSelection(client, ids ? { ...sel, ids } : sel, link.signal);
        if (!sel.ids) {
          byId.clear();
          verdicts.clear();
        }
        for (const job of read.jobs) {
          byId.set(job.id, job);
          verdicts.set(job.id, judge(job, target));
          unseenSince.delete(job.id);
        }
        missing = read.missing;
        for (const id of sel.ids ? missing : []) {
          // Seen before and gone now: not "still running" but unseen, under the same grace.
          if (byId.delete(id)) verdicts.delete(id);
          if (!unseenSince.has(id)) unseenSince.set(id, Date.now());
        }
      } catch (e) {
        if (link.signal.reason instanceof WaitExpired) expired();
        if (link.signal.aborted) throw new AbortedError("wait", link.signal.reason);
        if (!isTransient(e)) throw e;
        error = e as Error;
      }
      const jobs = [...byId.values()];
      o.onPoll?.({ poll, elapsedMs: Date.now() - started, jobs, verdicts, pending: pendingJobs(), missing, error });
      const failed = jobs.filter((j) => verdicts.get(j.id) === "failed");
      if (failed.length) throw new JobsFailedError(failed, jobs);
      const lost = [...unseenSince].filter(([, since]) => Date.now() - since >= o.graceMs).map(([id]) => id);
      if (lost.length) {
        throw new JobNotFoundError(sel.service, lost, `not found for ${formatDuration(o.graceMs)} (check the id; raise the not-found grace if new jobs appear later)`);
      }
      if (!error && !missing.length && jobs.every((j) => verdicts.get(j.id) === "done")) {
        return { jobs, summary: summarize(jobs), polls: poll, elapsedMs: Date.now() - started };
      }
      try {
        await sleepFor(pollDelay(poll, minDelayMs, maxDelayMs, random), link.signal);
      } catch {
        if (link.signal.reason instanceof WaitExpired) expired();
        throw new AbortedError("wait", link.signal.reason);
      }
    }
  } finally {
    clearTimeout(expiry);
    // Whatever ended the wait, no read of it keeps running.
    link.abort();
    link.dispose();
  }
}
