import type * as pulumi from "@pulumi/pulumi";
import { callFunction, type DdmJob } from "../provider";
import type { WithSettings, WithSettingsOutput } from "./common";
import { invokeOutput } from "./invoke";
import { clientFor } from "./settings";

export interface GetDdmJobArgs extends WithSettings {
  /** The job's id. */
  jobId: string;
}

export interface GetDdmJobOutputArgs extends WithSettingsOutput {
  /** The job's id. */
  jobId: pulumi.Input<string>;
}

/** The result of getDdmJob: the job's fields plus `phase`. `failReason` is empty: the single-job API does not report it (use getDdmJobs). */
export type GetDdmJobResult = DdmJob;

/**
 * One DDM task (`GET /v3/{project_id}/jobs/{job_id}`).
 *
 * ## Example Usage
 * ```ts
 * const job = getDdmJobOutput({ jobId: migrationJobId });
 * export const migrationPhase = job.phase;
 * ```
 */
export async function getDdmJob(args: GetDdmJobArgs, _opts?: pulumi.InvokeOptions): Promise<GetDdmJobResult> {
  const { settings, ...query } = args;
  return callFunction("getDdmJob", await clientFor(settings), query);
}

/** getDdmJob with Input arguments: waits for `dependsOn`, makes no call in preview while an input is unknown. */
export function getDdmJobOutput(args: GetDdmJobOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetDdmJobResult> {
  return invokeOutput<GetDdmJobArgs, GetDdmJobResult>(args as pulumi.Input<GetDdmJobArgs>, opts, (a) => getDdmJob(a));
}
