/** The emulator's clock: a start time plus (in "real" mode) wall-clock time elapsed plus manual advances. */
import { performance } from "node:perf_hooks";

export type ClockMode = "real" | "manual";

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
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`advance(ms) needs a finite number >= 0, got ${ms}`);
    this.advanced += Math.floor(ms);
    return this.now();
  }
}
