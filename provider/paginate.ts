import { type AdaptiveLimits, adaptiveLimit, type AttemptSignal, type ConcurrencyLimit, fixedLimit, isOverload } from "./concurrency";
import { AbortedError, type ApiName, DeadlineExceededError, OtcJobsError, TooManyRequestsError } from "./errors";
import { DeadlineReached, linkedSignal } from "./http/call";
import { SeenIds } from "./seen-ids";

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

/** Told about every attempt of a page (retries included), so the window can react to overload. */
export type AttemptReporter = (attempt: AttemptSignal) => void;

/**
 * Awaited by the transport before it retries a page: when the window has shrunk below the pages in
 * flight, the retry gives its slot back and waits for one (ahead of any new page), so retries
 * never exceed what the window allows. Rejects when the listing has ended.
 */
export type RetryGate = () => Promise<void>;

export interface PaginateOptions<T> {
  /** Names the listing in warnings and errors. */
  service: ApiName;
  operation: string;
  pageSize: number;
  /**
   * Pages in flight at once after the first, exactly. Omitted: an adaptive window (see
   * `adaptiveLimit`) between 1 and `adaptive.max`.
   */
  concurrency?: number;
  adaptive?: AdaptiveLimits;
  /** Stop after this many raw items (only when every item is wanted: filters apply later). */
  maxItems?: number;
  fetchPage: (page: PageRequest, signal: AbortSignal, report: AttemptReporter, beforeRetry?: RetryGate) => Promise<Page<T>>;
  idOf: (item: T) => string;
  /**
   * The key the API sorts the listing by, newest first (a creation time), which must be the same on
   * every read of an item: one whose key changed between two reads could be yielded twice. Optional:
   * it only makes de-duplication cheaper (see `SeenIds`).
   */
  orderKeyOf?: (item: T) => string;
  /** Aborts in-flight pages when it fires (the call's deadline). */
  signal?: AbortSignal;
  /** A server misbehaved but the listing could end sensibly (default: `process.emitWarning`). */
  onWarning?: (message: string) => void;
}

/** What a listing cost, for logs, tests and the benchmark. */
export interface PageStats {
  requests: number;
  reconcileRequests: number;
  /** Most pages in flight the window allowed. */
  peakConcurrency?: number;
  /** Times the adaptive window was halved on overload. */
  backoffs?: number;
  /** Warnings given (also passed to `onWarning`). */
  warnings?: string[];
}

/** What is kept of a page once its items are handed on: where it was, how many, the total it saw. */
interface PageShape {
  index: number;
  count: number;
  total: number | undefined;
}

interface FetchedPage<T> extends PageShape {
  items: T[];
}

interface PlacedPage extends PageShape {
  /** How far the listing had shifted when this page was read: its total minus the first page's. */
  shift: number;
}

/**
 * Requests one listing may send, from what it has actually seen: twice the pages its distinct items
 * fill (a full pass plus a re-read pass), one more pass's worth for gap reads, and the read-ahead.
 * A server that lies about its total or ignores `offset` meets this before it meets our memory.
 */
function requestAllowance(distinct: number, size: number, maxWindow: number): number {
  const pages = Math.max(1, Math.ceil(distinct / size));
  return 3 * pages + 2 * maxWindow + 4;
}

