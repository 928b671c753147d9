/** `otc-jobs get <ddm|dds> <job-id>`: one job, field by field (or as one json/yaml object, or a csv row). */
import { addDdmFailReasons, type Client, InvalidArgumentError, JobNotFoundError, type JobRecord, readJob, type RecordField, isJobId } from "../../provider";
import { resolveIds } from "../ids";
import { type Io, openClient } from "../context";
import { EXIT, type ExitCode, UsageError } from "../exit";
import type { GlobalOptions, OutputFormat } from "../options";
import { colorsFor, formatJob, outputWidth, renderJobDetail } from "../output";

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

export interface GetFlags {
  output?: OutputFormat;
  fields?: RecordField[];
  headers?: boolean;
}

export async function runGet(io: Io, globals: GlobalOptions, service: "ddm" | "dds", id: string, flags: GetFlags): Promise<ExitCode> {
  if (!isJobId(id)) throw new UsageError("<job-id>", `"${id}" is not a job id (letters, digits and dashes, at most 64)`);
  const { client } = await openClient(globals, io);
  try {
    const [fullId] = await resolveIds(client, service, [id]);
    const job = await fetchJob(client, service, fullId!);
    const format = flags.output ?? "table";
    if (format === "table" || format === "wide") {
      io.stdout.write(`${renderJobDetail(job, { colors: colorsFor(io), width: outputWidth(io), fields: flags.fields })}\n`);
    } else {
      io.stdout.write(await formatJob(format, job, { fields: flags.fields, headers: flags.headers }));
    }
    return EXIT.ok;
  } finally {
    await client.close();
  }
}
