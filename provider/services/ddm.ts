import { z } from "zod";
import type { Client } from "../client";
import { type Phase, phaseOf } from "../jobs";
import { MS_PER_DAY, type ResolvedWindow } from "../time";
import { parseArgs } from "../validate";
import { jobIdArg, type WindowedListArgs } from "./filters";
import { JobReader, jobsOf, ProblemLog, type Raw, type ReadProblem, readJobs, singleJobOf, totalOf } from "./read";
import { collectRead, type ListResult, startWindowedListing } from "./windowed";

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

/** Reads one list item: the fast, fused path (validation, mapping, phase and times in one pass). */
function readItem(r: JobReader, raw: Raw, path: string): DdmJob {
  const id = r.begin(raw, path);
  const status = r.status();
  const job: DdmJob = {
    service: "ddm",
    id,
    name: r.text("name"),
    status,
    phase: phaseOf("ddm", status),
    createdTime: r.time("created_time"),
    endTime: r.time("end_time"),
    process: r.text("process"),
    instanceId: r.text("instance_id"),
    instanceName: r.text("instance_name"),
    failReason: r.text("fail_reason"),
    databaseName: r.text("database_name"),
    operations: r.list("operations"),
    // Last: the reads above may have added to them.
    extra: r.extra,
    problems: r.problems,
  };
  return job;
}

/** Reads the single-job reply's `job`, whose instance is an object and which lacks the list's extras. */
function readDetail(r: JobReader, raw: Raw): DdmJob {
  const id = r.begin(raw, "job");
  const status = r.status();
  const instance = r.object("instance");
  const job: DdmJob = {
    service: "ddm",
    id,
    name: r.text("name"),
    status,
    phase: phaseOf("ddm", status),
    createdTime: r.time("created_time"),
    endTime: r.time("end_time"),
    process: r.text("process"),
    instanceId: typeof instance?.id === "string" ? instance.id : "",
    instanceName: typeof instance?.name === "string" ? instance.name : "",
    failReason: "",
    databaseName: "",
    operations: [],
    extra: r.extra,
    problems: r.problems,
  };
  return job;
}

/** Reads one page of `GET /v3/{project_id}/jobs`. */
export function readDdmPage(json: unknown, page?: number): { jobs: DdmJob[]; total: number | undefined; problems: ReadProblem[] } {
  const items = jobsOf(json, "ddm", "ListJobs");
  const log = new ProblemLog("ddm", page);
  const reader = new JobReader(log, LIST_FIELDS);
  const jobs = readJobs(items, log, (raw, path) => readItem(reader, raw, path));
  return { jobs, total: totalOf(json as Raw, "total", log), problems: log.list };
}

/** Reads the reply of `GET /v3/{project_id}/jobs/{job_id}`; a reply without a `job` object fails. */
export function readDdmJob(json: unknown): DdmJob {
  const raw = singleJobOf(json, "ddm", "ShowJob");
  return readDetail(new JobReader(new ProblemLog("ddm"), DETAIL_FIELDS), raw);
}

export type ListDdmJobsResult = ListResult<DdmJob> & { window: ResolvedWindow };

// ---- calls ----------------------------------------------------------------------------------

function startDdmListing(client: Client, input: ListDdmJobsArgs) {
  return startWindowedListing<DdmJob>(client, input, {
    service: "ddm",
    what: "listDdmJobs",
    maxPageSize: DDM_MAX_PAGE_SIZE,
    rules: { service: "DDM", maxAgeMs: DDM_RETENTION_MS },
    serverFilters: false,
    fetchPage: async ({ startMs, endMs, page }, call, problems) => {
      const url = client.url("ddm", `/v3/${await client.projectId(call.signal)}/jobs`, {
        start_time: startMs,
        end_time: endMs,
        offset: page.offset,
        limit: page.size,
      });
      const res = await client.send({ method: "GET", url }, call);
      const read = readDdmPage(res.json, page.index);
      if (read.problems.length) problems.push(...read.problems);
      return { items: read.jobs, total: read.total };
    },
  });
}

/** Pages of DDM jobs in the window, each job once, filters applied. */
export function paginateDdmJobs(client: Client, args: ListDdmJobsArgs = {}): AsyncGenerator<DdmJob[]> {
  return startDdmListing(client, args).pages;
}

/** Every DDM job in the window (default: the last 7 days), fetched in parallel pages. */
export async function listDdmJobs(client: Client, args: ListDdmJobsArgs = {}): Promise<ListDdmJobsResult> {
  const listing = startDdmListing(client, args);
  return { ...(await collectRead(listing)), window: listing.window };
}

/** One DDM job by id (`GET /v3/{project_id}/jobs/{job_id}`). */
export async function getDdmJob(client: Client, jobId: string, opts: { signal?: AbortSignal } = {}): Promise<DdmJob> {
  const id = parseArgs(z.object({ jobId: jobIdArg }), { jobId }, "getDdmJob").jobId;
  const call = client.newCall("ddm", "ShowJob", opts.signal);
  const res = await client.send({ method: "GET", url: client.url("ddm", `/v3/${await client.projectId(call.signal)}/jobs/${id}`) }, call);
  return readDdmJob(res.json);
}
