import { linkedSignal } from "./http/call";

/** Where a page starts, in both numbering schemes the APIs use. */
export interface PageRequest {
  /** 0-based page number. */
  index: number;
  /** Items to skip: `index * size`. */
  offset: number;
  size: number;
}

export interface Page<T> {
  items: T[];
  /** The total the API reported with this page; undefined when it reports none (DDS). */
  total: number | undefined;
}

export interface PaginateOptions<T> {
  pageSize: number;
  /** Pages in flight at once after the first. */
  concurrency: number;
  /** Stop after this many raw items (only when every item is wanted: filters apply later). */
  maxItems?: number;
  fetchPage: (page: PageRequest, signal: AbortSignal) => Promise<Page<T>>;
  idOf: (item: T) => string;
  /** Aborts in-flight pages when it fires (the call's deadline). */
  signal?: AbortSignal;
}

/** What a listing cost, for logs and the benchmark. */
export interface PageStats {
  requests: number;
  reconcileRequests: number;
}

interface FetchedPage<T> {
  index: number;
  items: T[];
  total: number | undefined;
}

interface PlacedPage<T> extends FetchedPage<T> {
  /** How far the listing had shifted when this page was read: its total minus the first page's. */
  shift: number;
}

/**
 * Yields every item of a listing once, page by page, in the API's order.
 *
 * The first page gives the total; the rest are fetched over the pooled connections with up to
 * `concurrency` requests at once, a new one starting whenever any finishes, and yielded in order.
 * When the API reports no total, pages are fetched ahead speculatively and the first short page
 * ends the listing.
 *
 * A listing without a pinned window (DRS) can grow at its head while we read it, which shifts
 * every later item towards higher pages; read in parallel, an item can slip from a page not yet
 * read into one already read. Each page records how far the listing had shifted when it was read
 * (its total minus the first total), which places its items in the first page's numbering. Gaps in
 * that numbering are read again at the current shift until none remain. If the total shrank
 * (jobs deleted), positions are unreliable and the whole listing is re-read in order, which cannot
 * lose an item that existed throughout.
 */
export async function* paginate<T>(opts: PaginateOptions<T>, stats?: PageStats): AsyncGenerator<T[]> {
  // Not AbortSignal.any(): Node 20 can collect it before the call's deadline reaches the pages.
  const link = linkedSignal(opts.signal);
  const signal = link.signal;
  const size = opts.pageSize;
  const counts = stats ?? { requests: 0, reconcileRequests: 0 };
  const seen = new Set<string>();
  const itemCap = opts.maxItems ?? Number.POSITIVE_INFINITY;
  let emitted = 0;
  /** Drops ids already yielded and stops at the cap. */
  const emit = (items: T[]): T[] => {
    const out: T[] = [];
    for (const item of items) {
      if (emitted >= itemCap) break;
      const id = opts.idOf(item);
      if (seen.has(id)) continue;
      seen.add(id);
      out.push(item);
      emitted++;
    }
    return out;
  };
  const fetch = (index: number, reconciling = false): Promise<FetchedPage<T>> => {
    counts.requests++;
    if (reconciling) counts.reconcileRequests++;
    const pending = opts
      .fetchPage({ index, offset: index * size, size }, signal)
      .then((page) => ({ index, items: page.items, total: page.total }));
    // A page abandoned by an early stop must not surface as an unhandled rejection.
    pending.catch(() => undefined);
    return pending;
  };

  /** Set once the listing ends (done, failed or abandoned): nothing new is started after it. */
  let closed = false;
  try {
    const first = await fetch(0);
    const baseTotal = first.total;
    const capPages = Math.max(1, Math.ceil(itemCap / size));
    let lastPage =
      first.items.length < size ? 0 : baseTotal !== undefined ? Math.ceil(baseTotal / size) - 1 : Number.POSITIVE_INFINITY;
    lastPage = Math.min(lastPage, capPages - 1);
    const pages: FetchedPage<T>[] = [first];
    yield emit(first.items);

    // Up to `concurrency` requests at once, and a new one as soon as any finishes (not only when
    // the next page to yield does: one slow page must not idle the other slots). Pages are yielded
    // in order; at most `2 x concurrency` pages past the next one to yield are read ahead, which
    // bounds what waits in memory behind a slow page.
    const lookahead = 2 * opts.concurrency;
    const launched = new Map<number, Promise<FetchedPage<T>>>();
    let active = 0;
    let next = 1;
    let want = 1;
    const launch = (): void => {
      while (!closed && next <= lastPage && active < opts.concurrency && next - want < lookahead) {
        const index = next++;
        active++;
        const pending = fetch(index);
        launched.set(index, pending);
        pending
          .then((page) => {
            // Without a total, a short page is the last one: read no further.
            if (baseTotal === undefined && page.items.length < size) lastPage = Math.min(lastPage, page.index);
          }, () => undefined)
          .finally(() => {
            active--;
            launch();
          });
      }
    };
    for (; want <= lastPage && emitted < itemCap; want++) {
      launch();
      const page = await (launched.get(want) ?? fetch(want));
      launched.delete(want);
      pages.push(page);
      if (page.items.length < size && baseTotal === undefined) lastPage = page.index;
      yield emit(page.items);
    }

    if (baseTotal === undefined || emitted >= itemCap) return;
    for await (const items of reconcile(pages, baseTotal, size, (index) => fetch(index, true))) {
      const out = emit(items);
      if (out.length) yield out;
      if (emitted >= itemCap) return;
    }
  } finally {
    closed = true;
    link.abort();
    link.dispose();
  }
}

