import { z } from "zod";
import type { Client } from "../client";
import { type Phase, phaseOf } from "../jobs";
import { MS_PER_DAY, formatIsoSeconds, type ResolvedWindow, type WindowRules } from "../time";
import { parseArgs } from "../validate";
import type { WindowedListArgs } from "./args";
import { jobIdArg } from "./filters";
import { JobReader, type JobPath, type PageRead, ProblemLog, type Raw, readListPage, singleJobOf, text, type TextPool } from "./read";
import { collectRead, type JobPages, type ListResult, pagesOf, startWindowedListing } from "./windowed";

/** DDS v3.1 accepts windows of at most 30 days. */
export const DDS_MAX_SPAN_MS = 30 * MS_PER_DAY;
/** DDS keeps the tasks of one month: a window lying wholly before that finds nothing and is refused. */
export const DDS_RETENTION_MS = 30 * MS_PER_DAY;
export const DDS_MAX_PAGE_SIZE = 100;

// ---- request --------------------------------------------------------------------------------

/**
 * Arguments of `listDdsJobs` (DDS v3.1 task list). The window spans at most 30 days and must reach
 * into the last month; pages hold up to 100 jobs (the default). Single-valued status, name and id
 * filters go to the API, lists apply locally.
 */
export type ListDdsJobsArgs = WindowedListArgs;

// ---- response -------------------------------------------------------------------------------

/**
 * A DDS task: the `JobInfo` of the v3.1 task list (`GET /v3.1/{project_id}/jobs`) or the `job` of
 * the v3 lookup (`GET /v3/{project_id}/jobs?id=`), camelCased, times in ISO-8601 UTC, plus `phase`.
 * Only DDS Community Edition tasks of the last month are listed.
 */
export interface DdsJob {
  service: "dds";
  /** Task ID (a UUID). "" only when the reply lacked it (then `problems` says so). */
  id: string;
  /**
   * Task name: the v3.1 list uses `CreateMongoDB`, `RestartReplicaSetInstance`, ... (its filter
   * enum); the v3 lookup's examples spell some with underscores (`Create_MongoDB`).
   */
  name: string;
  /** Task execution status: `Running`, `Completed` or `Failed` (other values pass through as phase `unknown`). */
  status: string;
  phase: Phase;
  /** ID of the DB instance the task runs on (v3.1 `instance_id`; v3 `instance.id`). */
  instanceId: string;
  /** Name of that instance (v3.1 `instance_name`; v3 `instance.name`). */
  instanceName: string;
  /** Execution progress such as `9%`, shown only while the task runs; "" otherwise. */
  progress: string;
  /** Task failure information (`fail_reason`); the reference sends `null` or "" unless failed, read as "". */
  failReason: string;
  /** Creation time (v3.1 `created_at`, v3 `created`; sent as `yyyy-mm-ddThh:mm:ss+0000`), ISO-8601 UTC. */
  createdAt: string;
  /** End time (v3.1 `ended_at`, v3 `ended`), ISO-8601 UTC; the v3 example sets it even while running. */
  endedAt: string;
  /** Fields the reference does not document (or documented ones sent in a shape that could not be typed), as sent. */
  extra?: Record<string, unknown>;
  /** What the client needs but could not read (a missing id or status, a time that names no date). */
  problems?: string[];
}

const LIST_FIELDS: ReadonlySet<string> = new Set([
  "id", "name", "instance_id", "instance_name", "status", "progress", "fail_reason", "created_at", "ended_at",
]);
const DETAIL_FIELDS: ReadonlySet<string> = new Set(["id", "name", "status", "created", "ended", "progress", "instance", "fail_reason"]);

/** Where the two DDS replies put what differs: the v3.1 list's flat fields, the v3 lookup's nested instance. */
const LIST_SHAPE = { created: "created_at", ended: "ended_at", nested: false } as const;
const DETAIL_SHAPE = { created: "created", ended: "ended", nested: true } as const;

