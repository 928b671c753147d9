/**
 * The table of the five data-source functions, defined once: token, argument schema, the call, the result's shape
 * and the docs. The Node SDK's in-process functions (`sdk/get*.ts`) and the native plugin's Invoke
 * (`plugin/`) both run these entries, and `plugin/schema.json` is generated from them, so the three
 * cannot drift. Pulumi-free.
 */
import { z } from "zod";
import type { Client } from "../client";
import { PHASES } from "../jobs";
import { queryId } from "./id";
import type { FunctionName, FunctionTypes, GetDdmJobsResult, GetDdsJobsResult, GetDrsJobsResult } from "./types";
import { DDM_MAX_PAGE_SIZE, getDdmJob, listDdmJobs, type DdmJob } from "../services/ddm";
import { DDS_MAX_PAGE_SIZE, getDdsJob, listDdsJobs, type DdsJob } from "../services/dds";
import { DB_USE_TYPES, DRS_ENGINE_TYPES, DRS_NET_TYPES, listDrsJobs } from "../services/drs";
import { jobIdArg, windowedListArgsSchema } from "../services/filters";
import { InvalidArgumentError } from "../errors";
import { intIn, oneOf } from "../validate";
import { idFilter, nameFilter, phaseFilter, statusFilter } from "../services/filters";

// ---- result shapes (the plugin's schema.json types come from these) -----------------------------

/** The named object types results are built of. */
export type ShapeName = "DdmJob" | "DdsJob" | "DrsJob" | "DrsChildJob" | "DrsJobAction" | "JobSummary" | "Window";

/** A field of a result, described neutrally (JSON types); the plugin turns these into schema types. */
export type FieldSpec =
  | { type: "string" | "number" | "integer" | "boolean"; description: string; optional?: true }
  | { type: "array"; items: FieldSpec | { ref: ShapeName }; description: string; optional?: true }
  | { type: "map"; of: "number"; description: string; optional?: true }
  | { ref: ShapeName; description: string; optional?: true };

export type Shape = { description: string; properties: Record<string, FieldSpec> };

const str = (description: string): FieldSpec => ({ type: "string", description });

const drsChild: Record<string, FieldSpec> = {
  id: str("Job id."),
  name: str("Task name (`DRS-3999-lws`)."),
  status: str("The API's status, verbatim (`FULL_TRANSFER_COMPLETE`, `INCRE_TRANSFER_STARTED`, ...)."),
  phase: str(`Normalized phase: ${PHASES.join(", ")}.`),
  description: str("Task description."),
  createTime: str("Creation time, ISO-8601 UTC."),
  engineType: str("Engine type (`mysql`, `mongodb`, ...)."),
  netType: str("`vpn`, `vpc` or `eip`."),
  billingTag: { type: "boolean", description: "Billing tag, when reported.", optional: true },
  jobDirection: str("`up`, `down` or `non-dbs`."),
  dbUseType: str("`migration`, `sync` or `cloudDataGuard`."),
  taskType: str("`FULL_TRANSFER`, `FULL_INCR_TRANS` or `INCR_TRANS`."),
  nodeNewFramework: { type: "boolean", description: "Whether the node uses the new framework, when reported.", optional: true },
  errorMsg: str("Why it failed; empty unless failed."),
  jobAction: { ref: "DrsJobAction", description: "What the task accepts now (Huawei Cloud only; absent on OTC).", optional: true },
};

