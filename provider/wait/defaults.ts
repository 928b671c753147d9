/**
 * The waiter's defaults and limits, in one place for the core, `JobGate` and `otc-jobs wait`.
 * Imports only dependency-free modules: the CLI checks its flags against these before any request.
 */
import { InvalidArgumentError } from "../errors";
import { formatDuration } from "../time";

/** Polls closer than this flood an API shared by many gates; the first poll is immediate. */
export const MIN_POLL_INTERVAL_MS = 1_000;
const MAX_POLL_INTERVAL_MS = 3_600_000;
/** Node's timers overflow past 2^31 - 1 ms (24.8 days). */
const LONGEST_WAIT_MS = 24 * 86_400_000;

export const WAIT_DEFAULTS = {
  maxWaitMs: 30 * 60_000,
  minDelayMs: MIN_POLL_INTERVAL_MS,
  maxDelayMs: 10_000,
  /** A new DDS job can take seconds to be visible; a mistyped id should not stall a deployment. */
  graceMs: 2 * 60_000,
} as const;

export interface WaitLimits {
  maxWaitMs: number;
  minDelayMs: number;
  maxDelayMs: number;
  graceMs: number;
}

/** Throws `InvalidArgumentError` naming the option (`maxDelayMs`, ...) that breaks its range. */
export function checkWaitOptions(o: WaitLimits): void {
  const rule = (argument: keyof WaitLimits, ok: boolean, detail: string) => {
    if (!ok) throw new InvalidArgumentError(argument, "range", detail);
  };
  rule("maxWaitMs", Number.isFinite(o.maxWaitMs) && o.maxWaitMs > 0 && o.maxWaitMs <= LONGEST_WAIT_MS, "must be more than 0 and at most 24d");
  rule(
    "maxDelayMs",
    o.maxDelayMs >= MIN_POLL_INTERVAL_MS && o.maxDelayMs <= MAX_POLL_INTERVAL_MS,
    `must be from ${formatDuration(MIN_POLL_INTERVAL_MS)} to ${formatDuration(MAX_POLL_INTERVAL_MS)}: many gates poll one API`,
  );
  rule("minDelayMs", o.minDelayMs >= MIN_POLL_INTERVAL_MS && o.minDelayMs <= o.maxDelayMs, `must be from ${formatDuration(MIN_POLL_INTERVAL_MS)} to maxDelayMs`);
  rule("graceMs", Number.isFinite(o.graceMs) && o.graceMs >= 0 && o.graceMs <= LONGEST_WAIT_MS, "must be from 0 to 24d");
}
