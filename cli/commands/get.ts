/** `otc-jobs get <ddm|dds> <job-id>`: one job, field by field (or as one json/yaml object, or a csv row). */
import { addDdmFailReasons, type Client, InvalidArgumentError, JobNotFoundError, type JobRecord, readJob } from "../../provider";
import { type Io, openClient } from "../context";
import { EXIT, type ExitCode, UsageError } from "../exit";
import type { GlobalOptions, OutputFormat } from "../options";
import { colorsFor, formatData, outputWidth, renderJobDetail } from "../output";

/** Reads one DDM or DDS job; an unknown id becomes `JobNotFoundError`, a malformed one names `<job-id>`. */
export async function fetchJob(client: Client, service: "ddm" | "dds", id: string, signal?: AbortSignal): Promise<JobRecord> {
  let job: JobRecord | undefined;
  try {
    job = await readJob(client, service, id, signal);
  } catch (e) {
    if (e instanceof InvalidArgumentError && e.argument === "jobId") throw new UsageError("<job-id>", `"${id}" ${e.detail}`);
    throw e;
  }
  if (!job) {
    const lag = service === "dds" ? "; a DDS job created seconds ago may not be visible yet" : "";
    throw new JobNotFoundError(service, [id], `the cloud does not know it${lag}`);
  }
  await addDdmFailReasons(client, [job], signal);
  return job;
}

export async function runGet(io: Io, globals: GlobalOptions, service: "ddm" | "dds", id: string, flags: { output?: OutputFormat }): Promise<ExitCode> {
  const { client } = await openClient(globals, io);
  try {
    const job = await fetchJob(client, service, id);
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
