/**
 * pulumi-otc-jobs: read DDM, DDS and DRS jobs of Open Telekom Cloud and Huawei Cloud from Pulumi
 * programs, and gate deployments on them.
 */
export * from "./functions";
export { JobGate, type JobGateArgs, requireJobs } from "./gate";
export type { ProviderSettings } from "./settings";
export { JobsFailedError, WaitTimeoutError, OtcApiError, InvalidArgumentError, ConfigError, type JobRecord } from "../provider";