/**
 * Yields every item of a listing once, page by page, in the API's order.
 *
 * The first page gives the total; the rest are fetched with up to `concurrency` requests at once
 * (or an adaptive window), a new one starting whenever any finishes, and yielded in order. When the
 * API reports no total, pages are fetched ahead speculatively.
 *
 * It stops: at the first short or empty page (whatever total was claimed); at a page that brings
 * no id not already seen while the total holds still (a server ignoring `offset`), with a warning;
 * at `maxItems`; and, as a backstop, with `TooManyRequestsError` once the requests exceed what the
 * items seen justify. Once a page has failed no new page starts, in-flight pages are aborted, and
 * the first failure is thrown. Only the page being yielded and the read-ahead are held in memory.
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
  const size = opts.pageSize;
  const name = `${opts.service.toUpperCase()} ${opts.operation}`;
  const counts = stats ?? { requests: 0, reconcileRequests: 0 };
  const limiter: ConcurrencyLimit = opts.concurrency !== undefined ? fixedLimit(opts.concurrency) : adaptiveLimit(opts.adaptive);
  const maxWindow = opts.concurrency ?? opts.adaptive?.max ?? limiter.limit;
  const warn = (message: string): void => {
    (counts.warnings ??= []).push(message);
    (opts.onWarning ?? ((m: string) => process.emitWarning(m, { code: "OTCJOBS_PAGINATION" })))(message);
  };

  // A signal of our own following the caller's (not AbortSignal.any(): Node 20 can collect it
  // before the call's deadline reaches the pages); aborting it stops every page of this listing.
  const outer = opts.signal;
  const link = linkedSignal(outer);
  const signal = link.signal;

  const seen = new SeenIds();
  const keyOf = opts.orderKeyOf;
  const itemCap = opts.maxItems ?? Number.POSITIVE_INFINITY;
  let emitted = 0;
  /** Drops ids already yielded and stops at the cap; `fresh` counts ids not seen before. */
  const emit = (items: T[]): { out: T[]; fresh: number } => {
    let out: T[] | undefined;
    let fresh = 0;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      const id = opts.idOf(item);
      const key = keyOf?.(item);
      let keep: boolean;
      if (emitted >= itemCap) {
        if (!seen.has(id, key)) fresh++;
        keep = false;
      } else {
        keep = seen.add(id, key);
        if (keep) {
          fresh++;
          emitted++;
        }
      }
      // The page itself is handed on while every item is kept (the usual case); a copy starts at
      // the first item dropped.
      if (!keep) out ??= items.slice(0, i);
      else if (out) out.push(item);
    }
    return { out: out ?? items, fresh };
  };

  /** The first failure of any page; set once, and nothing new starts after it. */
  let failure: { error: unknown } | undefined;
  /** Set once the listing ends (done, failed or abandoned). */
  let closed = false;
  const fail = (error: unknown): void => {
    failure ??= { error };
    closed = true;
    link.abort();
  };
  /**
   * The first page's failure. When the signal ended the listing and no page said why, the signal's
   * reason is named: the call's deadline as a deadline (not as the caller's interrupt), else an abort.
   */
  const failedError = (fallback: unknown): unknown => {
    const e = failure?.error ?? fallback;
    if (!outer?.aborted || e instanceof OtcJobsError) return e;
    return outer.reason instanceof DeadlineReached
      ? new DeadlineExceededError(opts.service, opts.operation, outer.reason.deadlineMs)
      : new AbortedError(name, outer.reason);
  };

  /**
   * Pages in flight that hold a slot of the window (the pages after the first; reconcile reads
   * are bounded by the gaps they close instead). A page whose attempt was throttled gives its slot
   * back while it waits to retry, and queues for one in `retries`.
   */
  let active = 0;
  const retries: Array<{ index: number; grant: () => void; refuse: (e: unknown) => void }> = [];
  /** Starts what the window allows now (set once the first page is in). */
  let launch: () => void = () => undefined;
  const refuseRetries = (): void => {
    for (const r of retries.splice(0)) r.refuse(failedError(signal.reason));
  };

  const fetch = (index: number, reconciling = false, slot?: { held: boolean }): Promise<FetchedPage<T>> => {
    if (closed) return Promise.reject(failedError(signal.reason));
    const allowed = requestAllowance(seen.size, size, maxWindow);
    if (counts.requests >= allowed) {
      const error = new TooManyRequestsError(
        opts.service,
        opts.operation,
        counts.requests,
        `${seen.size} distinct jobs in pages of ${size} justify at most ${allowed} requests; the server's paging is not converging`,
      );
      fail(error);
      return Promise.reject(error);
    }
    counts.requests++;
    if (reconciling) counts.reconcileRequests++;
    let ticket = limiter.start();
    let clean = true;
    const report: AttemptReporter = (a) => {
      if (!isOverload(a)) return;
      clean = false;
      limiter.overload(ticket, a.status === 429 || a.apiCode === "APIGW.0308" ? a.retryInMs : undefined);
      counts.backoffs = limiter.decreases;
    };
    // A throttled page keeps its slot while it backs off (no new page takes it). Before it retries,
    // if the window has shrunk below what is in flight (or a Retry-After holds), it gives the slot
    // back and queues for one, ahead of new pages.
    const beforeRetry: RetryGate | undefined = slot
      ? () =>
          closed || signal.aborted
            ? Promise.reject(failedError(signal.reason))
            : slot.held && active <= limiter.limit && limiter.holdMs(Date.now()) === 0
            ? Promise.resolve()
            : new Promise<void>((resolve, refuse) => {
                if (slot.held) {
                  slot.held = false;
                  active--;
                }
                const grant = (): void => {
                  slot.held = true;
                  active++;
                  // A fresh ticket: a retry throttled again describes the window as it is now.
                  ticket = limiter.start();
                  resolve();
                };
                retries.push({ index, grant, refuse });
                launch();
              })
      : undefined;
    const pending = opts.fetchPage({ index, offset: index * size, size }, signal, report, beforeRetry).then(
      (page) => {
        limiter.finish(ticket, clean);
        counts.peakConcurrency = Math.max(counts.peakConcurrency ?? 0, limiter.peak);
        return { index, items: page.items, count: page.items.length, total: page.total };
      },
      (error: unknown) => {
        fail(error);
        throw failedError(error);
      },
    );
    // A page abandoned by an early stop must not surface as an unhandled rejection.
    pending.catch(() => undefined);
    return pending;
  };

  let holdTimer: NodeJS.Timeout | undefined;
  /** Resolves the consumer's wait for a held page; also called when the listing is aborted. */
  let wakeConsumer: (() => void) | undefined;
  const wakeOnAbort = (): void => {
    refuseRetries();
    wakeConsumer?.();
  };
  signal.addEventListener("abort", wakeOnAbort, { once: true });
  try {
    const first = await fetch(0);
    const baseTotal = first.total;
    const capPages = Math.max(1, Math.ceil(itemCap / size));
    let lastPage =
      first.count < size ? 0 : baseTotal !== undefined ? Math.ceil(baseTotal / size) - 1 : Number.POSITIVE_INFINITY;
    lastPage = Math.min(lastPage, capPages - 1);
    /**
     * Pages that must read full, new and under an unchanged total before the window may widen to
     * what the total promises (`knowTotal`): the first window's worth. A server that lies about its
     * total or ignores `offset` shows it within them, before the wider burst is spent on it.
     */
    let proofPages = baseTotal !== undefined && Number.isFinite(lastPage) ? Math.min(limiter.limit, lastPage) : 0;
    const shapes: PageShape[] = [shapeOf(first)];
    yield emit(first.items).out;

    // Up to `limit` requests at once, and a new one as soon as any finishes (not only when the next
    // page to yield does: one slow page must not idle the other slots). Pages are yielded in order;
    // at most `2 x limit` pages past the next one to yield are read ahead, which bounds what waits
    // in memory behind a slow page. A `Retry-After` pauses new pages until it has passed.
    const launched = new Map<number, Promise<FetchedPage<T>>>();
    let next = 1;
    let want = 1;
    /** Whether any page saw a total other than the first page's (the listing grew or shrank). */
    let moved = false;
    launch = (): void => {
      if (closed || signal.aborted) return refuseRetries();
      const hold = limiter.holdMs(Date.now());
      if (hold > 0) {
        holdTimer ??= setTimeout(() => {
          holdTimer = undefined;
          launch();
          wakeConsumer?.();
        }, hold);
        return;
      }
      // Retries first, lowest page first: they are the pages the consumer waits for.
      if (retries.length > 1) retries.sort((a, b) => a.index - b.index);
      while (retries.length && active < limiter.limit) retries.shift()!.grant();
      while (!closed && next <= lastPage && active < limiter.limit && next - want < 2 * limiter.limit) {
        const index = next++;
        active++;
        const slot = { held: true };
        const pending = fetch(index, false, slot);
        launched.set(index, pending);
        pending
          .then((page) => {
            // A short page is the last one, whatever the total said: read no further.
            if (page.count < size) lastPage = Math.min(lastPage, page.index);
          }, () => undefined)
          .finally(() => {
            if (slot.held) active--;
            slot.held = false;
            launch();
          });
      }
    };
    const pageAt = async (index: number): Promise<FetchedPage<T>> => {
      for (;;) {
        launch();
        const pending = launched.get(index);
        if (pending) return pending;
        if (closed || signal.aborted) throw failedError(signal.reason);
        // Held by a Retry-After: wait for the hold to lift (or for the listing to fail).
        await new Promise<void>((resolve) => (wakeConsumer = resolve));
        wakeConsumer = undefined;
      }
    };
    for (; want <= lastPage && emitted < itemCap; want++) {
      let page: FetchedPage<T>;
      try {
        page = await pageAt(want);
      } catch (e) {
        throw failedError(e);
      }
      launched.delete(want);
      shapes.push(shapeOf(page));
      const { out, fresh } = emit(page.items);
      moved ||= page.total !== baseTotal;
      if (want <= proofPages) {
        if (moved || page.count < size || fresh < page.count) proofPages = 0;
        else if (want === proofPages) {
          limiter.knowTotal(lastPage - want);
          launch();
        }
      }
      // While the listing holds still, a full repeat can only mean an ignored offset. Once it has
      // moved, repeats are expected (items shift between pages) and the reconcile pass handles them.
      if (page.count > 0 && fresh === 0 && !moved) {
        warn(
          `${name}: page ${page.index + 1} (offset ${page.index * size}) brought no job not already seen: the server ` +
            `seems to ignore offset; stopped after ${counts.requests} requests with ${emitted} jobs`,
        );
        return;
      }
      if (page.count < size) {
        lastPage = Math.min(lastPage, page.index);
        if (baseTotal !== undefined && page.total === baseTotal && page.index * size + page.count < baseTotal) {
          warn(
            `${name}: the server reported ${baseTotal} jobs but page ${page.index + 1} held ${page.count} of ${size}: ` +
              `stopped there with ${emitted} jobs`,
          );
        }
      }
      yield out;
    }

    if (baseTotal === undefined || emitted >= itemCap) return;
    for await (const items of reconcile(shapes, baseTotal, size, (index) => fetch(index, true))) {
      const { out } = emit(items);
      if (out.length) yield out;
      if (emitted >= itemCap) return;
    }
  } finally {
    closed = true;
    refuseRetries();
    if (holdTimer) clearTimeout(holdTimer);
    link.abort();
    link.dispose();
  }
}

