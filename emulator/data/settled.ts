/**
 * The JSON of a job's list item, kept once nothing in it can change any more (its run, and its
 * children's, have ended). A list page then costs a lookup per settled job instead of building,
 * formatting and serializing every item again, which was most of the emulator's CPU per page and
 * made it, not the client, the bottleneck of every benchmark against it.
 */
import type { ResolvedShapes } from "./shapes";

export type ItemOf<J> = (job: J, t: number, shapes: ResolvedShapes) => unknown;

export interface ItemJson<J> {
  /** The item's JSON at `t`: from the cache when the job has settled by then, built otherwise. */
  (job: J, t: number, shapes: ResolvedShapes): string;
}

/**
 * `settledAt(job)`: the time from which the item no longer depends on `t` (Infinity: never).
 * Entries are per shapes object (each emulator resolves its shapes once) and die with their job.
 */
export function itemJson<J extends object>(item: ItemOf<J>, settledAt: (job: J) => number): ItemJson<J> {
  const cache = new WeakMap<J, { shapes: ResolvedShapes; json: string }>();
  return (job, t, shapes) => {
    if (t < settledAt(job)) return JSON.stringify(item(job, t, shapes));
    const hit = cache.get(job);
    if (hit !== undefined && hit.shapes === shapes) return hit.json;
    const json = JSON.stringify(item(job, t, shapes));
    cache.set(job, { shapes, json });
    return json;
  };
}
