/**
 * The argument shapes of the listings, as plain types: kept apart from their zod schemas
 * (`filters.ts`) so the public declarations name no zod type.
 */
import type { Phase } from "../jobs";
import type { TimeInput } from "../time";

/** The filters every listing supports; each service sends what its API can filter and applies the rest here. */
export interface JobFilter {
  status?: string[];
  phase?: Phase[];
  name?: string[];
  id?: string[];
  instanceId?: string;
}

/** Arguments every windowed listing (DDM, DDS) takes; each service documents its own limits. */
export interface WindowedListArgs {
  /** Window start: Date, ISO string, epoch ms, or a duration before now (`"7d"`). Default `"7d"`. */
  startTime?: TimeInput;
  /** Window end, pinned when the listing starts. Default: now. */
  endTime?: TimeInput;
  /** Keep jobs in these API statuses. */
  status?: string | string[];
  /** Keep jobs in these normalized phases (`failed`, `running`, ...); applied locally. */
  phase?: Phase | Phase[];
  /** Keep jobs with these task names. */
  name?: string | string[];
  /** Keep jobs with these ids. */
  id?: string | string[];
  /** Keep jobs of this instance. */
  instanceId?: string;
  /** Jobs per request, up to the service's maximum (its default). */
  pageSize?: number;
  /** Stop after this many matching jobs. */
  maxItems?: number;
  /** Pages in flight, held exactly; unset, the listing adapts it (8, or up to 32 once the first pages prove the total; at most 64). */
  concurrency?: number;
  signal?: AbortSignal;
}

/** What every job id of the three services looks like. */
export const JOB_ID_PATTERN = /^[A-Za-z0-9-]{1,64}$/;

/** True when `id` has the shape of a job id (the CLI checks ids before any request). */
export function isJobId(id: string): boolean {
  return JOB_ID_PATTERN.test(id);
}