function shapeOf<T>(page: FetchedPage<T>): PageShape {
  return { index: page.index, count: page.count, total: page.total };
}

/**
 * Reads again whatever positions (in the first page's numbering) no page covered, as described on
 * `paginate`. Bounded: each round either closes a gap or re-reads once more; after a few rounds
 * it falls back to a full ordered pass.
 */
async function* reconcile<T>(
  pages: PageShape[],
  baseTotal: number,
  size: number,
  fetchPage: (index: number) => Promise<FetchedPage<T>>,
): AsyncGenerator<T[]> {
  const withShift = (p: PageShape): PlacedPage => ({ index: p.index, count: p.count, total: p.total, shift: (p.total ?? baseTotal) - baseTotal });
  let covered = pages.map(withShift);
  if (covered.every((p) => p.shift === 0)) return;

  for (let round = 0; round < 4; round++) {
    if (covered.some((p) => p.shift < 0)) break;
    const gaps = uncovered(covered, baseTotal, size);
    if (gaps.length === 0) return;
    // Read the pages where the gaps sit now, at the latest known shift.
    const shiftNow = covered.reduce((m, p) => Math.max(m, p.shift), 0);
    const indices = new Set<number>();
    for (const [from, to] of gaps) {
      for (let i = Math.floor((from + shiftNow) / size); i <= Math.floor((to - 1 + shiftNow) / size); i++) indices.add(i);
    }
    const again = await Promise.all([...indices].map(fetchPage));
    for (const p of again) yield p.items;
    covered = covered.concat(again.map(withShift));
  }

  // Deletions, or a listing still moving: read it once more in order. An item can only move to a
  // later position while insertions happen at the head, and an in-order reader reaches it there.
  for (let index = 0; ; index++) {
    const page = await fetchPage(index);
    yield page.items;
    if (page.count < size) return;
  }
}

