import { setTimeout as sleepFor } from "node:timers/promises";
import type { Client } from "./client";
import { JobsFailedError, OtcApiError, type ServiceName, WaitTimeoutError } from "./errors";
import { type JobSummary, type Phase, summarize } from "./jobs";
import { DDM_RETENTION_MS, getDdmJob, listDdmJobs } from "./services/ddm";
import { getDdsJob, listDdsJobs } from "./services/dds";
import { type DbUseType, listDrsJobs } from "./services/drs";
import type { TimeInput } from "./time";

/** The fields a waiter reports of any service's job. */
export interface WatchedJob {
  service: ServiceName;
  id: string;
  name: string;
  status: string;
  phase: Phase;
  /** Why it failed, when the API says (DDM/DDS `fail_reason`, DRS `error_msg`). */
  failReason: string;
  /** ISO-8601 creation time, when known. */
  createdAt?: string;
}

export interface JobSelection {
  service: ServiceName;
  /** Wait for exactly these jobs; each must appear (a new DDS job can take seconds to be visible). */
  ids?: string[];
  /** Or: every job matching these filters (at least `minJobs` of them). */
  filter?: { instanceId?: string; name?: string | string[]; status?: string | string[]; startTime?: TimeInput; endTime?: TimeInput };
  /** DRS only; all three are searched when absent. */
  dbUseType?: DbUseType;
  /** With `filter`: how many jobs must match before the selection counts. Default 1. */
  minJobs?: number;
}

export interface WaitTarget {
  /** Phases that count as done. Default `["succeeded"]`. */
  phases?: Phase[];
  /** API statuses that count as done (DRS sync: `INCRE_TRANSFER_STARTED`). */
  statuses?: string[];
  /** Phases that fail the wait at once. Default `["failed", "canceled"]`. */
  failPhases?: Phase[];
}

export interface WaitOptions {
  timeoutMs: number;
  /** Longest pause between polls; the first polls come sooner. */
  pollIntervalMs: number;
  signal?: AbortSignal;
  /** Called after each poll with the jobs seen. */
  onPoll?: (jobs: WatchedJob[], state: { pending: WatchedJob[]; missing: string[]; elapsedMs: number }) => void;
}

export interface WaitOutcome {
  jobs: WatchedJob[];
  summary: JobSummary;
  polls: number;
  elapsedMs: number;
}

/** Codes with which a single-job lookup says "no such job (yet)". */
const NOT_FOUND = new Set(["DBS.300400", "DBS.280404", "DRS.M05003"]);

/** True when an error says the job does not exist, or is not visible yet (a new DDS job lags). */
export function isJobNotFound(e: unknown): e is OtcApiError {
  return e instanceof OtcApiError && (NOT_FOUND.has(e.apiCode) || e.status === 404);
}

interface AnyJob {
  id: string;
  name: string;
  status: string;
  phase: Phase;
  failReason?: string;
  errorMsg?: string;
  createdTime?: string;
  createdAt?: string;
  createTime?: string;
}

function watched(service: ServiceName, j: AnyJob): WatchedJob {
  return {
    service,
    id: j.id,
    name: j.name,
    status: j.status,
    phase: j.phase,
    failReason: j.failReason ?? j.errorMsg ?? "",
    createdAt: j.createdTime ?? j.createdAt ?? j.createTime,
  };
}

/**
 * DDM's single-job API carries no `fail_reason`; its list does. Reads it from a one-second window
 * of the list around the job's creation. Best effort: "" when the job is too old or the read fails.
 */
export async function ddmFailReason(client: Client, job: { id: string; createdAt?: string }, signal?: AbortSignal): Promise<string> {
  const created = job.createdAt ? Date.parse(job.createdAt) : Number.NaN;
  if (Number.isNaN(created) || Date.now() - created > DDM_RETENTION_MS - 3_600_000) return "";
  const listed = await listDdmJobs(client, { startTime: created - 1000, endTime: Math.min(Date.now(), created + 1000), id: job.id, signal }).catch(
    () => undefined,
  );
  return listed?.jobs[0]?.failReason ?? "";
}

