import type { Client } from "../client";
import type { ApiName } from "../errors";
import type { CallContext } from "../http";
import { type JobSummary, type Phase, summarize } from "../jobs";
import { DEFAULT_ADAPTIVE } from "../concurrency";
import { collect, type Page, type PageRequest, paginate, type PageStats } from "../paginate";
import type { JobFilter } from "./args";
import { hasClientFilter, matches } from "./filters";

/** What every service's job has in common, which local filters and summaries read. */
export interface JobLike {
  id: string;
  name: string;
  status: string;
  phase: Phase;
  instanceId?: string;
}

export interface ListingSpec<J extends JobLike> {
  client: Client;
  service: ApiName;
  operation: string;
  pageSize: number;
  concurrency?: number;
  maxItems?: number;
  /** Filters the API did not apply. */
  localFilter: JobFilter;
  signal?: AbortSignal;
  /** Told when a server misbehaves in a way the listing survives (default: `process.emitWarning`). */
  onWarning?: (message: string) => void;
  fetchPage: (page: PageRequest, call: CallContext) => Promise<Page<J>>;
  /** The creation time the API lists newest first by (only makes de-duplication cheaper: `SeenIds`). */
  orderKeyOf?: (job: J) => string;
}

export interface Listing<J> {
  /** Matching jobs page by page, each once. */
  pages: AsyncGenerator<J[]>;
  stats: PageStats & { total?: number };
  maxItems?: number;
}

/** Starts a listing: one call context (deadline), parallel pages, de-duplication, local filters. */
export function startListing<J extends JobLike>(spec: ListingSpec<J>): Listing<J> {
  const call = spec.client.newCall(spec.service, spec.operation, spec.signal);
  const stats: Listing<J>["stats"] = { requests: 0, reconcileRequests: 0 };
  const local = hasClientFilter(spec.localFilter);
  // A job the reader could not find an id for is its own (never merged with another id-less one).
  let unread = 0;
  const raw = paginate<J>(
    {
      service: spec.service,
      operation: spec.operation,
      pageSize: spec.pageSize,
      // A concurrency the caller chose (per call or on the client) is kept exactly; otherwise the
      // window adapts, starting at the client's default.
      concurrency: spec.concurrency ?? (spec.client.concurrencyFixed ? spec.client.concurrency : undefined),
      adaptive: { ...DEFAULT_ADAPTIVE, initial: spec.client.concurrency },
      // With local filters the cap counts matches, so it is applied after filtering.
      maxItems: local ? undefined : spec.maxItems,
      signal: call.signal,
      idOf: (job) => job.id || `\u0000unread-${++unread}`,
      orderKeyOf: spec.orderKeyOf,
      onWarning: spec.onWarning,
      fetchPage: async (page, signal, report, beforeRetry) => {
        // The page's own view of the call: its signal and window hooks over the call's live deadline
        // (a spread would copy `deadlineAt` once, and miss the time a pause adds).
        const pageCall: CallContext = Object.create(call, {
          signal: { value: signal },
          onAttempt: { value: report },
          beforeRetry: { value: beforeRetry },
        }) as CallContext;
        const result = await spec.fetchPage(page, pageCall);
        if (page.index === 0) stats.total = result.total;
        return result;
      },
    },
    stats,
  );
  const pages = (async function* () {
    try {
      for await (const page of raw) {
        // While the reader holds a page (a CLI writing to a slow pipe), the deadline's clock stops.
        // The read-ahead goes on loading until it is full (a bounded number of pages, each within its
        // attempt timeout), then waits for the reader.
        call.pause();
        try {
          yield local ? page.filter((job) => matches(job, spec.localFilter)) : page;
        } finally {
          call.resume();
        }
      }
    } finally {
      // The listing ended (read to the end, failed, or left early): its deadline timer and its
      // listener on the caller's signal go with it.
      call.dispose();
    }
  })();
  return { pages, stats, maxItems: spec.maxItems };
}

export interface CollectedJobs<J> {
  jobs: J[];
  /** Jobs the API reported for the query, before local filters and `maxItems`. */
  total: number;
  summary: JobSummary;
}

export async function collectListing<J extends JobLike>(listing: Listing<J>): Promise<CollectedJobs<J>> {
  const jobs = await collect(listing.pages, listing.maxItems);
  return { jobs, total: listing.stats.total ?? jobs.length, summary: summarize(jobs) };
}