export const SHAPES: Record<ShapeName, Shape> = {
  DdmJob: {
    description: "A DDM task: the API's fields camelCased, times in ISO-8601 UTC, plus the normalized phase.",
    properties: {
      service: str("`ddm`."),
      id: str("Job id."),
      name: str("Task name (`migrateLogicDb`, `CreateInstance`, `EnlargeNode`)."),
      status: str("The API's status (`Running`, `Completed`, `Failed`, or a shard state such as `ToBeSwitched`)."),
      phase: str(`Normalized phase: ${PHASES.join(", ")}.`),
      createdTime: str("Creation time, ISO-8601 UTC."),
      endTime: str("End time; equal to createdTime while a job waits; empty while running."),
      process: str("Progress like `60%` while running, else empty."),
      instanceId: str("DDM instance id."),
      instanceName: str("DDM instance name."),
      failReason: str("Why it failed; empty unless failed (the single-job API does not report it)."),
      databaseName: str("Logical database, when reported."),
      operations: { type: "array", items: str("An action."), description: "Actions an operator may take (`toBeSwitched`, `toBeRetried`)." },
    },
  },
  DdsJob: {
    description: "A DDS task: the API's fields camelCased, times in ISO-8601 UTC, plus the normalized phase.",
    properties: {
      service: str("`dds`."),
      id: str("Job id."),
      name: str("Task name (`CreateMongoDB`, `RestartReplicaSetInstance`)."),
      status: str("`Running`, `Completed` or `Failed` (other values pass through)."),
      phase: str(`Normalized phase: ${PHASES.join(", ")}.`),
      instanceId: str("DDS instance id."),
      instanceName: str("DDS instance name."),
      progress: str("Progress like `9%` while running, else empty."),
      failReason: str("Why it failed; empty unless failed."),
      createdAt: str("Creation time, ISO-8601 UTC."),
      endedAt: str("End time, ISO-8601 UTC; empty while running."),
    },
  },
  DrsJobAction: {
    description: "The commands a DRS task accepts (Huawei Cloud's `job_action`).",
    properties: {
      availableActions: { type: "array", items: str("A command."), description: "Commands the task accepts now: `CREATE`, `PRE_CHECK`, `PAUSE`, `START`, `RETRY`, `DELETE`, ..." },
      unavailableActions: { type: "array", items: str("A command."), description: "Commands the task refuses now (same vocabulary)." },
      currentAction: str("The operation under way (`SWITCH_OVER`, `STOP_JOB`); empty when none."),
    },
  },
  DrsChildJob: { description: "A DRS child task (one per source/target pair of a multi-task job).", properties: drsChild },
  DrsJob: {
    description: "A DRS task: the API's fields camelCased plus the normalized phase, with its child tasks.",
    properties: {
      service: str("`drs`."),
      ...drsChild,
      children: { type: "array", items: { ref: "DrsChildJob" }, description: "Child tasks of a multi-task job." },
    },
  },
  JobSummary: {
    description: "Counts of a result set.",
    properties: {
      total: { type: "integer", description: "Number of jobs." },
      byPhase: { type: "map", of: "number", description: "Jobs per normalized phase." },
      byStatus: { type: "map", of: "number", description: "Jobs per API status." },
      anyFailed: { type: "boolean", description: "At least one job failed." },
      allFinished: { type: "boolean", description: "Every job succeeded, failed or was canceled (true for none)." },
    },
  },
  Window: {
    description: "The window a listing queried.",
    properties: { start: str("Window start, ISO-8601 UTC."), end: str("Window end, ISO-8601 UTC, pinned when the listing began.") },
  },
};


// ---- argument schemas (from the core's own pieces, so `check` and the listing agree) ----------------

const time = z.union([z.string(), z.number()], { error: "must be an ISO-8601 string, epoch milliseconds or a duration like 7d" });
const windowedPick = { phase: true, startTime: true, endTime: true, status: true, name: true, id: true, instanceId: true, maxItems: true } as const;
function windowedArgs(service: "ddm" | "dds", maxPage: number) {
  // The core's listing schema, narrowed to what a data source exposes; times as the wire carries them.
  return windowedListArgsSchema(service, maxPage).pick(windowedPick).extend({ startTime: time.optional(), endTime: time.optional() }).strict();
}

const drsArgs = z
  .object({
    dbUseType: oneOf(DB_USE_TYPES, "DRS db_use_type"),
    phase: phaseFilter.optional(),
    engineType: oneOf(DRS_ENGINE_TYPES, "DRS engine type").optional(),
    netType: oneOf(DRS_NET_TYPES, "DRS network type").optional(),
    status: statusFilter("drs").optional(),
    name: nameFilter.optional(),
    id: idFilter.optional(),
    maxItems: intIn(1, 1_000_000).optional(),
  })
  .strict();

const oneJobArgs = z.object({ jobId: jobIdArg }).strict();

// ---- the table ------------------------------------------------------------------------------------

export interface FunctionDef<S extends z.ZodObject = z.ZodObject, R = unknown> {
  name: string;
  /** The Pulumi type token the plugin serves. */
  token: `otcjobs:index:${string}`;
  description: string;
  args: S;
  /** Docs per argument (schema.json descriptions, TSDoc mirrors them). */
  argDocs: Record<keyof z.input<S> & string, string>;
  /** Result fields, or a shape the result is. */
  result: { properties: Record<string, FieldSpec> } | { shape: ShapeName };
  call(client: Client, args: z.output<S>, signal?: AbortSignal): Promise<R>;
}

