/**
 * Exit codes of `otc-jobs`, the same for every command (see cli/README.md):
 *
 *   0  done: the command did what was asked (`wait`: every job reached the target)
 *   1  `wait`: a job failed or was canceled (it cannot reach the target any more)
 *   2  `wait`: --timeout passed before every job reached the target
 *   3  bad usage or configuration: an unknown or invalid flag, a missing argument, no credentials,
 *      a job id the cloud does not know
 *   4  the cloud did not answer as it should: an API error, a network failure, a deadline, a reply
 *      of the wrong shape (a partial `list all` exits 4 too, after printing what it could read)
 *   5  the cloud rejected the credentials (invalid, expired, not allowed): renew or fix them
 *   130, 143  interrupted by SIGINT (Ctrl-C) or SIGTERM
 *
 * This module is loaded on every start, so it imports only the dependency-free error vocabulary.
 */
import { type ErrorCode, InvalidArgumentError } from "../provider/errors";

export const EXIT = {
  ok: 0,
  failed: 1,
  timeout: 2,
  usage: 3,
  api: 4,
  credentials: 5,
  sigint: 130,
  sigterm: 143,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The one table from the core's error codes to exit codes. */
export const EXIT_FOR_ERROR: Record<ErrorCode, ExitCode> = {
  OTCJOBS_INVALID_ARGUMENT: EXIT.usage,
  OTCJOBS_CONFIG: EXIT.usage,
  OTCJOBS_JOB_NOT_FOUND: EXIT.usage,
  OTCJOBS_AUTH: EXIT.credentials,
  OTCJOBS_API: EXIT.api,
  OTCJOBS_RESPONSE_SHAPE: EXIT.api,
  OTCJOBS_RESPONSE_TOO_LARGE: EXIT.api,
  OTCJOBS_TOO_MANY_REQUESTS: EXIT.api,
  OTCJOBS_DEADLINE: EXIT.api,
  OTCJOBS_ABORTED: EXIT.sigint,
  OTCJOBS_JOBS_FAILED: EXIT.failed,
  OTCJOBS_WAIT_TIMEOUT: EXIT.timeout,
};

/**
 * A mistake in how the CLI was called, found by the CLI itself (not by commander or the core):
 * an invalid argument whose source is the flag to fix (`--since`, `<job-id>`).
 */
export class UsageError extends InvalidArgumentError {
  override name = "UsageError";
  constructor(flag: string | undefined, detail: string) {
    super(flag ?? "otc-jobs", "usage", detail, flag ? { kind: "flag", flag } : undefined);
  }
}
