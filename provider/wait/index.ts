/** The one waiter: an acceptor (`judge`), a selection reader and a poll loop. */
export { describeTarget, hintsFor, judge, SUCCEEDED, type Verdict, type WaitTarget } from "./target";
export { addDdmFailReasons, ddmFailReason, isJobNotFound, listDrsRecords, type JobSelection, readJob, readSelection, type SelectionRead } from "./select";
export { checkWaitOptions, MIN_POLL_INTERVAL_MS, WAIT_DEFAULTS, type WaitLimits } from "./defaults";
export { isTransient, pollDelay, type PollState, waitForJobs, type WaitOptions, type WaitOutcome } from "./poll";
