/**
 * When seeded jobs were created, how long they run and how they end. Shared by all services so each
 * gets the same mix: a few running now and ending within seconds (for demos), one long runner, and
 * finished jobs spread over the last 25 days (about an eighth of them in the last 6 hours), with
 * outcomes split exactly by the service's shares.
 */
import type { Rng } from "../random";
import { DAY, HOUR, MINUTE, SECOND, floorSecond } from "../time";

export type SlotKind = "running" | "long" | "done";

export interface Slot<O> {
  kind: SlotKind;
  created: number;
  durationMs: number;
  outcome: O;
}

export interface PlanProfile<O> {
  /** Relative shares of outcomes among finished jobs. */
  outcomes: ReadonlyArray<readonly [O, number]>;
  success: O;
  failure: O;
  /** Run length of finished jobs, [min, max] ms. */
  durationMs: readonly [number, number];
}

export function planSlots<O>(rng: Rng, count: number, now: number, profile: PlanProfile<O>): Slot<O>[] {
  const running = count === 0 ? 0 : Math.min(count, Math.max(1, Math.min(6, Math.round(count * 0.04))));
  const long = count - running >= 20 ? 1 : 0;
  const slots: Slot<O>[] = [];

  for (let i = 0; i < running; i++) {
    const created = floorSecond(now - rng.int(2, 90) * SECOND);
    // The first ends within 3-10 s of real time, the others within 5-45 s.
    const remaining = (i === 0 ? rng.int(3, 10) : rng.int(5, 45)) * SECOND;
    const outcome = running >= 3 && i === running - 1 ? profile.failure : profile.success;
    slots.push({ kind: "running", created, durationMs: now - created + remaining, outcome });
  }
  for (let i = 0; i < long; i++) {
    const created = floorSecond(now - rng.int(10, 30) * MINUTE);
    slots.push({ kind: "long", created, durationMs: now - created + rng.int(60, 180) * MINUTE, outcome: profile.success });
  }
  for (const outcome of stratify(rng, profile.outcomes, count - running - long)) {
    const age = rng.chance(0.12) ? rng.int(10 * MINUTE, 6 * HOUR) : rng.int(6 * HOUR, 25 * DAY);
    const created = floorSecond(now - age);
    const [min, max] = profile.durationMs;
    const durationMs = Math.min(rng.int(min, max), Math.max(SECOND, now - created - SECOND));
    slots.push({ kind: "done", created, durationMs, outcome });
  }
  return slots;
}

/** Exactly `n` outcomes in the given shares (largest remainders), shuffled. */
export function stratify<O>(rng: Rng, shares: ReadonlyArray<readonly [O, number]>, n: number): O[] {
  const total = shares.reduce((sum, [, w]) => sum + w, 0);
  const exact = shares.map(([, w]) => (w / total) * n);
  const counts = exact.map(Math.floor);
  let rest = n - counts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((q, i) => [q - Math.floor(q), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of byRemainder) {
    if (rest-- <= 0) break;
    counts[i] = (counts[i] ?? 0) + 1;
  }
  const out: O[] = [];
  shares.forEach(([outcome], i) => {
    for (let k = 0; k < (counts[i] ?? 0); k++) out.push(outcome);
  });
  return rng.shuffle(out);
}

/** A small pool of instances jobs are spread over. */
export function pool<T>(rng: Rng, size: number, make: (rng: Rng, index: number) => T): T[] {
  return Array.from({ length: Math.max(1, size) }, (_, i) => make(rng, i));
}
