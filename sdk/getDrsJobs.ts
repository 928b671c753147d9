import type * as pulumi from "@pulumi/pulumi";
import { callFunction, type DbUseType, type DrsEngineType, type GetDrsJobsResult as CoreResult, type Phase } from "../provider";
import type { WithSettings, WithSettingsOutput } from "./common";
import { invokeOutput } from "./invoke";
import { clientFor } from "./settings";

export interface GetDrsJobsArgs extends WithSettings {
  /** Required by the API: `migration`, `sync` or `cloudDataGuard`. */
  dbUseType: DbUseType;
  /** Keep jobs in these normalized phases (`failed`, `running`, `succeeded`, ...). */
  phase?: Phase | Phase[];
  /** `mysql` (the API's default), `mongodb`, `postgresql`, ... */
  engineType?: DrsEngineType;
  /** `vpn`, `vpc` or `eip`. */
  netType?: "vpn" | "vpc" | "eip";
  /** Keep jobs in these DRS statuses (`FULL_TRANSFER_COMPLETE`, `INCRE_TRANSFER_STARTED`, ...). */
  status?: string | string[];
  /** Keep jobs with these task names. */
  name?: string | string[];
  /** Keep jobs with these ids. */
  id?: string | string[];
  /** Return at most this many jobs. */
  maxItems?: number;
}

export interface GetDrsJobsOutputArgs extends WithSettingsOutput {
  /** Required by the API: `migration`, `sync` or `cloudDataGuard`. */
  dbUseType: pulumi.Input<DbUseType>;
  /** Keep jobs in these normalized phases (`failed`, `running`, `succeeded`, ...). */
  phase?: pulumi.Input<Phase | pulumi.Input<Phase>[]>;
  /** `mysql` (the API's default), `mongodb`, `postgresql`, ... */
  engineType?: pulumi.Input<DrsEngineType>;
  /** `vpn`, `vpc` or `eip`. */
  netType?: pulumi.Input<"vpn" | "vpc" | "eip">;
  /** Keep jobs in these DRS statuses (`FULL_TRANSFER_COMPLETE`, `INCRE_TRANSFER_STARTED`, ...). */
  status?: pulumi.Input<string | pulumi.Input<string>[]>;
  /** Keep jobs with these task names. */
  name?: pulumi.Input<string | pulumi.Input<string>[]>;
  /** Keep jobs with these ids. */
  id?: pulumi.Input<string | pulumi.Input<string>[]>;
  /** Return at most this many jobs. */
  maxItems?: pulumi.Input<number>;
}

/**
 * The result of getDrsJobs: `jobs` with their child tasks, plus `phase`; the `total` the API reported
 * before local filters; a `summary`. Its `id` is derived from the arguments, so the same query keeps
 * the same id in every run.
 */
export type GetDrsJobsResult = CoreResult;

/**
 * DRS tasks of one scenario (`POST /v3/{project_id}/jobs`), every page fetched. DRS lists have no
 * time window.
 *
 * ## Example Usage
 * ```ts
 * const syncs = getDrsJobsOutput({ dbUseType: "sync", status: "INCRE_TRANSFER_STARTED" });
 * ```
 */
export async function getDrsJobs(args: GetDrsJobsArgs, _opts?: pulumi.InvokeOptions): Promise<GetDrsJobsResult> {
  const { settings, ...query } = args;
  return callFunction("getDrsJobs", await clientFor(settings), query);
}

/** getDrsJobs with Input arguments: waits for `dependsOn`, makes no call in preview while an input is unknown. */
export function getDrsJobsOutput(args: GetDrsJobsOutputArgs, opts?: pulumi.InvokeOutputOptions): pulumi.Output<GetDrsJobsResult> {
  return invokeOutput<GetDrsJobsArgs, GetDrsJobsResult>(args as pulumi.Input<GetDrsJobsArgs>, opts, (a) => getDrsJobs(a));
}
