/** The one waiter: an acceptor (`judge`), a selection reader and a poll loop. */
export { describeTarget, hintsFor, judge, SUCCEEDED, type Verdict, type WaitTarget } from "./target";
export { addDdmFailReasons, ddmFailReason, isJobNotFound, listDrsRecords, type JobSelection, readJob, readSelection, type SelectionRead } from "./select";
export { isTransient, MIN_POLL_INTERVAL_MS, pollDelay, type PollState, WAIT_DEFAULTS, waitForJobs, type WaitOptions, type WaitOutcome } from "./poll";
