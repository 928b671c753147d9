/** Jobs of one service, kept newest first (the order every list API uses). */

export interface StoredJob {
  id: string;
  created: number;
}

function newestFirst(a: StoredJob, b: StoredJob): number {
  if (a.created !== b.created) return b.created - a.created;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export class DuplicateJobError extends Error {
  constructor(readonly id: string) {
    super(`job id ${id} already exists`);
    this.name = "DuplicateJobError";
  }
}

export class JobStore<J extends StoredJob> {
  private readonly list: J[] = [];
  private readonly byId = new Map<string, J>();

  constructor(jobs: Iterable<J> = []) {
    for (const job of jobs) this.insert(job);
    this.list.sort(newestFirst);
  }

  /** Adds a job; throws DuplicateJobError if its id exists. */
  add(job: J): void {
    this.insert(job);
    this.list.sort(newestFirst);
  }

  get(id: string): J | undefined {
    return this.byId.get(id);
  }

  /** Jobs created at or before `t`, newest first. */
  visible(t: number): J[] {
    return this.list.filter((job) => job.created <= t);
  }

  private insert(job: J): void {
    if (this.byId.has(job.id)) throw new DuplicateJobError(job.id);
    this.byId.set(job.id, job);
    this.list.push(job);
  }
}
