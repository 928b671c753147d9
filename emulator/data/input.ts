/** What admin `addJob` accepts (all optional; defaults are filled in). */
import { z } from "zod";
import { SECOND, floorSecond } from "../time";

export interface JobTimelineInput {
  /** How long the job runs from its creation; default 30 s. 0 = already finished. */
  runForMs?: number;
  /**
   * Final status. DDM: any DDM status (Completed, Failed, ToBeSwitched, ...). DDS: Completed | Failed.
   * DRS: any DRS status, or "Completed"/"Failed" meaning the usual success/failure for its db_use_type.
   * Default: success.
   */
  outcome?: string;
  /** DDM/DDS `fail_reason`, DRS `error_msg`, when the outcome is a failure. */
  failReason?: string;
}

export interface AddJobInput {
  id?: string;
  name?: string;
  /** Default: emulator now. Rounded down to whole seconds. */
  createdAt?: Date | number | string;
  timeline?: JobTimelineInput;
  /** DDM, DDS */
  instanceId?: string;
  instanceName?: string;
  /** DDM */
  databaseName?: string;
  /** DRS */
  dbUseType?: "migration" | "sync" | "cloudDataGuard";
  engineType?: string;
  netType?: "vpn" | "vpc" | "eip";
  taskType?: "FULL_TRANS" | "FULL_INCR_TRANS" | "INCR_TRANS";
  jobDirection?: "up" | "down" | "non-dbs";
  description?: string;
  billingTag?: boolean;
  nodeNewFramework?: boolean;
  /** Number of child jobs (0-2) for sync/cloudDataGuard. */
  children?: number;
  enterpriseProjectId?: string;
  tags?: Record<string, string>;
  instanceIds?: string[];
}

/** The JSON form accepted by `POST /admin/jobs/{service}` (createdAt as epoch ms or ISO text); private so no zod type reaches the declarations. */
const addJobInputSchema = z.strictObject({
  id: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
  createdAt: z.union([z.number(), z.string()]).optional(),
  timeline: z
    .strictObject({
      runForMs: z.number().min(0).optional(),
      outcome: z.string().min(1).optional(),
      failReason: z.string().optional(),
    })
    .optional(),
  instanceId: z.string().min(1).optional(),
  instanceName: z.string().min(1).optional(),
  databaseName: z.string().optional(),
  dbUseType: z.enum(["migration", "sync", "cloudDataGuard"]).optional(),
  engineType: z.string().min(1).optional(),
  netType: z.enum(["vpn", "vpc", "eip"]).optional(),
  taskType: z.enum(["FULL_TRANS", "FULL_INCR_TRANS", "INCR_TRANS"]).optional(),
  jobDirection: z.enum(["up", "down", "non-dbs"]).optional(),
  description: z.string().optional(),
  billingTag: z.boolean().optional(),
  nodeNewFramework: z.boolean().optional(),
  children: z.number().int().min(0).max(2).optional(),
  enterpriseProjectId: z.string().optional(),
  tags: z.record(z.string(), z.string()).optional(),
  instanceIds: z.array(z.string()).optional(),
}) satisfies z.ZodType<AddJobInput>;

/** Reads an `addJob` body (throws zod's error, which the admin API answers with 400). */
export function parseAddJobInput(body: unknown): AddJobInput {
  return addJobInputSchema.parse(body);
}

export const DEFAULT_RUN_MS = 30 * SECOND;

/** The creation time of an added job, epoch ms rounded down to seconds. */
export function createdAtOf(input: AddJobInput, now: number): number {
  const v = input.createdAt;
  const ms = v === undefined ? now : v instanceof Date ? v.getTime() : typeof v === "number" ? v : Date.parse(v);
  if (!Number.isFinite(ms)) throw new RangeError(`createdAt is not a valid time: ${String(v)}`);
  return floorSecond(ms);
}

export function runForOf(input: AddJobInput): number {
  const ms = input.timeline?.runForMs ?? DEFAULT_RUN_MS;
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`timeline.runForMs must be a number >= 0, got ${ms}`);
  return ms;
}

export function outcomeOf<O extends string>(input: AddJobInput, allowed: readonly O[], fallback: O): O {
  const outcome = input.timeline?.outcome ?? fallback;
  if (!(allowed as readonly string[]).includes(outcome)) {
    throw new RangeError(`timeline.outcome must be one of ${allowed.join(", ")}; got ${outcome}`);
  }
  return outcome as O;
}
