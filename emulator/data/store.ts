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
  /** Jobs partitioned by a key (DRS db_use_type), built on first use and dropped when a job is added. */
  private readonly groups = new Map<string, Map<string, J[]>>();

  constructor(jobs: Iterable<J> = []) {
    for (const job of jobs) this.insert(job);
    this.list.sort(newestFirst);
  }

  /** Adds a job; throws DuplicateJobError if its id exists. */
  add(job: J): void {
    this.insert(job);
    this.list.sort(newestFirst);
    this.groups.clear();
  }

  get(id: string): J | undefined {
    return this.byId.get(id);
  }

  /** Jobs created at or before `t`, newest first. */
  visible(t: number): J[] {
    return this.between(Number.NEGATIVE_INFINITY, t);
  }

  /** Jobs created in [from, to], newest first (a copy: O(window); list pages use `pageBetween`). */
  between(from: number, to: number): J[] {
    return this.list.slice(this.firstAtOrBefore(to), this.firstAtOrBefore(from - 1));
  }

  /**
   * One page of the jobs created in [from, to], newest first, and how many there are in all. Two
   * binary searches and a slice of the page: a page request costs its page, not the whole store
   * (O(log n + limit); 1,000,000 jobs are listed in pages without copying the window per page).
   */
  pageBetween(from: number, to: number, offset: number, limit: number): { jobs: J[]; total: number } {
    const first = this.firstAtOrBefore(to);
    const end = this.firstAtOrBefore(from - 1);
    return { jobs: pageOf(this.list, first, end, offset, limit), total: Math.max(0, end - first) };
  }

  /** One page of a partition's jobs created at or before `to`, and how many there are in all. */
  partitionPage(
    name: string,
    keyOf: (job: J) => string,
    key: string,
    to: number,
    offset: number,
    limit: number,
  ): { jobs: J[]; total: number } {
    const group = this.partition(name, keyOf, key);
    const first = firstAtOrBefore(group, to);
    return { jobs: pageOf(group, first, group.length, offset, limit), total: group.length - first };
  }

  /** The jobs whose `keyOf` is `key`, newest first (cached per partition until the next add). */
  partition(name: string, keyOf: (job: J) => string, key: string): readonly J[] {
    let groups = this.groups.get(name);
    if (!groups) {
      groups = new Map();
      for (const job of this.list) {
        const k = keyOf(job);
        let group = groups.get(k);
        if (!group) groups.set(k, (group = []));
        group.push(job);
      }
      this.groups.set(name, groups);
    }
    return groups.get(key) ?? [];
  }

  private firstAtOrBefore(t: number): number {
    return firstAtOrBefore(this.list, t);
  }

  private insert(job: J): void {
    if (this.byId.has(job.id)) throw new DuplicateJobError(job.id);
    this.byId.set(job.id, job);
    this.list.push(job);
  }
}

/** Index of the first job (of a newest-first list) created at or before `t`. */
function firstAtOrBefore(list: readonly StoredJob[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.created > t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `list[first + offset, first + offset + limit)`, never past `end`. */
function pageOf<J>(list: readonly J[], first: number, end: number, offset: number, limit: number): J[] {
  const from = Math.min(end, first + offset);
  return list.slice(from, Math.min(end, from + limit));
}
