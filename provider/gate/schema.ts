/**
 * The zod schema of a JobGate's inputs: the single source `check`, `diff`, the controller and the
 * plugin's schema.json read. Internal (zod types stay out of the public declarations).
 */
import { z } from "zod";
import { PHASES } from "../jobs";
import { DB_USE_TYPES } from "../services/drs";
import { jobIdArg } from "../services/filters";
import { formatDuration, parseDuration } from "../time";
import { MIN_POLL_INTERVAL_MS } from "../wait";

const connectionSchema = z
  .object({
    cloud: z.string(),
    region: z.string(),
    projectId: z.string(),
    projectName: z.string(),
    domainName: z.string(),
    userName: z.string(),
    accessKey: z.string(),
    authUrl: z.string(),
    endpoint: z.string(),
    endpoints: z.object({ ddm: z.string(), dds: z.string(), drs: z.string(), iam: z.string() }).partial().strict(),
    insecure: z.boolean(),
    osCloud: z.string(),
  })
  .partial()
  .strict();

const credentialsSchema = z
  .object({ token: z.string(), password: z.string(), secretKey: z.string(), securityToken: z.string() })
  .partial()
  .strict();

const duration = (what: string, minMs = 0) =>
  z.string({ error: `must be a duration like 90s, 10m or 2h (${what})` }).refine((s) => parseDuration(s) !== undefined, {
    error: (iss) => `${JSON.stringify(iss.input)} is not a duration like 90s, 10m or 2h (${what})`,
  }).refine((s) => (parseDuration(s) ?? minMs) >= minMs, { error: `must be at least ${formatDuration(minMs)} (${what})` });

const listOrOne = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], { error: "must be a string or a non-empty list of strings" });
const phase = z.enum(PHASES, { error: (iss) => `${JSON.stringify(iss.input)} is not a phase; use one of ${PHASES.join(", ")}` });

/** The gate's inputs, field by field. Every key here is an input; `diff` compares exactly these. */
export const gateInputShape = {
  service: z.enum(["ddm", "dds", "drs"], { error: (iss) => `${iss.input === undefined ? "is required" : `${JSON.stringify(iss.input)} is not a service`}; use ddm, dds or drs` }),
  jobIds: z.array(jobIdArg, { error: "must be a list of job ids" }).min(1, { error: "must list at least one id (or select by filter)" }).optional(),
  instanceId: z.string().min(1).optional(),
  name: listOrOne.optional(),
  status: listOrOne.optional(),
  startTime: z.union([z.string(), z.number()], { error: "must be ISO-8601, epoch ms or a duration like 7d" }).optional(),
  endTime: z.union([z.string(), z.number()], { error: "must be ISO-8601, epoch ms or a duration like 7d" }).optional(),
  dbUseType: z.enum(DB_USE_TYPES, { error: (iss) => `${JSON.stringify(iss.input)} is not a DRS scenario; use one of ${DB_USE_TYPES.join(", ")}` }).optional(),
  minJobs: z.number({ error: "must be a number" }).int().min(0).max(10_000).optional(),
  targetPhases: z.array(phase).min(1).optional(),
  targetStatuses: z.array(z.string().min(1)).optional(),
  failPhases: z.array(phase).optional(),
  timeout: duration("how long to wait before failing").optional(),
  pollInterval: duration("the longest pause between checks", MIN_POLL_INTERVAL_MS).optional(),
  notFoundGrace: duration("how long an id may stay unseen before the gate fails").optional(),
  connection: connectionSchema.optional(),
  credentials: credentialsSchema.optional(),
} as const;

export const gateInputsSchema = z.object(gateInputShape).strict();

