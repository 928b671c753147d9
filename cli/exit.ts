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
 *
 * This module is loaded on every start, so it imports nothing.
 */
export const EXIT = {
  ok: 0,
  failed: 1,
  timeout: 2,
  usage: 3,
  api: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * A mistake in how the CLI was called, found by the CLI itself (not by commander or the core).
 * `flag` names what to fix (`--since`, `<job-id>`).
 */
export class UsageError extends Error {
  override name = "UsageError";
  constructor(
    readonly flag: string | undefined,
    message: string,
  ) {
    super(flag ? `${flag}: ${message}` : message);
  }
}

/** A job id the cloud reports as unknown (after the grace period, for `wait`). */
export class JobNotFoundError extends Error {
  override name = "JobNotFoundError";
}
