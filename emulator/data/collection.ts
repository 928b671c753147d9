/** One service's jobs with the two things the admin and handlers do to them: add one, view them. */
import type { Rng } from "../random";
import type { AddJobInput } from "./input";
import { JobStore, type StoredJob } from "./store";

export interface JobCollection<J extends StoredJob, V> {
  readonly store: JobStore<J>;
  /** Builds a job from admin input, stores it (throws RangeError on a duplicate id) and returns its view at `now`. */
  add(input: AddJobInput, now: number): V;
  /** Views of the jobs visible at `now`, newest first. */
  views(now: number): V[];
}

export function jobCollection<J extends StoredJob, V>(
  seeded: J[],
  rng: Rng,
  fromInput: (rng: Rng, input: AddJobInput, now: number) => J,
  view: (job: J, t: number) => V,
): JobCollection<J, V> {
  const store = new JobStore(seeded);
  return {
    store,
    add(input, now) {
      const job = fromInput(rng, input, now);
      store.add(job);
      return view(job, now);
    },
    views: (now) => store.visible(now).map((job) => view(job, now)),
  };
}
