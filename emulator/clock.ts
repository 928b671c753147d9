/** The emulator's clock: a start time plus (in "real" mode) wall-clock time elapsed plus manual advances. */
import { performance } from "node:perf_hooks";

export type ClockMode = "real" | "manual";

/** Largest single advance: 100 years. Anything more is a typo, and would leave the Date range. */
export const MAX_ADVANCE_MS = 100 * 365 * 86_400_000;
/** The latest instant a JavaScript Date can hold. */
const MAX_DATE_MS = 8.64e15;

export class Clock {
  private advanced = 0;
  private readonly wallStart = performance.now();

  constructor(
    private readonly start: number,
    readonly mode: ClockMode,
  ) {}

  /** Emulator time in epoch milliseconds (an integer). */
  now(): number {
    const wall = this.mode === "real" ? Math.floor(performance.now() - this.wallStart) : 0;
    return this.start + wall + this.advanced;
  }

  /** Moves the clock forward by `ms` (>= 0) and returns the new time. */
  advance(ms: number): number {
    // Checked in full before anything changes: a rejected advance leaves the clock where it was.
    if (!Number.isFinite(ms) || ms < 0 || ms > MAX_ADVANCE_MS) {
      throw new RangeError(`advance(ms) needs a number from 0 to ${MAX_ADVANCE_MS} (100 years), got ${ms}`);
    }
    const step = Math.floor(ms);
    if (this.now() + step > MAX_DATE_MS) throw new RangeError(`advancing by ${ms} ms would move the clock past the last valid date`);
    this.advanced += step;
    return this.now();
  }
}