async function addDdmFailReasons(client: Client, jobs: WatchedJob[], signal?: AbortSignal): Promise<void> {
  const missing = jobs.filter((j) => j.phase === "failed" && !j.failReason);
  await Promise.all(missing.map(async (j) => (j.failReason = await ddmFailReason(client, j, signal))));
}

/** Reads the selected jobs once; `missing` names the ids (or the filter) not seen. */
export async function readSelection(client: Client, sel: JobSelection, signal?: AbortSignal): Promise<{ jobs: WatchedJob[]; missing: string[] }> {
  if (sel.ids?.length) {
    if (sel.service === "drs") {
      // Without a dbUseType the listing covers all three scenarios.
      const list = await listDrsJobs(client, { dbUseType: sel.dbUseType, id: sel.ids, signal });
      const jobs = list.jobs.map((j) => watched("drs", j));
      return { jobs, missing: sel.ids.filter((id) => !jobs.some((j) => j.id === id)) };
    }
    const get = sel.service === "ddm" ? getDdmJob : getDdsJob;
    const found: Array<WatchedJob | undefined> = await Promise.all(
      sel.ids.map((id) =>
        get(client, id, { signal }).then(
          (j) => watched(sel.service, j),
          (e: unknown) => {
            if (isJobNotFound(e)) return undefined;
            throw e;
          },
        ),
      ),
    );
    const jobs = found.filter((j): j is WatchedJob => j !== undefined);
    if (sel.service === "ddm") await addDdmFailReasons(client, jobs, signal);
    return { jobs, missing: sel.ids.filter((id) => !jobs.some((j) => j.id === id)) };
  }
  const f = sel.filter ?? {};
  let jobs: WatchedJob[];
  if (sel.service === "drs") {
    const list = await listDrsJobs(client, { dbUseType: sel.dbUseType, name: f.name, status: f.status, signal });
    jobs = list.jobs.map((j) => watched("drs", j));
  } else {
    const args = { startTime: f.startTime, endTime: f.endTime, name: f.name, status: f.status, instanceId: f.instanceId, signal };
    const list = sel.service === "ddm" ? await listDdmJobs(client, args) : await listDdsJobs(client, args);
    jobs = (list.jobs as AnyJob[]).map((j) => watched(sel.service, j));
  }
  const min = sel.minJobs ?? 1;
  return { jobs, missing: jobs.length < min ? [`${min - jobs.length} more job(s) matching the filter`] : [] };
}

/**
 * Polls the selected jobs until all reach a target, one fails, or the timeout passes. Polls start
 * quickly and slow down to `pollIntervalMs`, so short jobs finish promptly without hammering the API.
 */
export async function waitForJobs(client: Client, sel: JobSelection, target: WaitTarget, opts: WaitOptions): Promise<WaitOutcome> {
  const phases = target.phases ?? ["succeeded"];
  const failPhases = target.failPhases ?? ["failed", "canceled"];
  const done = (j: WatchedJob) => phases.includes(j.phase) || (target.statuses?.includes(j.status) ?? false);
  const started = Date.now();
  const deadline = started + opts.timeoutMs;
  let delay = Math.min(1000, opts.pollIntervalMs);
  for (let polls = 1; ; polls++) {
    const { jobs, missing } = await readSelection(client, sel, opts.signal);
    const failed = jobs.filter((j) => !done(j) && failPhases.includes(j.phase));
    const pending = jobs.filter((j) => !done(j) && !failPhases.includes(j.phase));
    opts.onPoll?.(jobs, { pending, missing, elapsedMs: Date.now() - started });
    if (failed.length) throw new JobsFailedError(failed, jobs);
    if (!pending.length && !missing.length) return { jobs, summary: summarize(jobs), polls, elapsedMs: Date.now() - started };
    const left = deadline - Date.now();
    if (left <= 0) throw new WaitTimeoutError(opts.timeoutMs, pending, missing);
    await sleepFor(Math.min(delay, left), undefined, { signal: opts.signal });
    delay = Math.min(opts.pollIntervalMs, Math.ceil(delay * 1.5));
  }
}
