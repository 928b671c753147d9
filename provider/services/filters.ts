import { z } from "zod";
import { KNOWN_STATUSES, type Phase, PHASES } from "../jobs";
import { intIn, timeInput } from "../validate";
import type { ServiceName } from "../errors";
import { JOB_ID_PATTERN, type JobFilter } from "./args";

export type { JobFilter, WindowedListArgs } from "./args";
import { oneOrMany } from "../validate";

/** A status filter: one or several of the statuses the service documents. */
export function statusFilter(service: ServiceName) {
  const known = KNOWN_STATUSES[service];
  return oneOrMany(
    z.string().refine((s) => known.includes(s), {
      error: (iss) => `${JSON.stringify(iss.input)} is not a ${service.toUpperCase()} status; use one of ${known.join(", ")}`,
    }),
  );
}

/** Normalized phases (`failed`, `running`, ...): the same words for every service. */
export const phaseFilter = oneOrMany(
  z.enum(PHASES, { error: (iss) => `${JSON.stringify(iss.input)} is not a phase; use one of ${PHASES.join(", ")}` }),
);

export const nameFilter = oneOrMany(z.string().min(1, { error: "must not be empty" }));
export const idFilter = oneOrMany(z.string().min(1, { error: "must not be empty" }));

export function matches(
  job: { status: string; phase: Phase; name: string; id: string; instanceId?: string },
  f: JobFilter,
): boolean {
  return (
    (!f.status || f.status.includes(job.status)) &&
    (!f.phase || f.phase.includes(job.phase)) &&
    (!f.name || f.name.includes(job.name)) &&
    (!f.id || f.id.includes(job.id)) &&
    (!f.instanceId || job.instanceId === f.instanceId)
  );
}

export function hasClientFilter(f: JobFilter): boolean {
  return Boolean(f.status || f.phase || f.name || f.id || f.instanceId);
}

/** The APIs filter by one value; lists of several are applied locally. */
export function single(values: string[] | undefined): string | undefined {
  return values?.length === 1 ? values[0] : undefined;
}

/** A job id as the single-job APIs take it in their path or query. */
export const jobIdArg = z
  .string({ error: "is required" })
  .regex(JOB_ID_PATTERN, { error: "must be a job id (letters, digits and dashes)" });

/** The zod schema of `WindowedListArgs` for one service and its page-size limit. */
export function windowedListArgsSchema(service: ServiceName, maxPageSize: number) {
  return z
    .object({
      startTime: timeInput.optional(),
      endTime: timeInput.optional(),
      status: statusFilter(service).optional(),
      phase: phaseFilter.optional(),
      name: nameFilter.optional(),
      id: idFilter.optional(),
      instanceId: z.string().min(1).optional(),
      pageSize: intIn(1, maxPageSize).optional(),
      maxItems: intIn(1, 1_000_000).optional(),
      concurrency: intIn(1, 64).optional(),
      signal: z.instanceof(AbortSignal).optional(),
    })
    .strict();
}
