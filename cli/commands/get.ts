/** `otc-jobs get <ddm|dds> <job-id>`: one job, field by field (or as one json/yaml object, or a csv row). */
import { type Client, getDdmJob, getDdsJob, InvalidArgumentError, OtcApiError, readSelection } from "../../provider";
import { type Io, openClient } from "../context";
import { EXIT, type ExitCode, JobNotFoundError, UsageError } from "../exit";
import { type CliJob, fromDdm, fromDds } from "../jobs";
import type { GlobalOptions, OutputFormat } from "../options";
import { colorsFor, formatData, outputWidth, renderJobDetail } from "../output";

/** The codes DDM and DDS answer for a job id they do not know (or do not show yet). */
export const NOT_FOUND_CODES: Record<"ddm" | "dds", string> = { ddm: "DBS.300400", dds: "DBS.280404" };

export function isNotFound(service: "ddm" | "dds", e: unknown): e is OtcApiError {
  return e instanceof OtcApiError && (e.code === NOT_FOUND_CODES[service] || e.status === 404);
}

/** Reads one DDM or DDS job; an unknown id becomes `JobNotFoundError`, a malformed one `UsageError`. */
export async function fetchJob(client: Client, service: "ddm" | "dds", id: string, signal?: AbortSignal): Promise<CliJob> {
  try {
    return service === "ddm" ? fromDdm(await getDdmJob(client, id, { signal })) : fromDds(await getDdsJob(client, id, { signal }));
  } catch (e) {
    if (e instanceof InvalidArgumentError && e.argument === "jobId") {
      throw new UsageError("<job-id>", `"${id}" ${e.message.slice("jobId: ".length)}`);
    }
    throw e;
  }
}

/**
 * DDM's single-job API carries no fail_reason; the core's `readSelection` reads it from the list.
 * Best effort: a job keeps an empty reason if that read fails.
 */
export async function addFailReasons(client: Client, jobs: CliJob[], signal?: AbortSignal): Promise<void> {
  const missing = jobs.filter((j) => j.service === "ddm" && j.phase === "failed" && !j.failReason);
  if (!missing.length) return;
  try {
    const { jobs: read } = await readSelection(client, { service: "ddm", ids: missing.map((j) => j.id) }, signal);
    for (const j of missing) j.failReason = read.find((r) => r.id === j.id)?.failReason ?? "";
  } catch {
    // the reason is a nicety; the job's state is already known
  }
}

export async function runGet(io: Io, globals: GlobalOptions, service: "ddm" | "dds", id: string, flags: { output?: OutputFormat }): Promise<ExitCode> {
  const { client } = await openClient(globals, io);
  try {
    let job: CliJob;
    try {
      job = await fetchJob(client, service, id);
    } catch (e) {
      if (isNotFound(service, e)) {
        const lag = service === "dds" ? "; a DDS job created seconds ago may not be visible yet" : "";
        throw new JobNotFoundError(`${service.toUpperCase()} has no job ${id} (${e.code}: ${e.apiMessage})${lag}`);
      }
      throw e;
    }
    await addFailReasons(client, [job]);
    const format = flags.output ?? "table";
    if (format === "table") {
      io.stdout.write(`${renderJobDetail(job, { colors: colorsFor(io), width: outputWidth(io) })}\n`);
    } else {
      io.stdout.write(formatData(format, job));
    }
    return EXIT.ok;
  } finally {
    await client.close();
  }
}
