/**
 * pulumi-otc-jobs: read DDM, DDS and DRS jobs of Open Telekom Cloud and Huawei Cloud from Pulumi
 * programs, and gate deployments on them.
 */
export * from "./getDdmJobs";
export * from "./getDdmJob";
export * from "./getDdsJobs";
export * from "./getDdsJob";
export * from "./getDrsJobs";
export type { WithSettings, WithSettingsOutput } from "./common";
export { JobGate, type JobGateArgs, requireJobs, type RequireJobsOptions } from "./gate";
export type { ProviderSettings } from "./settings";
export type { DbUseType, DdmJob, DdsJob, DrsJob, DrsChildJob, GateJob, JobRecord, JobSummary, Phase, ResolvedWindow } from "../provider";
export { ConfigError, InvalidArgumentError, JobNotFoundError, JobsFailedError, OtcApiError, OtcJobsError, WaitTimeoutError } from "../provider";