/**
 * Reads again whatever positions (in the first page's numbering) no page covered, as described on
 * `paginate`. Bounded: each round either closes a gap or re-reads once more; after a few rounds
 * it falls back to a full ordered pass.
 */
async function* reconcile<T>(
  pages: FetchedPage<T>[],
  baseTotal: number,
  size: number,
  fetchPage: (index: number) => Promise<FetchedPage<T>>,
): AsyncGenerator<T[]> {
  const withShift = (p: FetchedPage<T>): PlacedPage<T> => ({ ...p, shift: (p.total ?? baseTotal) - baseTotal });
  let covered = pages.map(withShift);
  if (covered.every((p) => p.shift === 0)) return;

  for (let round = 0; round < 4; round++) {
    if (covered.some((p) => p.shift < 0)) break;
    const gaps = uncovered(covered, baseTotal, size);
    if (gaps.length === 0) return;
    // Read the pages where the gaps sit now, at the latest known shift.
    const shiftNow = Math.max(...covered.map((p) => p.shift));
    const indices = new Set<number>();
    for (const [from, to] of gaps) {
      for (let i = Math.floor((from + shiftNow) / size); i <= Math.floor((to - 1 + shiftNow) / size); i++) indices.add(i);
    }
    const again = (await Promise.all([...indices].map(fetchPage))).map(withShift);
    for (const p of again) yield p.items;
    covered = covered.concat(again);
  }

  // Deletions, or a listing still moving: read it once more in order. An item can only move to a
  // later position while insertions happen at the head, and an in-order reader reaches it there.
  for (let index = 0; ; index++) {
    const page = await fetchPage(index);
    yield page.items;
    if (page.items.length < size) return;
  }
}

/** Positions [from, to) of the first page's numbering that no page read. */
function uncovered<T>(pages: PlacedPage<T>[], baseTotal: number, size: number): Array<[number, number]> {
  const spans = pages
    .filter((p) => p.items.length > 0)
    .map((p) => [p.index * size - p.shift, p.index * size - p.shift + p.items.length] as [number, number])
    .sort((a, b) => a[0] - b[0]);
  const gaps: Array<[number, number]> = [];
  let reached = 0;
  for (const [from, to] of spans) {
    if (from > reached) gaps.push([reached, Math.min(from, baseTotal)]);
    reached = Math.max(reached, to);
    if (reached >= baseTotal) break;
  }
  if (reached < baseTotal) gaps.push([reached, baseTotal]);
  return gaps.filter(([a, b]) => b > a);
}

/** Collects a paginated listing, stopping early (and cancelling in-flight pages) at `limit`. */
export async function collect<T>(pages: AsyncIterable<T[]>, limit = Number.POSITIVE_INFINITY): Promise<T[]> {
  const out: T[] = [];
  for await (const items of pages) {
    for (const item of items) {
      if (out.length >= limit) return out;
      out.push(item);
    }
    if (out.length >= limit) return out;
  }
  return out;
}
