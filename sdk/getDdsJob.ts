import type * as pulumi from "@pulumi/pulumi";
import { callFunction, type DdsJob } from "../provider";
import type { WithSettings, WithSettingsOutput } from "./common";
import { invokeOutput } from "./invoke";
import { clientFor } from "./settings";

export interface GetDdsJobArgs extends WithSettings {
  /** The job's id. A job created seconds ago may not be visible yet. */
  jobId: string;
}

export interface GetDdsJobOutputArgs extends WithSettingsOutput {
  /** The job's id. A job created seconds ago may not be visible yet. */
  jobId: pulumi.Input<string>;
}

/** The result of getDdsJob: the job's fields plus `phase`. `failReason` is empty: the single-job API does not report it (use getDdsJobs). */
export type GetDdsJobResult = DdsJob;

/**
 * One DDS task (`GET /v3/{project_id}/jobs?id=`).
 *
 * ## Example Usage
 * ```ts
 * const job = getDdsJobOutput({ jobId: migrationJobId });
 * export const migrationPhase = job.phase;
 * ```
 */
export async function getDdsJob(args: GetDdsJobArgs, _opts?: pulumi.InvokeOptions): Promise<GetDdsJobResult> {
  const { settings, ...query } = args;
  return callFunction("getDdsJob", await clientFor(settings), query);
}

/** getDdsJob with Input arguments: waits for `dependsOn`, makes no call in preview while an input is unknown. */
export function getDdsJobOutput(args: GetDdsJobOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetDdsJobResult> {
  return invokeOutput<GetDdsJobArgs, GetDdsJobResult>(args as pulumi.Input<GetDdsJobArgs>, opts, (a) => getDdsJob(a));
}
