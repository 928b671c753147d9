import { z } from "zod";
import type { Client } from "../client";
import { type Phase, phaseOf } from "../jobs";
import { MS_PER_DAY, normalizeApiTime, type ResolvedWindow, resolveWindow, type WindowRules } from "../time";
import { parseArgs, parseResponse, text } from "../validate";
import { jobIdArg, type WindowedListArgs, windowedListArgsSchema } from "./filters";
import { type CollectedJobs, collectListing, type Listing, startListing } from "./listing";

/** DDM keeps tasks for 30 days; `start_time` may not reach further back. */
export const DDM_RETENTION_MS = 30 * MS_PER_DAY;
export const DDM_MAX_PAGE_SIZE = 128;

// ---- request --------------------------------------------------------------------------------

const listArgsSchema = windowedListArgsSchema("ddm", DDM_MAX_PAGE_SIZE);

/**
 * Arguments of `listDdmJobs`. The window may start at most 30 days back; pages hold up to 128 jobs
 * (the default). DDM's API filters only by time: the other filters apply locally.
 */
export type ListDdmJobsArgs = WindowedListArgs;

// ---- response -------------------------------------------------------------------------------

const jobItemSchema = z.object({
  id: z.string(),
  name: text,
  status: z.string(),
  created_time: text,
  end_time: text,
  process: text,
  instance_id: text,
  instance_name: text,
  fail_reason: text,
  database_name: text,
  operations: z.array(z.string()).nullish(),
});

const listResponseSchema = z.object({
  jobs: z.array(jobItemSchema).nullish(),
  total: z.number().int().nonnegative().nullish(),
});

const jobResponseSchema = z.object({
  job: z.object({
    id: z.string(),
    name: text,
    status: z.string(),
    created_time: text,
    end_time: text,
    process: text,
    instance: z.object({ id: text, name: text }).nullish(),
  }),
});

/** A DDM task: the API's fields, camelCased, times in ISO-8601 UTC, plus the normalized phase. */
export interface DdmJob {
  service: "ddm";
  id: string;
  /** Task name, e.g. `migrateLogicDb`, `CreateInstance`, `EnlargeNode`. */
  name: string;
  /** The API's status (`Running`, `Completed`, `Failed`, or a shard state such as `ToBeSwitched`). */
  status: string;
  phase: Phase;
  createdTime: string;
  /** Equal to createdTime while a job waits (`ToBeSwitched`); empty while running. */
  endTime: string;
  /** Progress like `60%` while running, else empty. */
  process: string;
  instanceId: string;
  instanceName: string;
  /** Empty unless failed (not provided by the single-job API). */
  failReason: string;
  databaseName: string;
  /** Actions an operator may take (`toBeSwitched`, `toBeRetried`, ...). Empty when none. */
  operations: string[];
}

function toJob(raw: z.output<typeof jobItemSchema>): DdmJob {
  return {
    service: "ddm",
    id: raw.id,
    name: raw.name,
    status: raw.status,
    phase: phaseOf("ddm", raw.status),
    createdTime: normalizeApiTime(raw.created_time),
    endTime: normalizeApiTime(raw.end_time),
    process: raw.process,
    instanceId: raw.instance_id,
    instanceName: raw.instance_name,
    failReason: raw.fail_reason,
    databaseName: raw.database_name,
    operations: raw.operations ?? [],
  };
}

export interface ListDdmJobsResult extends CollectedJobs<DdmJob> {
  window: ResolvedWindow;
}

// ---- calls ----------------------------------------------------------------------------------

/** DDM's window: at most 30 days back. Exported so callers can check a window before any request. */
export const DDM_WINDOW_RULES: WindowRules = { service: "DDM", maxAgeMs: DDM_RETENTION_MS, defaultStart: "7d" };

function startDdmListing(client: Client, input: ListDdmJobsArgs): Listing<DdmJob> & { window: ResolvedWindow } {
  const args = parseArgs(listArgsSchema, input, "listDdmJobs");
  const { startMs, endMs, window } = resolveWindow(args, DDM_WINDOW_RULES, Date.now());
  const listing = startListing<DdmJob>({
    client,
    service: "ddm",
    operation: "ListJobs",
    pageSize: args.pageSize ?? DDM_MAX_PAGE_SIZE,
    concurrency: args.concurrency,
    maxItems: args.maxItems,
    signal: args.signal,
    localFilter: { status: args.status, phase: args.phase, name: args.name, id: args.id, instanceId: args.instanceId },
    fetchPage: async (page, call) => {
      const url = client.url("ddm", `/v3/${await client.projectId(call.signal)}/jobs`, {
        start_time: startMs,
        end_time: endMs,
        offset: page.offset,
        limit: page.size,
      });
      const res = await client.send({ method: "GET", url }, call);
      const body = parseResponse(listResponseSchema, res.json, "ddm", "ListJobs");
      return { items: (body.jobs ?? []).map(toJob), total: body.total ?? undefined };
    },
  });
  return { ...listing, window };
}

/** Pages of DDM jobs in the window, each job once, filters applied. */
export function paginateDdmJobs(client: Client, args: ListDdmJobsArgs = {}): AsyncGenerator<DdmJob[]> {
  return startDdmListing(client, args).pages;
}

/** Every DDM job in the window (default: the last 7 days), fetched in parallel pages. */
export async function listDdmJobs(client: Client, args: ListDdmJobsArgs = {}): Promise<ListDdmJobsResult> {
  const listing = startDdmListing(client, args);
  return { ...(await collectListing(listing)), window: listing.window };
}

/** One DDM job by id (`GET /v3/{project_id}/jobs/{job_id}`). */
export async function getDdmJob(client: Client, jobId: string, opts: { signal?: AbortSignal } = {}): Promise<DdmJob> {
  const id = parseArgs(z.object({ jobId: jobIdArg }), { jobId }, "getDdmJob").jobId;
  const call = client.newCall("ddm", "ShowJob", opts.signal);
  const res = await client.send({ method: "GET", url: client.url("ddm", `/v3/${await client.projectId(call.signal)}/jobs/${id}`) }, call);
  const { job } = parseResponse(jobResponseSchema, res.json, "ddm", "ShowJob");
  return toJob({
    ...job,
    instance_id: job.instance?.id ?? "",
    instance_name: job.instance?.name ?? "",
    fail_reason: "",
    database_name: "",
    operations: [],
  });
}