/** Reads one task in one pass (validation, mapping, phase and times fused; one object per job). */
function readTask(r: JobReader, raw: Raw, path: JobPath, shape: typeof LIST_SHAPE | typeof DETAIL_SHAPE): DdsJob {
  const id = r.begin(raw, path);
  const status = r.status();
  const instance = shape.nested ? r.object("instance") : undefined;
  return {
    service: "dds",
    id,
    name: r.shared("name"),
    status,
    phase: phaseOf("dds", status),
    instanceId: shape.nested ? (text(instance?.id) ?? "") : r.shared("instance_id"),
    instanceName: shape.nested ? (text(instance?.name) ?? "") : r.shared("instance_name"),
    progress: r.shared("progress"),
    failReason: r.shared("fail_reason"),
    createdAt: r.time(shape.created),
    endedAt: r.time(shape.ended),
    // Last: the reads above may have added to them.
    extra: r.extra,
    problems: r.problems,
  };
}

/** Reads one page of `GET /v3.1/{project_id}/jobs` (`total_count` is documented but often absent). */
export function readDdsPage(json: unknown, page?: number, pool?: TextPool): PageRead<DdsJob> {
  return readListPage(json, "dds", "total_count", page, (log) => {
    const reader = new JobReader(log, LIST_FIELDS, pool);
    return (raw, path) => readTask(reader, raw, path, LIST_SHAPE);
  });
}

/** Reads the reply of `GET /v3/{project_id}/jobs?id=`; a reply without a `job` object fails. */
export function readDdsJob(json: unknown): DdsJob {
  const raw = singleJobOf(json, "dds", "ShowJob");
  return readTask(new JobReader(new ProblemLog("dds"), DETAIL_FIELDS), raw, "job", DETAIL_SHAPE);
}

export type ListDdsJobsResult = ListResult<DdsJob> & { window: ResolvedWindow };

// ---- calls ----------------------------------------------------------------------------------

/**
 * DDS's window: a span of at most 30 days, in whole seconds, reaching into the last month. Exported so
 * callers can check a window before any request.
 */
export const DDS_WINDOW_RULES: WindowRules = {
  service: "DDS",
  maxSpanMs: DDS_MAX_SPAN_MS,
  minEndAgeMs: DDS_RETENTION_MS,
  defaultStart: "7d",
  granularityMs: 1000,
};

function startDdsListing(client: Client, input: ListDdsJobsArgs) {
  return startWindowedListing<DdsJob>(client, input, {
    service: "dds",
    what: "listDdsJobs",
    maxPageSize: DDS_MAX_PAGE_SIZE,
    rules: DDS_WINDOW_RULES,
    serverFilters: true,
    path: (projectId) => `/v3.1/${projectId}/jobs`,
    query: (startMs, endMs, server) => ({ start_time: formatIsoSeconds(startMs), end_time: formatIsoSeconds(endMs), ...server }),
    orderKeyOf: (job) => job.createdAt,
    readPage: readDdsPage,
  });
}

/** Pages of DDS jobs in the window, each job once, filters applied. */
export function paginateDdsJobs(client: Client, args: ListDdsJobsArgs = {}): JobPages<DdsJob> {
  return pagesOf(startDdsListing(client, args));
}

/** Every DDS job in the window (default: the last 7 days) through the v3.1 task list. */
export async function listDdsJobs(client: Client, args: ListDdsJobsArgs = {}): Promise<ListDdsJobsResult> {
  const listing = startDdsListing(client, args);
  return { ...(await collectRead(listing)), window: listing.window };
}

/**
 * One DDS job by id (`GET /v3/{project_id}/jobs?id=`, documented on both clouds). A job created
 * seconds ago may not be visible yet.
 */
export async function getDdsJob(client: Client, jobId: string, opts: { signal?: AbortSignal } = {}): Promise<DdsJob> {
  const id = parseArgs(z.object({ jobId: jobIdArg }), { jobId }, "getDdsJob").jobId;
  const res = await client.withCall("dds", "ShowJob", opts.signal, async (call) =>
    client.send({ method: "GET", url: client.url("dds", `/v3/${await client.projectId(call.signal)}/jobs`, { id }) }, call),
  );
  return readDdsJob(res.json);
}