function define<S extends z.ZodObject, R>(d: FunctionDef<S, R>): FunctionDef<S, R> {
  return d;
}

const windowDocs = (service: "DDM" | "DDS", windowRule: string) => ({
  phase: "Keep jobs in these normalized phases (`failed`, `running`, `succeeded`, ...).",
  startTime: `Window start: ISO-8601, epoch ms, or a duration before now (\`"7d"\`). Default \`"7d"\`. ${windowRule}`,
  endTime: "Window end: ISO-8601, epoch ms, or a duration before now. Default: now.",
  status: `Keep jobs in these ${service} statuses.`,
  name: "Keep jobs with these task names.",
  id: "Keep jobs with these ids.",
  instanceId: `Keep jobs of this ${service} instance.`,
  maxItems: "Return at most this many jobs.",
});

const windowedResult = (job: ShapeName): { properties: Record<string, FieldSpec> } => ({
  properties: {
    id: str("Derived from the query's arguments: the same query has the same id in every run."),
    jobs: { type: "array", items: { ref: job }, description: "Matching jobs, newest first." },
    window: { ref: "Window", description: "The window queried." },
    total: { type: "integer", description: "Jobs read for the window, before local filters and maxItems." },
    summary: { ref: "JobSummary", description: "Counts by phase and status." },
  },
});

export const getDdmJobsFn = define({
  name: "getDdmJobs",
  token: "otcjobs:index:getDdmJobs",
  description: "DDM tasks (`GET /v3/{project_id}/jobs`) in a window reaching at most 30 days back, every page fetched.",
  args: windowedArgs("ddm", DDM_MAX_PAGE_SIZE),
  argDocs: windowDocs("DDM", "DDM keeps 30 days: the window may start at most 30 days back."),
  result: windowedResult("DdmJob"),
  async call(client, args, signal): Promise<GetDdmJobsResult> {
    const r = await listDdmJobs(client, { ...args, signal });
    return { id: queryId("getDdmJobs", args), jobs: r.jobs, window: r.window, total: r.total, summary: r.summary };
  },
});

export const getDdmJobFn = define({
  name: "getDdmJob",
  token: "otcjobs:index:getDdmJob",
  description: "One DDM task (`GET /v3/{project_id}/jobs/{job_id}`). Its `failReason` is empty: the single-job API does not report it.",
  args: oneJobArgs,
  argDocs: { jobId: "The job's id." },
  result: { shape: "DdmJob" },
  call: (client, args, signal): Promise<DdmJob> => getDdmJob(client, args.jobId, { signal }),
});

export const getDdsJobsFn = define({
  name: "getDdsJobs",
  token: "otcjobs:index:getDdsJobs",
  description: "DDS tasks through the v3.1 task list (`GET /v3.1/{project_id}/jobs`) in a window spanning at most 30 days, every page fetched.",
  args: windowedArgs("dds", DDS_MAX_PAGE_SIZE),
  argDocs: windowDocs("DDS", "DDS limits the span: the window may cover at most 30 days (it may start earlier than 30 days ago)."),
  result: windowedResult("DdsJob"),
  async call(client, args, signal): Promise<GetDdsJobsResult> {
    const r = await listDdsJobs(client, { ...args, signal });
    return { id: queryId("getDdsJobs", args), jobs: r.jobs, window: r.window, total: r.total, summary: r.summary };
  },
});

export const getDdsJobFn = define({
  name: "getDdsJob",
  token: "otcjobs:index:getDdsJob",
  description: "One DDS task (`GET /v3/{project_id}/jobs?id=`). A job created seconds ago may not be visible yet.",
  args: oneJobArgs,
  argDocs: { jobId: "The job's id. A job created seconds ago may not be visible yet." },
  result: { shape: "DdsJob" },
  call: (client, args, signal): Promise<DdsJob> => getDdsJob(client, args.jobId, { signal }),
});

