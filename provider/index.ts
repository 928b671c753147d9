/**
 * The core client: no Pulumi import, so the CLI starts fast and the dynamic provider can
 * `require("pulumi-otc-jobs/provider")` by name after serialization.
 */
export { Client, createClient, type ClientOptions } from "./client";
import { Client, type ClientOptions } from "./client";
import { resolveConfig, type ConfigSources } from "./config";

/**
 * A client from explicit arguments, the environment and clouds.yaml (see `resolveConfig`), plus
 * client-only options such as `logger` or `maxRetries`.
 */
export function clientFromConfig(sources: ConfigSources = {}, extra: Partial<ClientOptions> = {}): Client {
  return new Client(resolveConfig(sources).clientOptions(extra));
}
export * from "./errors";
export { CLOUDS, type CloudName, resolveEndpoints } from "./endpoints";
export type { RequestLogEvent, RequestLogger, RetryPolicy } from "./http";
export { FINISHED_PHASES, isFinished, KNOWN_STATUSES, PHASES, type JobSummary, type Phase, phaseOf, summarize } from "./jobs";
export type { Authenticator, OutgoingRequest } from "./auth/types";
export { tokenAuth } from "./auth/token";
export { akskAuth, signRequest } from "./auth/aksk";
export { passwordAuth } from "./auth/password";
export { listAccountProjects, regionOfProject, type AccountProject } from "./projects";
export { createClientFromEnv, type FromEnvOptions } from "./from-env";
export { ENVIRONMENT, ResolvedConfig, resolveConfig, SECRET_FIELDS, type ConfigSources, type Settings } from "./config";
export { formatDuration, parseDuration, type ResolvedWindow, type TimeInput } from "./time";
export * from "./services/ddm";
export * from "./services/dds";
export * from "./services/drs";
export type { CollectedJobs } from "./services/listing";
export { ddmRecord, ddsRecord, drsRecord, newestFirst, RECORD_FIELDS, type JobRecord, type RecordField } from "./records";
export {
  ddmFailReason,
  isJobNotFound,
  readSelection,
  waitForJobs,
  type JobSelection,
  type WaitOptions,
  type WaitOutcome,
  type WaitTarget,
  type WatchedJob,
} from "./wait";
export {
  checkGateInputs,
  gateInputsSchema,
  readGate,
  runGate,
  settingsFromStackConfig,
  STACK_CONFIG_KEYS,
  type GateFailure,
  type GateInputs,
  type GateOutputs,
} from "./gate";
