import { z } from "zod";
import { KNOWN_STATUSES, type Phase, PHASES } from "../jobs";
import type { ServiceName } from "../errors";
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

/** The filters every listing supports; each service sends what its API can filter and applies the rest here. */
export interface JobFilter {
  status?: string[];
  phase?: Phase[];
  name?: string[];
  id?: string[];
  instanceId?: string;
}

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
  .regex(/^[A-Za-z0-9-]{1,64}$/, { error: "must be a job id (letters, digits and dashes)" });
