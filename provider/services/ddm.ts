import { z } from "zod";
import type { Client } from "../client";
import { type Phase, phaseOf } from "../jobs";
import { MS_PER_DAY, type ResolvedWindow, type WindowRules } from "../time";
import { parseArgs } from "../validate";
import type { WindowedListArgs } from "./args";
import { jobIdArg } from "./filters";
import { JobReader, type JobPath, type PageRead, ProblemLog, type Raw, readListPage, singleJobOf, text, type TextPool } from "./read";
import { collectRead, type JobPages, type ListResult, pagesOf, startWindowedListing } from "./windowed";

/** DDM keeps tasks for 30 days; `start_time` may not reach further back. */
export const DDM_RETENTION_MS = 30 * MS_PER_DAY;
export const DDM_MAX_PAGE_SIZE = 128;

// ---- request --------------------------------------------------------------------------------

/**
 * Arguments of `listDdmJobs`. The window may start at most 30 days back; pages hold up to 128 jobs
 * (the default). DDM's API filters only by time: the other filters apply locally.
 */
export type ListDdmJobsArgs = WindowedListArgs;

// ---- response -------------------------------------------------------------------------------

/**
 * A DDM task (`JobItem` of "Querying Tasks (a V3 API)", or the `job` of "Obtaining Information About
 * a Task with a Specified ID"): the API's fields camelCased, times in ISO-8601 UTC, plus `phase`.
 */
export interface DdmJob {
  service: "ddm";
  /** Task ID (a UUID). "" only when the reply lacked it (then `problems` says so). */
  id: string;
  /** Task name: `CreateInstance`, `migrateLogicDb`, `EnlargeNode`, ... (the reference's "Task Statuses" table). */
  name: string;
  /**
   * Task execution status: `Running`, `Completed`, `Failed`, or a shard-configuration state:
   * `Expanding`, `Canceling`, `Rollbacking`, `RollbackSuccess`, `CancelSuccess`, `ToBeSwitched`,
   * `Switching`. Other values pass through (phase `unknown`).
   */
  status: string;
  /** The normalized phase of `status` (`ToBeSwitched` is `waiting`: it needs an operator). */
  phase: Phase;
  /** Creation time (`created_time`, sent as `yyyy-mm-ddThh:mm:ss+0100`), in ISO-8601 UTC. */
  createdTime: string;
  /** End time (`end_time`), ISO-8601 UTC; equals `createdTime` while a job waits (`ToBeSwitched`), "" while running. */
  endTime: string;
  /** Execution progress such as `60%`, shown only while the task runs; "" otherwise. */
  process: string;
  /** ID of the DDM instance the task runs on (`instance_id`; the single-job API's `instance.id`). */
  instanceId: string;
  /** Name of that instance (`instance_name`; the single-job API's `instance.name`). */
  instanceName: string;
  /** Task failure cause (`fail_reason`); "" unless failed. The single-job API does not send it. */
  failReason: string;
  /** Name of the schema a shard configuration works on (`database_name`); "" for other tasks. */
  databaseName: string;
  /**
   * Operations an operator may perform on a shard-configuration task: `modifySwitchingStrategy`,
   * `toBeCanceled`, `toBeRetried`, `toBeRolled`, `toBeSwitched`, `toBeCleaned`. [] when none
   * (and from the single-job API, which does not send them).
   */
  operations: string[];
  /** Fields the reference does not document (or documented ones sent in a shape that could not be typed), as sent. */
  extra?: Record<string, unknown>;
  /** What the client needs but could not read (a missing id or status, a time that names no date). */
  problems?: string[];
}

const LIST_FIELDS: ReadonlySet<string> = new Set([
  "id", "name", "status", "created_time", "end_time", "process", "instance_id", "instance_name", "fail_reason", "database_name", "operations",
]);
const DETAIL_FIELDS: ReadonlySet<string> = new Set(["id", "name", "status", "created_time", "end_time", "process", "instance"]);

