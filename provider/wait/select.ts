/**
 * Reads a selection of jobs once: exact ids, or every job matching filters. DRS is read across all
 * scenarios unless one is named.
 */
import type { Client } from "../client";
import { OtcApiError, type ServiceName } from "../errors";
import { ddmRecord, ddsRecord, drsRecord, type JobRecord } from "../records";
import { DDM_RETENTION_MS, getDdmJob, listDdmJobs } from "../services/ddm";
import { getDdsJob, listDdsJobs } from "../services/dds";
import { type DbUseType, listDrsJobs, type ListDrsJobsArgs } from "../services/drs";
import type { TimeInput } from "../time";
import { linkedSignal } from "../http/call";

export interface JobSelection {
  service: ServiceName;
  /** Exactly these jobs; each must appear (a new DDS job can take seconds to be visible). */
  ids?: readonly string[];
  /** Or: every job matching these filters (at least `minJobs` of them). */
  filter?: { instanceId?: string; name?: string | string[]; status?: string | string[]; startTime?: TimeInput; endTime?: TimeInput };
  /** DRS only; all scenarios are searched when absent. */
  dbUseType?: DbUseType;
  /** With `filter`: how many jobs must match before the selection counts. Default 1. */
  minJobs?: number;
}

export interface SelectionRead {
  jobs: JobRecord[];
  /** Ids not seen; for a filter, a sentence saying how many more jobs are needed. */
  missing: string[];
}

/** Codes with which a single-job lookup says "no such job (yet)". */
const NOT_FOUND = new Set(["DBS.300400", "DBS.280404", "DRS.M05003"]);

/** True when an error says the job does not exist, or is not visible yet (a new DDS job lags). */
export function isJobNotFound(e: unknown): e is OtcApiError {
  // A 404 from the gateway itself (APIGW.0101 "API not exist": a wrong endpoint or path) is a
  // configuration fault, not a missing job: it must not be waited out as "not visible yet".
  return e instanceof OtcApiError && (NOT_FOUND.has(e.apiCode) || (e.status === 404 && !e.apiCode.startsWith("APIGW.")));
}

/** Every DRS job matching `args`, as records, across the scenarios asked for (all three by default). */
export async function listDrsRecords(
  client: Client,
  args: Omit<ListDrsJobsArgs, "dbUseType"> & { dbUseType?: DbUseType },
): Promise<JobRecord[]> {
  // Without a dbUseType, listDrsJobs reads all three scenarios itself.
  const list = await listDrsJobs(client, args);
  return list.jobs.map(drsRecord);
}

/**
 * DDM's single-job API carries no `fail_reason`; its list does. Reads it from a one-second window
 * of the list around the job's creation. Best effort: "" when the job is too old or the read fails.
 */
export async function ddmFailReason(client: Client, job: Pick<JobRecord, "id" | "created">, signal?: AbortSignal): Promise<string> {
  const created = job.created ? Date.parse(job.created) : Number.NaN;
  if (Number.isNaN(created) || Date.now() - created > DDM_RETENTION_MS - 3_600_000) return "";
  const listed = await listDdmJobs(client, { startTime: created - 1000, endTime: Math.min(Date.now(), created + 1000), id: job.id, signal }).catch(
    () => undefined,
  );
  return listed?.jobs[0]?.failReason ?? "";
}

/** Fills `failReason` of failed DDM records that lack one (in place). */
export async function addDdmFailReasons(client: Client, jobs: JobRecord[], signal?: AbortSignal): Promise<void> {
  const missing = jobs.filter((j) => j.service === "ddm" && j.phase === "failed" && !j.failReason);
  await Promise.all(missing.map(async (j) => (j.failReason = await ddmFailReason(client, j, signal))));
}

/** One DDM or DDS job as a record, or undefined when the cloud does not know it (yet). */
export async function readJob(client: Client, service: "ddm" | "dds", id: string, signal?: AbortSignal): Promise<JobRecord | undefined> {
  try {
    return service === "ddm" ? ddmRecord(await getDdmJob(client, id, { signal })) : ddsRecord(await getDdsJob(client, id, { signal }));
  } catch (e) {
    if (isJobNotFound(e)) return undefined;
    throw e;
  }
}

/**
 * Runs the reads together; the first to fail aborts the others, and none is left running when this
 * settles: a read left behind would keep its connection (and `client.close()`) busy until its own
 * timeout, and the next poll would start another beside it.
 */
async function readAll<T>(signal: AbortSignal | undefined, reads: (signal: AbortSignal) => Array<Promise<T>>): Promise<T[]> {
  const link = linkedSignal(signal);
  let first: { error: unknown } | undefined;
  try {
    const settled = await Promise.allSettled(
      reads(link.signal).map((p) =>
        p.catch((e: unknown) => {
          if (!first) {
            first = { error: e };
            link.abort(e);
          }
          throw e;
        }),
      ),
    );
    if (first) throw first.error;
    return settled.map((r) => (r as PromiseFulfilledResult<T>).value);
  } finally {
    link.dispose();
  }
}

/** Reads the selected jobs once. */
export async function readSelection(client: Client, sel: JobSelection, signal?: AbortSignal): Promise<SelectionRead> {
  if (sel.ids?.length) {
    const ids = [...sel.ids];
    let jobs: JobRecord[];
    if (sel.service === "drs") {
      jobs = await listDrsRecords(client, { dbUseType: sel.dbUseType, id: ids, signal });
    } else {
      const service = sel.service;
      const found = await readAll(signal, (each) => ids.map((id) => readJob(client, service, id, each)));
      jobs = found.filter((j): j is JobRecord => j !== undefined);
      if (service === "ddm") await addDdmFailReasons(client, jobs, signal);
    }
    const seen = new Set(jobs.map((j) => j.id));
    return { jobs: jobs.filter((j) => ids.includes(j.id)), missing: ids.filter((id) => !seen.has(id)) };
  }
  const f = sel.filter ?? {};
  let jobs: JobRecord[];
  if (sel.service === "drs") {
    jobs = await listDrsRecords(client, { dbUseType: sel.dbUseType, name: f.name, status: f.status, signal });
  } else {
    const args = { startTime: f.startTime, endTime: f.endTime, name: f.name, status: f.status, instanceId: f.instanceId, signal };
    jobs = sel.service === "ddm" ? (await listDdmJobs(client, args)).jobs.map(ddmRecord) : (await listDdsJobs(client, args)).jobs.map(ddsRecord);
  }
  const min = sel.minJobs ?? 1;
  return { jobs, missing: jobs.length < min ? [`${min - jobs.length} more job(s) matching the filter`] : [] };
}
