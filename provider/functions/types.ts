/**
 * The five data-source functions' arguments and results, by name: the zod-free face of the table
 * (public API through `pulumi-otc-jobs/provider`). A type test keeps the argument types equal to the
 * table's schemas.
 */
import type { JobSummary, PHASES } from "../jobs";
import type { DdmJob } from "../services/ddm";
import type { DdsJob } from "../services/dds";
import type { DB_USE_TYPES, DRS_ENGINE_TYPES, DRS_NET_TYPES, DrsJob } from "../services/drs";
import type { ResolvedWindow } from "../time";

// ---- results ----------------------------------------------------------------------------------

export interface WindowedJobsResult<J> {
  /** Derived from the query's arguments: the same query has the same id in every run. */
  readonly id: string;
  /** Matching jobs, newest first. */
  readonly jobs: J[];
  /** The window queried, in ISO-8601 UTC. */
  readonly window: ResolvedWindow;
  /** Jobs read for the window, before local filters and maxItems. */
  readonly total: number;
  readonly summary: JobSummary;
}

export type GetDdmJobsResult = WindowedJobsResult<DdmJob>;
export type GetDdsJobsResult = WindowedJobsResult<DdsJob>;
export interface GetDrsJobsResult {
  /** Derived from the query's arguments: the same query has the same id in every run. */
  readonly id: string;
  /** Matching jobs with their child tasks. */
  readonly jobs: DrsJob[];
  /** Jobs the API reported (`total_record`) before local filters and maxItems. */
  readonly total: number;
  readonly summary: JobSummary;
}

type Phase = (typeof PHASES)[number];

/** Arguments of getDdmJobs and getDdsJobs (each service words its window rule; see their docs). */
export interface WindowedJobsQuery {
  phase?: Phase | Phase[];
  startTime?: string | number;
  endTime?: string | number;
  status?: string | string[];
  name?: string | string[];
  id?: string | string[];
  instanceId?: string;
  maxItems?: number;
}

export interface OneJobQuery {
  jobId: string;
}

export type DrsEngineType = (typeof DRS_ENGINE_TYPES)[number];

export interface DrsJobsQuery {
  dbUseType: (typeof DB_USE_TYPES)[number];
  phase?: Phase | Phase[];
  engineType?: DrsEngineType;
  netType?: (typeof DRS_NET_TYPES)[number];
  status?: string | string[];
  name?: string | string[];
  id?: string | string[];
  maxItems?: number;
}

/** Each function's arguments and result, by name. A type test keeps the arguments equal to the table's schemas. */
export interface FunctionTypes {
  getDdmJobs: { args: WindowedJobsQuery; result: GetDdmJobsResult };
  getDdmJob: { args: OneJobQuery; result: DdmJob };
  getDdsJobs: { args: WindowedJobsQuery; result: GetDdsJobsResult };
  getDdsJob: { args: OneJobQuery; result: DdsJob };
  getDrsJobs: { args: DrsJobsQuery; result: GetDrsJobsResult };
}

export type FunctionName = keyof FunctionTypes;