/**
 * Reads one task in one pass (validation, mapping, phase and times fused; one object per job). The
 * list's `JobItem` names its instance in `instance_id`/`instance_name`; the single-job reply nests it
 * in `instance` and has no `fail_reason`, `database_name` or `operations` (read as "" and []).
 */
function readTask(r: JobReader, raw: Raw, path: JobPath, nested: boolean): DdmJob {
  const id = r.begin(raw, path);
  const status = r.status();
  const instance = nested ? r.object("instance") : undefined;
  return {
    service: "ddm",
    id,
    name: r.shared("name"),
    status,
    phase: phaseOf("ddm", status),
    createdTime: r.time("created_time"),
    endTime: r.time("end_time"),
    process: r.shared("process"),
    instanceId: nested ? (text(instance?.id) ?? "") : r.shared("instance_id"),
    instanceName: nested ? (text(instance?.name) ?? "") : r.shared("instance_name"),
    failReason: r.shared("fail_reason"),
    databaseName: r.text("database_name"),
    operations: r.list("operations"),
    // Last: the reads above may have added to them.
    extra: r.extra,
    problems: r.problems,
  };
}

/** Reads one page of `GET /v3/{project_id}/jobs`; `pool` shares repeating texts across a listing's pages. */
export function readDdmPage(json: unknown, page?: number, pool?: TextPool): PageRead<DdmJob> {
  return readListPage(json, "ddm", "total", page, (log) => {
    const reader = new JobReader(log, LIST_FIELDS, pool);
    return (raw, path) => readTask(reader, raw, path, false);
  });
}

/** Reads the reply of `GET /v3/{project_id}/jobs/{job_id}`; a reply without a `job` object fails. */
export function readDdmJob(json: unknown): DdmJob {
  const raw = singleJobOf(json, "ddm", "ShowJob");
  return readTask(new JobReader(new ProblemLog("ddm"), DETAIL_FIELDS), raw, "job", true);
}

export type ListDdmJobsResult = ListResult<DdmJob> & { window: ResolvedWindow };

// ---- calls ----------------------------------------------------------------------------------

/** DDM's window: at most 30 days back. Exported so callers can check a window before any request. */
export const DDM_WINDOW_RULES: WindowRules = { service: "DDM", maxAgeMs: DDM_RETENTION_MS, defaultStart: "7d" };

function startDdmListing(client: Client, input: ListDdmJobsArgs) {
  return startWindowedListing<DdmJob>(client, input, {
    service: "ddm",
    what: "listDdmJobs",
    maxPageSize: DDM_MAX_PAGE_SIZE,
    rules: DDM_WINDOW_RULES,
    serverFilters: false,
    path: (projectId) => `/v3/${projectId}/jobs`,
    query: (startMs, endMs) => ({ start_time: startMs, end_time: endMs }),
    orderKeyOf: (job) => job.createdTime,
    readPage: readDdmPage,
  });
}

/** Pages of DDM jobs in the window, each job once, filters applied. */
export function paginateDdmJobs(client: Client, args: ListDdmJobsArgs = {}): JobPages<DdmJob> {
  return pagesOf(startDdmListing(client, args));
}

/** Every DDM job in the window (default: the last 7 days), fetched in parallel pages. */
export async function listDdmJobs(client: Client, args: ListDdmJobsArgs = {}): Promise<ListDdmJobsResult> {
  const listing = startDdmListing(client, args);
  return { ...(await collectRead(listing)), window: listing.window };
}

/** One DDM job by id (`GET /v3/{project_id}/jobs/{job_id}`). */
export async function getDdmJob(client: Client, jobId: string, opts: { signal?: AbortSignal } = {}): Promise<DdmJob> {
  const id = parseArgs(z.object({ jobId: jobIdArg }), { jobId }, "getDdmJob").jobId;
  const res = await client.withCall("ddm", "ShowJob", opts.signal, async (call) =>
    client.send({ method: "GET", url: client.url("ddm", `/v3/${await client.projectId(call.signal)}/jobs/${id}`) }, call),
  );
  return readDdmJob(res.json);
}