/** Positions [from, to) of the first page's numbering that no page read. */
function uncovered(pages: PlacedPage[], baseTotal: number, size: number): Array<[number, number]> {
  const spans = pages
    .filter((p) => p.count > 0)
    .map((p) => [p.index * size - p.shift, p.index * size - p.shift + p.count] as [number, number])
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
  // The pages are kept as they come and copied once at the end into an array of the final size:
  // pushing into a growing one copied it over and over (measurable at 100,000 jobs).
  const kept: T[][] = [];
  let count = 0;
  for await (const items of pages) {
    const room = Math.max(0, Math.ceil(limit) - count);
    kept.push(items.length <= room ? items : items.slice(0, room));
    count += Math.min(items.length, room);
    if (count >= limit) break;
  }
  if (kept.length === 1) return kept[0]!;
  const out = new Array<T>(count);
  let at = 0;
  for (const page of kept) for (let i = 0; i < page.length; i++) out[at++] = page[i]!;
  return out;
}

/**
 * The items of a paginated listing one at a time, in order, as their pages arrive: for output that
 * streams (the CLI) without holding the listing. Breaking out of the loop cancels in-flight pages.
 */
export async function* eachItem<T>(pages: AsyncIterable<T[]>): AsyncGenerator<T> {
  for await (const items of pages) yield* items;
}
