/** A job's life: statuses that take effect at given times, from creation to the end of its run. */

export interface Step {
  at: number;
  status: string;
}

export interface Timeline {
  created: number;
  /** When the run ends and the final status takes effect. */
  ended: number;
  /** Sorted by time; steps[0].at === created; the last step is the final status at `ended`. */
  steps: readonly Step[];
}

/**
 * Builds a timeline from phases given as fractions of the run, e.g.
 * `[["CREATING", 0], ["FULL_TRANSFER_STARTED", 0.2]]`, ending in `final` after `durationMs`.
 */
export function buildTimeline(
  created: number,
  durationMs: number,
  phases: ReadonlyArray<readonly [string, number]>,
  final: string,
): Timeline {
  const ended = created + Math.max(0, Math.round(durationMs));
  const steps: Step[] = phases.map(([status, fraction]) => ({
    at: created + Math.floor((ended - created) * fraction),
    status,
  }));
  steps.push({ at: ended, status: final });
  return { created, ended, steps };
}

export function statusAt(tl: Timeline, t: number): string {
  let status = tl.steps[0]?.status ?? "";
  for (const step of tl.steps) {
    if (step.at > t) break;
    status = step.status;
  }
  return status;
}

export function runningAt(tl: Timeline, t: number): boolean {
  return t < tl.ended;
}

/** "NN%" while running (0..99), "" once ended: the `process`/`progress` fields. */
export function percentAt(tl: Timeline, t: number): string {
  if (!runningAt(tl, t)) return "";
  const span = tl.ended - tl.created;
  const pct = span <= 0 ? 0 : Math.floor(((t - tl.created) / span) * 100);
  return `${Math.min(99, Math.max(0, pct))}%`;
}
