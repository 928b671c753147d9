import * as pulumi from "@pulumi/pulumi";
import {
  type DbUseType,
  type DdmJob,
  type DdsJob,
  type DrsJob,
  getDdmJob as coreGetDdmJob,
  getDdsJob as coreGetDdsJob,
  type JobSummary,
  type Phase,
  listDdmJobs,
  listDdsJobs,
  listDrsJobs,
  type ResolvedWindow,
} from "../provider";
import { invokeOutput } from "./invoke";
import { clientFor, type ProviderSettings } from "./settings";

export type { DdmJob, DdsJob, DrsJob, DrsChildJob, JobSummary, Phase, ResolvedWindow } from "../provider";

/** Settings every function accepts to override the `otcjobs:*` stack config for one call. */
interface WithSettings {
  /** Per-call provider settings (cloud, region, projectId, endpoint, credentials, ...). Secret values should be `pulumi.secret(...)` in the Output form. */
  settings?: ProviderSettings;
}

// ---- getDdmJobs --------------------------------------------------------------------------------

export interface GetDdmJobsArgs extends WithSettings {
  /** Keep jobs in these normalized phases (`failed`, `running`, `succeeded`, ...). */
  phase?: Phase | Phase[];
  /** Window start: ISO-8601, epoch ms, or a duration before now (`"7d"`). Default `"7d"`; at most 30 days back. */
  startTime?: string | number;
  /** Window end. Default: now. */
  endTime?: string | number;
  /** Keep jobs in these statuses (`Running`, `Completed`, `Failed`, `ToBeSwitched`, ...). */
  status?: string | string[];
  /** Keep jobs with these task names (`migrateLogicDb`, `CreateInstance`, ...). */
  name?: string | string[];
  /** Keep jobs with these ids. */
  id?: string | string[];
  /** Keep jobs of this DDM instance. */
  instanceId?: string;
  /** Return at most this many jobs. */
  maxItems?: number;
}

export interface GetDdmJobsOutputArgs {
  phase?: pulumi.Input<Phase | pulumi.Input<Phase>[]>;
  startTime?: pulumi.Input<string | number>;
  endTime?: pulumi.Input<string | number>;
  status?: pulumi.Input<string | pulumi.Input<string>[]>;
  name?: pulumi.Input<string | pulumi.Input<string>[]>;
  id?: pulumi.Input<string | pulumi.Input<string>[]>;
  instanceId?: pulumi.Input<string>;
  maxItems?: pulumi.Input<number>;
  settings?: pulumi.Input<ProviderSettings>;
}

/** The result of getDdmJobs. */
export interface GetDdmJobsResult {
  /** A stable id for this query. */
  readonly id: string;
  /** Matching jobs, newest first: the API's fields camelCased, plus `phase`. */
  readonly jobs: DdmJob[];
  /** The window queried, in ISO-8601 UTC. */
  readonly window: ResolvedWindow;
  /** Jobs the API reported for the window, before local filters and maxItems. */
  readonly total: number;
  /** Counts by phase and status; `anyFailed`, `allFinished`. */
  readonly summary: JobSummary;
}

/**
 * DDM tasks (`GET /v3/{project_id}/jobs`) in a window of at most 30 days back, every page fetched.
 * Runs in the program's process; `opts` are accepted for the generated-SDK shape.
 */
export async function getDdmJobs(args: GetDdmJobsArgs = {}, _opts?: pulumi.InvokeOptions): Promise<GetDdmJobsResult> {
  const { settings, ...query } = args;
  const r = await listDdmJobs(await clientFor(settings), query);
  return { id: `ddm/jobs/${r.window.start}/${r.window.end}`, jobs: r.jobs, window: r.window, total: r.total, summary: r.summary };
}