export const getDrsJobsFn = define({
  name: "getDrsJobs",
  token: "otcjobs:index:getDrsJobs",
  description: "DRS tasks of one scenario (`POST /v3/{project_id}/jobs`), every page fetched. DRS lists have no time window.",
  args: drsArgs,
  argDocs: {
    dbUseType: "Required by the API: `migration`, `sync` or `cloudDataGuard`.",
    phase: "Keep jobs in these normalized phases (`failed`, `running`, `succeeded`, ...).",
    engineType: "`mysql` (the API's default), `mongodb`, `postgresql`, ...",
    netType: "`vpn`, `vpc` or `eip`.",
    status: "Keep jobs in these DRS statuses (`FULL_TRANSFER_COMPLETE`, `INCRE_TRANSFER_STARTED`, ...).",
    name: "Keep jobs with these task names.",
    id: "Keep jobs with these ids.",
    maxItems: "Return at most this many jobs.",
  },
  result: {
    properties: {
      id: str("Derived from the query's arguments: the same query has the same id in every run."),
      jobs: { type: "array", items: { ref: "DrsJob" }, description: "Matching jobs with their child tasks." },
      total: { type: "integer", description: "Jobs the API reported (`total_record`) before local filters and maxItems." },
      summary: { ref: "JobSummary", description: "Counts by phase and status." },
    },
  },
  async call(client, args, signal): Promise<GetDrsJobsResult> {
    const r = await listDrsJobs(client, { ...args, signal });
    return { id: queryId("getDrsJobs", args), jobs: r.jobs, total: r.total, summary: r.summary };
  },
});

/** Every function, in the order docs list them. */
export const FUNCTIONS = [getDdmJobsFn, getDdmJobFn, getDdsJobsFn, getDdsJobFn, getDrsJobsFn] as const;

export function functionByToken(token: string): (typeof FUNCTIONS)[number] | undefined {
  return FUNCTIONS.find((f) => f.token === token);
}

export interface ArgFailure {
  /** The argument (`phase`, `name[1]`). */
  property: string;
  reason: string;
}

function pathOf(path: ReadonlyArray<PropertyKey>): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("");
}

/**
 * The issues of a value against `a | a[]`: those of the branch the value was meant for, so the reason
 * names the real rule. That is the branch that got deepest into the value (a list's bad element), and
 * on a tie the one not refusing the value's type outright.
 */
function flatten(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== "invalid_union" || !issue.errors.length) return [issue];
  const score = (branch: z.core.$ZodIssue[]) =>
    Math.max(...branch.map((i) => i.path.length)) * 2 + (branch.some((i) => i.code === "invalid_type" && i.path.length === 0) ? 0 : 1);
  const meant = issue.errors.reduce((best, b) => (score(b) > score(best) ? b : best));
  return meant.flatMap((i) => flatten({ ...i, path: [...issue.path, ...i.path] }));
}

/** Every broken rule of a function's arguments, each naming the argument. */
export function checkFunctionArgs(fn: FunctionDef, rawArgs: unknown): ArgFailure[] {
  const r = fn.args.safeParse(rawArgs ?? {});
  if (r.success) return [];
  return r.error.issues.flatMap(flatten).map((i) =>
    i.code === "unrecognized_keys"
      ? { property: i.keys.join(", "), reason: `is not an argument of ${fn.name} (arguments: ${Object.keys(fn.args.shape).join(", ")})` }
      : { property: pathOf(i.path) || fn.name, reason: i.message },
  );
}

/** Validated arguments, or `InvalidArgumentError` naming the first broken rule. */
export function parseFunctionArgs<S extends z.ZodObject, R>(fn: FunctionDef<S, R>, rawArgs: unknown): z.output<S> {
  const failure = checkFunctionArgs(fn as unknown as FunctionDef, rawArgs)[0];
  if (failure) throw new InvalidArgumentError(failure.property, "argument", failure.reason);
  return fn.args.parse(rawArgs ?? {}) as z.output<S>;
}

/** Runs a function: validates its arguments (`InvalidArgumentError` naming the argument), then calls. */
export async function runFunction<S extends z.ZodObject, R>(fn: FunctionDef<S, R>, client: Client, rawArgs: unknown, signal?: AbortSignal): Promise<R> {
  return fn.call(client, parseFunctionArgs(fn, rawArgs), signal);
}



/** The table's entries by name. */
export const BY_NAME: { [N in FunctionName]: FunctionDef<z.ZodObject, FunctionTypes[N]["result"]> } = {
  getDdmJobs: getDdmJobsFn,
  getDdmJob: getDdmJobFn,
  getDdsJobs: getDdsJobsFn,
  getDdsJob: getDdsJobFn,
  getDrsJobs: getDrsJobsFn,
} as never;
