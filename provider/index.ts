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
export { DEFAULT_MAX_RESPONSE_BYTES, type RequestLogEvent, type RequestLogger, type RetryPolicy } from "./http";
/** Replaces each secret (and its JSON- and URL-escaped forms) in a text with `[redacted]`. */
export { redact as redactSecrets } from "./http/responseErrors";
export { DRS_PHASES, DRS_SCENARIOS, type DrsScenario, FINISHED_PHASES, isFinished, KNOWN_STATUSES, PHASE_TABLES, PHASES, type JobSummary, type Phase, phaseOf, summarize } from "./jobs";
export type { Authenticator, OutgoingRequest } from "./http";
export { tokenAuth } from "./auth/token";
export { akskAuth, signRequest } from "./auth/aksk";
export { passwordAuth } from "./auth/password";
export { listAccountProjects, regionOfProject, type AccountProject } from "./projects";
export { createClientFromEnv, type FromEnvOptions } from "./from-env";
export { ENVIRONMENT, ResolvedConfig, resolveConfig, SECRET_FIELDS, type ConfigSources, type Settings } from "./config";
export { formatDuration, parseDuration, resolveTime, resolveWindow, type ResolvedWindow, type TimeInput, type WindowRules } from "./time";
export { isJobId } from "./services/args";
export { eachItem } from "./paginate";
export * from "./services/ddm";
export * from "./services/dds";
export * from "./services/drs";
export type { CollectedJobs } from "./services/listing";
export type { ReadProblem } from "./services/read";
export type { JobPages, ListResult } from "./services/windowed";
export { ddmRecord, ddsRecord, drsRecord, newestFirst, RECORD_FIELDS, type JobRecord, type RecordField } from "./records";
export {
  addDdmFailReasons,
  ddmFailReason,
  describeTarget,
  hintsFor,
  isJobNotFound,
  isTransient,
  judge,
  listDrsRecords,
  MIN_POLL_INTERVAL_MS,
  checkWaitOptions,
  pollDelay,
  readJob,
  readSelection,
  SUCCEEDED,
  WAIT_DEFAULTS,
  waitForJobs,
  type JobSelection,
  type PollState,
  type SelectionRead,
  type Verdict,
  type WaitOptions,
  type WaitOutcome,
  type WaitTarget,
} from "./wait";
export * from "./gate";
export {
  callFunction,
  FUNCTION_NAMES,
  queryId,
  type DrsEngineType,
  type DrsJobsQuery,
  type FunctionName,
  type FunctionTypes,
  type GetDdmJobsResult,
  type GetDdsJobsResult,
  type GetDrsJobsResult,
  type OneJobQuery,
  type WindowedJobsQuery,
  type WindowedJobsResult,
} from "./functions";