/** getDdmJobs with Input arguments: waits for `dependsOn`, makes no call in preview while an input is unknown. */
export function getDdmJobsOutput(args: GetDdmJobsOutputArgs = {}, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetDdmJobsResult> {
  return invokeOutput<GetDdmJobsArgs, GetDdmJobsResult>(args as pulumi.Input<GetDdmJobsArgs>, opts, (a) => getDdmJobs(a));
}

// ---- getDdmJob ---------------------------------------------------------------------------------

export interface GetDdmJobArgs extends WithSettings {
  /** The job's id. */
  jobId: string;
}

export interface GetDdmJobOutputArgs {
  jobId: pulumi.Input<string>;
  settings?: pulumi.Input<ProviderSettings>;
}

/** The result of getDdmJob: the job's fields plus `phase`. */
export type GetDdmJobResult = DdmJob;

/** One DDM task (`GET /v3/{project_id}/jobs/{job_id}`). */
export async function getDdmJob(args: GetDdmJobArgs, _opts?: pulumi.InvokeOptions): Promise<GetDdmJobResult> {
  return coreGetDdmJob(await clientFor(args.settings), args.jobId);
}

export function getDdmJobOutput(args: GetDdmJobOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetDdmJobResult> {
  return invokeOutput<GetDdmJobArgs, GetDdmJobResult>(args as pulumi.Input<GetDdmJobArgs>, opts, (a) => getDdmJob(a));
}

// ---- getDdsJobs --------------------------------------------------------------------------------

/** Arguments of getDdsJobs: as getDdmJobs, but the window spans at most 30 days (rather than reaching 30 days back). */
export type GetDdsJobsArgs = GetDdmJobsArgs;

export type GetDdsJobsOutputArgs = GetDdmJobsOutputArgs;

/** The result of getDdsJobs. */
export interface GetDdsJobsResult {
  /** A stable id for this query. */
  readonly id: string;
  /** Matching jobs, newest first, plus `phase`. */
  readonly jobs: DdsJob[];
  /** The window queried, in ISO-8601 UTC. */
  readonly window: ResolvedWindow;
  /** Jobs read for the query before local filters (DDS reports no total of its own). */
  readonly total: number;
  readonly summary: JobSummary;
}

/** DDS tasks through the v3.1 task list (`GET /v3.1/{project_id}/jobs`). */
export async function getDdsJobs(args: GetDdsJobsArgs = {}, _opts?: pulumi.InvokeOptions): Promise<GetDdsJobsResult> {
  const { settings, ...query } = args;
  const r = await listDdsJobs(await clientFor(settings), query);
  return { id: `dds/jobs/${r.window.start}/${r.window.end}`, jobs: r.jobs, window: r.window, total: r.total, summary: r.summary };
}

export function getDdsJobsOutput(args: GetDdsJobsOutputArgs = {}, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetDdsJobsResult> {
  return invokeOutput<GetDdsJobsArgs, GetDdsJobsResult>(args as pulumi.Input<GetDdsJobsArgs>, opts, (a) => getDdsJobs(a));
}

// ---- getDdsJob ---------------------------------------------------------------------------------

export interface GetDdsJobArgs extends WithSettings {
  /** The job's id. A job created seconds ago may not be visible yet. */
  jobId: string;
}

export interface GetDdsJobOutputArgs {
  jobId: pulumi.Input<string>;
  settings?: pulumi.Input<ProviderSettings>;
}

export type GetDdsJobResult = DdsJob;

/** One DDS task (`GET /v3/{project_id}/jobs?id=`). */
export async function getDdsJob(args: GetDdsJobArgs, _opts?: pulumi.InvokeOptions): Promise<GetDdsJobResult> {
  return coreGetDdsJob(await clientFor(args.settings), args.jobId);
}

export function getDdsJobOutput(args: GetDdsJobOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetDdsJobResult> {
  return invokeOutput<GetDdsJobArgs, GetDdsJobResult>(args as pulumi.Input<GetDdsJobArgs>, opts, (a) => getDdsJob(a));
}

// ---- getDrsJobs --------------------------------------------------------------------------------

export interface GetDrsJobsArgs extends WithSettings {
  /** Keep jobs in these normalized phases (`failed`, `running`, `succeeded`, ...). */
  phase?: Phase | Phase[];
  /** Required by the API: `migration`, `sync` or `cloudDataGuard`. */
  dbUseType: DbUseType;
  /** `mysql`, `mongodb`, `postgresql`, ... */
  engineType?: string;
  /** `vpn`, `vpc` or `eip`. */
  netType?: "vpn" | "vpc" | "eip";
  /** DRS statuses (`FULL_TRANSFER_COMPLETE`, `INCRE_TRANSFER_STARTED`, ...). */
  status?: string | string[];
  /** Task names. */
  name?: string | string[];
  /** Job ids. */
  id?: string | string[];
  /** Return at most this many jobs. */
  maxItems?: number;
}

export interface GetDrsJobsOutputArgs {
  phase?: pulumi.Input<Phase | pulumi.Input<Phase>[]>;
  dbUseType: pulumi.Input<DbUseType>;
  engineType?: pulumi.Input<string>;
  netType?: pulumi.Input<"vpn" | "vpc" | "eip">;
  status?: pulumi.Input<string | pulumi.Input<string>[]>;
  name?: pulumi.Input<string | pulumi.Input<string>[]>;
  id?: pulumi.Input<string | pulumi.Input<string>[]>;
  maxItems?: pulumi.Input<number>;
  settings?: pulumi.Input<ProviderSettings>;
}

/** The result of getDrsJobs. */
export interface GetDrsJobsResult {
  /** A stable id for this query. */
  readonly id: string;
  /** Matching jobs with their child tasks, plus `phase`. */
  readonly jobs: DrsJob[];
  /** Jobs the API reported (`total_record`) before local filters and maxItems. */
  readonly total: number;
  readonly summary: JobSummary;
}

/** DRS tasks of one scenario (`POST /v3/{project_id}/jobs`). DRS lists have no time window. */
export async function getDrsJobs(args: GetDrsJobsArgs, _opts?: pulumi.InvokeOptions): Promise<GetDrsJobsResult> {
  const { settings, ...query } = args;
  const r = await listDrsJobs(await clientFor(settings), query);
  return { id: `drs/jobs/${args.dbUseType}`, jobs: r.jobs, total: r.total, summary: r.summary };
}

export function getDrsJobsOutput(args: GetDrsJobsOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetDrsJobsResult> {
  return invokeOutput<GetDrsJobsArgs, GetDrsJobsResult>(args as pulumi.Input<GetDrsJobsArgs>, opts, (a) => getDrsJobs(a));
}
