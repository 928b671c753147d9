/**
 * Job ids as people type them: in full, or any unique prefix (the table shows 8 characters when the
 * terminal is narrow). A prefix is resolved by listing the service's jobs (DDM and DDS: the last 30
 * days, as far back as they keep or accept; DRS: every job), once per command.
 */
import { type Client, ddmRecord, ddsRecord, DDM_RETENTION_MS, JobNotFoundError, listDdmJobs, listDdsJobs, listDrsRecords } from "../provider";
import type { Service } from "./options";
import { UsageError } from "./exit";

/** Shorter than any id the services issue (DDM/DDS/DRS ids are 32–36 characters). */
const PREFIX_MAX_LENGTH = 31;

export function isPrefix(id: string): boolean {
  return id.length <= PREFIX_MAX_LENGTH;
}

async function knownIds(client: Client, service: Service, signal?: AbortSignal): Promise<string[]> {
  // A minute short of the retention edge, so the window is valid by the time it reaches the server.
  const startTime = Date.now() - DDM_RETENTION_MS + 60_000;
  switch (service) {
    case "ddm":
      return (await listDdmJobs(client, { startTime, signal })).jobs.map((j) => ddmRecord(j).id);
    case "dds":
      return (await listDdsJobs(client, { startTime, signal })).jobs.map((j) => ddsRecord(j).id);
    case "drs":
      return (await listDrsRecords(client, { signal })).map((j) => j.id);
  }
}

/** The full ids for `ids`: full ones as given, prefixes resolved (one listing for all of them). */
export async function resolveIds(client: Client, service: Service, ids: readonly string[], signal?: AbortSignal): Promise<string[]> {
  if (!ids.some(isPrefix)) return [...ids];
  const known = await knownIds(client, service, signal);
  return ids.map((id) => {
    if (!isPrefix(id)) return id;
    const hits = known.filter((k) => k.startsWith(id));
    if (hits.length === 1) return hits[0]!;
    if (!hits.length) throw new JobNotFoundError(service, [id], "no job id starts with it (DDM and DDS: of the last 30 days)");
    throw new UsageError("<job-id>", `"${id}" is the start of ${hits.length} job ids (${hits.slice(0, 3).join(", ")}${hits.length > 3 ? ", ..." : ""}): give more characters`);
  });
}
