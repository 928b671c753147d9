/**
 * The one windowed listing behind DDM and DDS: argument checks, the window resolved and pinned
 * once, parallel pages through `startListing`, each page read by the service's tolerant reader,
 * and what the reader could not read gathered as `problems`.
 */
import type { Client } from "../client";
import { type ResolvedWindow, resolveWindow, type WindowRules } from "../time";
import { parseArgs } from "../validate";
import type { WindowedListArgs } from "./args";
import { single, windowedListArgsSchema } from "./filters";
import { type CollectedJobs, collectListing, type JobLike, type Listing, startListing } from "./listing";
import type { ReadProblem, TextPool } from "./read";

/**
 * Pages of jobs (what `paginate*Jobs` return): an async generator that also carries the reader's
 * problems, complete once the pages are.
 */
export type JobPages<J> = AsyncGenerator<J[]> & { readonly problems: ReadProblem[] };

/** The pages of a listing, with its problems. */
export function pagesOf<J>(listing: ReadListing<J>): JobPages<J> {
  return Object.assign(listing.pages, { problems: listing.problems });
}

/** A listing's jobs, with what could not be read the way the reference documents it. */
export interface ReadListing<J> extends Listing<J> {
  /** Filled as pages arrive; complete once `pages` is done. */
  problems: ReadProblem[];
}

/** What `list*Jobs` returns: the jobs, their count and summary, and the reader's problems. */
export interface ListResult<J> extends CollectedJobs<J> {
  /**
   * Fields the client needs that a job lacked (a missing id or status, an impossible time), and
   * replies it read around (a total that is not a number). Each problem names the job, the page and
   * the path. Empty when everything read cleanly.
   */
  problems: ReadProblem[];
}

/** Collects a listing with its problems. */
export async function collectRead<J extends JobLike>(listing: ReadListing<J>): Promise<ListResult<J>> {
  const collected = await collectListing(listing);
  return { ...collected, problems: listing.problems };
}

/** The filters a windowed API applies itself; the rest apply locally. */
export interface ServerFilters {
  status?: string;
  name?: string;
  id?: string;
}

export interface WindowedSpec<J extends JobLike> {
  service: "ddm" | "dds";
  /** The function's name, for argument errors (`listDdmJobs`). */
  what: string;
  maxPageSize: number;
  /** The service's window rules (exported beside it, so callers can check a window first). */
  rules: WindowRules;
  /** Whether the API filters by a single status, name and id (DDS) or only by time (DDM). */
  serverFilters: boolean;
  /** The list's path for a project (`/v3/{project_id}/jobs`). */
  path: (projectId: string) => string;
  /** The window (and the filters the API applies) as the API's query; `offset` and `limit` are added. */
  query: (startMs: number, endMs: number, server: ServerFilters) => Record<string, string | number | undefined>;
  /** The job's creation time, which the API lists newest first by. */
  orderKeyOf: (job: J) => string;
  /** The service's tolerant reader of one page. */
  readPage: (json: unknown, page: number, pool: TextPool) => { jobs: J[]; total: number | undefined; problems: ReadProblem[] };
}

/** Starts a DDM or DDS listing over a window (default: the last 7 days, pinned now). */
export function startWindowedListing<J extends JobLike>(
  client: Client,
  input: WindowedListArgs,
  spec: WindowedSpec<J>,
): ReadListing<J> & { window: ResolvedWindow } {
  const args = parseArgs(windowedListArgsSchema(spec.service, spec.maxPageSize), input, spec.what);
  const { startMs, endMs, window } = resolveWindow(args, spec.rules, Date.now());
  const server: ServerFilters = spec.serverFilters ? { status: single(args.status), name: single(args.name), id: single(args.id) } : {};
  const problems: ReadProblem[] = [];
  // Lives as long as the listing: repeating texts are shared by its jobs, then the pool goes.
  const pool: TextPool = new Map();
  const listing = startListing<J>({
    client,
    service: spec.service,
    operation: "ListJobs",
    pageSize: args.pageSize ?? spec.maxPageSize,
    concurrency: args.concurrency,
    maxItems: args.maxItems,
    signal: args.signal,
    orderKeyOf: spec.orderKeyOf,
    localFilter: {
      status: server.status ? undefined : args.status,
      phase: args.phase,
      name: server.name ? undefined : args.name,
      id: server.id ? undefined : args.id,
      instanceId: args.instanceId,
    },
    fetchPage: async (page, call) => {
      const url = client.url(spec.service, spec.path(await client.projectId(call.signal)), {
        ...spec.query(startMs, endMs, server),
        offset: page.offset,
        limit: page.size,
      });
      const res = await client.send({ method: "GET", url }, call);
      const read = spec.readPage(res.json, page.index, pool);
      if (read.problems.length) problems.push(...read.problems);
      return { items: read.jobs, total: read.total };
    },
  });
  return { ...listing, problems, window };
}
