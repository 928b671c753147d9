/** `otc-jobs get <ddm|dds> <job-id>`: one job, field by field (or as one json/yaml object, or a csv row). */
import { type Client, ddmFailReason, getDdmJob, getDdsJob, InvalidArgumentError, isJobNotFound } from "../../provider";
import { type Io, openClient } from "../context";
import { EXIT, type ExitCode, JobNotFoundError, UsageError } from "../exit";
import { type CliJob, fromDdm, fromDds } from "../jobs";
import type { GlobalOptions, OutputFormat } from "../options";
import { colorsFor, formatData, outputWidth, renderJobDetail } from "../output";


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

/** DDM's single-job API carries no fail_reason: fill it in from the list (best effort). */
export async function addFailReasons(client: Client, jobs: CliJob[], signal?: AbortSignal): Promise<void> {
  const missing = jobs.filter((j) => j.service === "ddm" && j.phase === "failed" && !j.failReason);
  await Promise.all(missing.map(async (j) => (j.failReason = await ddmFailReason(client, { id: j.id, createdAt: j.created }, signal))));
}

export async function runGet(io: Io, globals: GlobalOptions, service: "ddm" | "dds", id: string, flags: { output?: OutputFormat }): Promise<ExitCode> {
  const { client } = await openClient(globals, io);
  try {
    let job: CliJob;
    try {
      job = await fetchJob(client, service, id);
    } catch (e) {
      if (isJobNotFound(e)) {
        const lag = service === "dds" ? "; a DDS job created seconds ago may not be visible yet" : "";
        throw new JobNotFoundError(`${service.toUpperCase()} has no job ${id} (${e.apiCode}: ${e.detail})${lag}`);
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
