import type * as pulumi from "@pulumi/pulumi";
import { callFunction, type GetDdsJobsResult as CoreResult, type Phase } from "../provider";
import type { WithSettings, WithSettingsOutput } from "./common";
import { invokeOutput } from "./invoke";
import { clientFor } from "./settings";

export interface GetDdsJobsArgs extends WithSettings {
  /** Keep jobs in these normalized phases (`failed`, `running`, `succeeded`, ...). */
  phase?: Phase | Phase[];
  /** Window start: ISO-8601, epoch ms, or a duration before now (`"7d"`). Default `"7d"`. DDS limits the span: the window may cover at most 30 days, and may start earlier than 30 days ago. */
  startTime?: string | number;
  /** Window end: ISO-8601, epoch ms, or a duration before now. Default: now. */
  endTime?: string | number;
  /** Keep jobs in these DDS statuses (`Running`, `Completed`, `Failed`). */
  status?: string | string[];
  /** Keep jobs with these task names (`CreateMongoDB`, `RestartReplicaSetInstance`, ...). */
  name?: string | string[];
  /** Keep jobs with these ids. */
  id?: string | string[];
  /** Keep jobs of this DDS instance. */
  instanceId?: string;
  /** Return at most this many jobs. */
  maxItems?: number;
}

export interface GetDdsJobsOutputArgs extends WithSettingsOutput {
  /** Keep jobs in these normalized phases (`failed`, `running`, `succeeded`, ...). */
  phase?: pulumi.Input<Phase | pulumi.Input<Phase>[]>;
  /** Window start: ISO-8601, epoch ms, or a duration before now (`"7d"`). Default `"7d"`. DDS limits the span: the window may cover at most 30 days, and may start earlier than 30 days ago. */
  startTime?: pulumi.Input<string | number>;
  /** Window end: ISO-8601, epoch ms, or a duration before now. Default: now. */
  endTime?: pulumi.Input<string | number>;
  /** Keep jobs in these DDS statuses (`Running`, `Completed`, `Failed`). */
  status?: pulumi.Input<string | pulumi.Input<string>[]>;
  /** Keep jobs with these task names (`CreateMongoDB`, `RestartReplicaSetInstance`, ...). */
  name?: pulumi.Input<string | pulumi.Input<string>[]>;
  /** Keep jobs with these ids. */
  id?: pulumi.Input<string | pulumi.Input<string>[]>;
  /** Keep jobs of this DDS instance. */
  instanceId?: pulumi.Input<string>;
  /** Return at most this many jobs. */
  maxItems?: pulumi.Input<number>;
}

/**
 * The result of getDdsJobs: `jobs` newest first (the API's fields camelCased, plus `phase`), the
 * `window` queried, the `total` read before local filters (DDS reports no total of its own), and a `summary`. Its `id` is derived from
 * the arguments, so the same query keeps the same id in every run.
 */
export type GetDdsJobsResult = CoreResult;

/**
 * DDS tasks through the v3.1 task list (`GET /v3.1/{project_id}/jobs`) in a window spanning at most 30 days, every page
 * fetched. Runs in the program's process; `opts` are accepted for the generated-SDK shape.
 *
 * ## Example Usage
 * ```ts
 * const failed = await getDdsJobs({ startTime: "1d", phase: "failed" });
 * ```
 */
export async function getDdsJobs(args: GetDdsJobsArgs = {}, _opts?: pulumi.InvokeOptions): Promise<GetDdsJobsResult> {
  const { settings, ...query } = args;
  return callFunction("getDdsJobs", await clientFor(settings), query);
}

/** getDdsJobs with Input arguments: waits for `dependsOn`, makes no call in preview while an input is unknown. */
export function getDdsJobsOutput(args: GetDdsJobsOutputArgs = {}, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetDdsJobsResult> {
  return invokeOutput<GetDdsJobsArgs, GetDdsJobsResult>(args as pulumi.Input<GetDdsJobsArgs>, opts, (a) => getDdsJobs(a));
}
