import { z } from "zod";
import type { Client } from "../client";
import { type Phase, phaseOf } from "../jobs";
import { MS_PER_DAY, formatIsoSeconds, normalizeApiTime, type ResolvedWindow, resolveWindow, type WindowRules } from "../time";
import { parseArgs, parseResponse, text } from "../validate";
import { jobIdArg, type WindowedListArgs, windowedListArgsSchema, single } from "./filters";
import { type CollectedJobs, collectListing, type Listing, startListing } from "./listing";

/** DDS v3.1 accepts windows of at most 30 days. */
export const DDS_MAX_SPAN_MS = 30 * MS_PER_DAY;
export const DDS_MAX_PAGE_SIZE = 100;

// ---- request --------------------------------------------------------------------------------

const listArgsSchema = windowedListArgsSchema("dds", DDS_MAX_PAGE_SIZE);

/**
 * Arguments of `listDdsJobs` (DDS v3.1 task list). The window spans at most 30 days; pages hold up
 * to 100 jobs (the default). Single-valued status, name and id filters go to the API, lists apply locally.
 */
export type ListDdsJobsArgs = WindowedListArgs;

// ---- response -------------------------------------------------------------------------------

const listItemSchema = z.object({
  id: z.string(),
  name: text,
  instance_id: text,
  instance_name: text,
  status: z.string(),
  progress: text,
  fail_reason: text,
  created_at: text,
  ended_at: text,
});

const listResponseSchema = z.object({
  jobs: z.array(listItemSchema).nullish(),
  // Documented, yet absent from real replies.
  total_count: z.number().int().nonnegative().nullish(),
});

const jobResponseSchema = z.object({
  job: z.object({
    id: z.string(),
    name: text,
    status: z.string(),
    created: text,
    ended: text,
    progress: text,
    instance: z.object({ id: text, name: text }).nullish(),
    fail_reason: text,
  }),
});

/** A DDS task: the API's fields, camelCased, times in ISO-8601 UTC, plus the normalized phase. */
export interface DdsJob {
  service: "dds";
  id: string;
  /** Task name, e.g. `CreateMongoDB`, `RestartReplicaSetInstance`. */
  name: string;
  /** `Running`, `Completed` or `Failed` (other values pass through). */
  status: string;
  phase: Phase;
  instanceId: string;
  instanceName: string;
  /** Progress like `9%` while running, else empty. */
  progress: string;
  /** Empty unless failed. */
  failReason: string;
  createdAt: string;
  endedAt: string;
}

function toJob(raw: z.output<typeof listItemSchema>): DdsJob {
  return {
    service: "dds",
    id: raw.id,
    name: raw.name,
    status: raw.status,
    phase: phaseOf("dds", raw.status),
    instanceId: raw.instance_id,
    instanceName: raw.instance_name,
    progress: raw.progress,
    failReason: raw.fail_reason,
    createdAt: normalizeApiTime(raw.created_at),
    endedAt: normalizeApiTime(raw.ended_at),
  };
}

export interface ListDdsJobsResult extends CollectedJobs<DdsJob> {
  window: ResolvedWindow;
}

// ---- calls ----------------------------------------------------------------------------------

/** DDS's window: a span of at most 30 days, in whole seconds. Exported so callers can check a window before any request. */
export const DDS_WINDOW_RULES: WindowRules = { service: "DDS", maxSpanMs: DDS_MAX_SPAN_MS, defaultStart: "7d", granularityMs: 1000 };

function startDdsListing(client: Client, input: ListDdsJobsArgs): Listing<DdsJob> & { window: ResolvedWindow } {
  const args = parseArgs(listArgsSchema, input, "listDdsJobs");
  const { startMs, endMs, window } = resolveWindow(args, DDS_WINDOW_RULES, Date.now());
  const server = { status: single(args.status), name: single(args.name), id: single(args.id) };
  const listing = startListing<DdsJob>({
    client,
    service: "dds",
    operation: "ListJobs",
    pageSize: args.pageSize ?? DDS_MAX_PAGE_SIZE,
    concurrency: args.concurrency,
    maxItems: args.maxItems,
    signal: args.signal,
    localFilter: {
      status: server.status ? undefined : args.status,
      phase: args.phase,
      name: server.name ? undefined : args.name,
      id: server.id ? undefined : args.id,
      instanceId: args.instanceId,
    },
    fetchPage: async (page, call) => {
      const url = client.url("dds", `/v3.1/${await client.projectId(call.signal)}/jobs`, {
        start_time: formatIsoSeconds(startMs),
        end_time: formatIsoSeconds(endMs),
        ...server,
        offset: page.offset,
        limit: page.size,
      });
      const res = await client.send({ method: "GET", url }, call);
      const body = parseResponse(listResponseSchema, res.json, "dds", "ListJobs");
      return { items: (body.jobs ?? []).map(toJob), total: body.total_count ?? undefined };
    },
  });
  return { ...listing, window };
}

/** Pages of DDS jobs in the window, each job once, filters applied. */
export function paginateDdsJobs(client: Client, args: ListDdsJobsArgs = {}): AsyncGenerator<DdsJob[]> {
  return startDdsListing(client, args).pages;
}

/** Every DDS job in the window (default: the last 7 days) through the v3.1 task list. */
export async function listDdsJobs(client: Client, args: ListDdsJobsArgs = {}): Promise<ListDdsJobsResult> {
  const listing = startDdsListing(client, args);
  return { ...(await collectListing(listing)), window: listing.window };
}

/**
 * One DDS job by id (`GET /v3/{project_id}/jobs?id=`, documented on both clouds). A job created
 * seconds ago may not be visible yet.
 */
export async function getDdsJob(client: Client, jobId: string, opts: { signal?: AbortSignal } = {}): Promise<DdsJob> {
  const id = parseArgs(z.object({ jobId: jobIdArg }), { jobId }, "getDdsJob").jobId;
  const call = client.newCall("dds", "ShowJob", opts.signal);
  const res = await client.send({ method: "GET", url: client.url("dds", `/v3/${await client.projectId(call.signal)}/jobs`, { id }) }, call);
  const { job } = parseResponse(jobResponseSchema, res.json, "dds", "ShowJob");
  return toJob({
    id: job.id,
    name: job.name,
    status: job.status,
    instance_id: job.instance?.id ?? "",
    instance_name: job.instance?.name ?? "",
    progress: job.progress,
    fail_reason: job.fail_reason,
    created_at: job.created,
    ended_at: job.ended,
  });
}
