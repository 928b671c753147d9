import type * as pulumi from "@pulumi/pulumi";
import { callFunction, type GetDdmJobsResult as CoreResult, type Phase } from "../provider";
import type { WithSettings, WithSettingsOutput } from "./common";
import { invokeOutput } from "./invoke";
import { clientFor } from "./settings";

export interface GetDdmJobsArgs extends WithSettings {
  /** Keep jobs in these normalized phases (`failed`, `running`, `succeeded`, ...). */
  phase?: Phase | Phase[];
  /** Window start: ISO-8601, epoch ms, or a duration before now (`"7d"`). Default `"7d"`. DDM keeps 30 days: the window may start at most 30 days back. */
  startTime?: string | number;
  /** Window end: ISO-8601, epoch ms, or a duration before now. Default: now. */
  endTime?: string | number;
  /** Keep jobs in these DDM statuses (`Running`, `Completed`, `Failed`, `ToBeSwitched`, ...). */
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

export interface GetDdmJobsOutputArgs extends WithSettingsOutput {
  /** Keep jobs in these normalized phases (`failed`, `running`, `succeeded`, ...). */
  phase?: pulumi.Input<Phase | pulumi.Input<Phase>[]>;
  /** Window start: ISO-8601, epoch ms, or a duration before now (`"7d"`). Default `"7d"`. DDM keeps 30 days: the window may start at most 30 days back. */
  startTime?: pulumi.Input<string | number>;
  /** Window end: ISO-8601, epoch ms, or a duration before now. Default: now. */
  endTime?: pulumi.Input<string | number>;
  /** Keep jobs in these DDM statuses (`Running`, `Completed`, `Failed`, `ToBeSwitched`, ...). */
  status?: pulumi.Input<string | pulumi.Input<string>[]>;
  /** Keep jobs with these task names (`migrateLogicDb`, `CreateInstance`, ...). */
  name?: pulumi.Input<string | pulumi.Input<string>[]>;
  /** Keep jobs with these ids. */
  id?: pulumi.Input<string | pulumi.Input<string>[]>;
  /** Keep jobs of this DDM instance. */
  instanceId?: pulumi.Input<string>;
  /** Return at most this many jobs. */
  maxItems?: pulumi.Input<number>;
}

/**
 * The result of getDdmJobs: `jobs` newest first (the API's fields camelCased, plus `phase`), the
 * `window` queried, the `total` read before local filters, and a `summary`. Its `id` is derived from
 * the arguments, so the same query keeps the same id in every run.
 */
export type GetDdmJobsResult = CoreResult;

/**
 * DDM tasks (`GET /v3/{project_id}/jobs`) in a window reaching at most 30 days back, every page
 * fetched. Runs in the program's process; `opts` are accepted for the generated-SDK shape.
 *
 * ## Example Usage
 * ```ts
 * const failed = await getDdmJobs({ startTime: "1d", phase: "failed" });
 * ```
 */
export async function getDdmJobs(args: GetDdmJobsArgs = {}, _opts?: pulumi.InvokeOptions): Promise<GetDdmJobsResult> {
  const { settings, ...query } = args;
  return callFunction("getDdmJobs", await clientFor(settings), query);
}

/** getDdmJobs with Input arguments: waits for `dependsOn`, makes no call in preview while an input is unknown. */
export function getDdmJobsOutput(args: GetDdmJobsOutputArgs = {}, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetDdmJobsResult> {
  return invokeOutput<GetDdmJobsArgs, GetDdmJobsResult>(args as pulumi.Input<GetDdmJobsArgs>, opts, (a) => getDdmJobs(a));
}
