import { z } from "zod";
import { Client } from "./client";
import { resolveConfig, type Settings } from "./config";
import { DB_USE_TYPES } from "./services/drs";
import { PHASES } from "./jobs";
import { parseDuration } from "./time";
import { waitForJobs, readSelection, type JobSelection, type WaitTarget } from "./wait";
import type { JobRecord } from "./records";
import type { JobSummary } from "./jobs";
import { summarize } from "./jobs";

/** Connection settings a gate may carry in state: nothing secret. */
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
    endpoints: z.object({ ddm: z.string(), dds: z.string(), drs: z.string(), iam: z.string() }).partial(),
    insecure: z.boolean(),
    osCloud: z.string(),
  })
  .partial()
  .strict();

const credentialsSchema = z
  .object({ token: z.string(), password: z.string(), secretKey: z.string(), securityToken: z.string() })
  .partial()
  .strict();

const duration = (what: string) =>
  z.string().refine((s) => parseDuration(s) !== undefined, { error: `must be a duration like 90s, 10m or 2h (${what})` });

const stringOrList = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/** What a `JobGate` takes, after Pulumi resolved its Inputs. */
export const gateInputsSchema = z
  .object({
    service: z.enum(["ddm", "dds", "drs"], { error: "must be ddm, dds or drs" }),
    jobIds: z.array(z.string().min(1)).min(1, { error: "must list at least one id (or select by filter)" }).optional(),
    instanceId: z.string().min(1).optional(),
    name: stringOrList.optional(),
    status: stringOrList.optional(),
    startTime: z.union([z.string(), z.number()]).optional(),
    endTime: z.union([z.string(), z.number()]).optional(),
    dbUseType: z.enum(DB_USE_TYPES, { error: `must be one of ${DB_USE_TYPES.join(", ")}` }).optional(),
    minJobs: z.number().int().min(0).max(10_000).optional(),
    targetPhases: z.array(z.enum(PHASES)).min(1).optional(),
    targetStatuses: z.array(z.string().min(1)).optional(),
    failPhases: z.array(z.enum(PHASES)).optional(),
    timeout: duration("how long to wait before failing").optional(),
    pollInterval: duration("the longest pause between checks").optional(),
    connection: connectionSchema.optional(),
    credentials: credentialsSchema.optional(),
  })
  .strict();

export type GateInputs = z.input<typeof gateInputsSchema>;

export interface GateOutputs {
  /** The selected jobs as last seen. */
  jobs: JobRecord[];
  summary: JobSummary;
  /** ISO time of the check. */
  checkedAt: string;
}

export interface GateFailure {
  property: string;
  reason: string;
}

/** Validates gate inputs; failures name the property, as Pulumi's `check` reports them. */
export function checkGateInputs(inputs: unknown): GateFailure[] {
  const parsed = gateInputsSchema.safeParse(stripPulumiFields(inputs));
  const failures: GateFailure[] = parsed.success
    ? []
    : parsed.error.issues.map((i) => ({
        property: i.code === "unrecognized_keys" ? i.keys.join(", ") : i.path.join(".") || "inputs",
        reason: i.code === "unrecognized_keys" ? "is not a JobGate input" : i.message,
      }));
  if (parsed.success) {
    const g = parsed.data;
    if (g.jobIds && (g.instanceId || g.name || g.status || g.startTime)) {
      failures.push({ property: "jobIds", reason: "select jobs either by jobIds or by filters (instanceId, name, status, startTime), not both" });
    }
    if (!g.jobIds && !g.instanceId && !g.name && !g.status && g.minJobs === undefined) {
      failures.push({ property: "jobIds", reason: "select jobs by jobIds or by a filter (instanceId, name, status)" });
    }
    if (g.service !== "drs" && g.dbUseType) failures.push({ property: "dbUseType", reason: "applies to DRS gates only" });
    if (g.service === "drs" && g.instanceId) failures.push({ property: "instanceId", reason: "DRS jobs have no instance id; select by jobIds or name" });
  }
  return failures;
}

/** Pulumi adds `__provider` (the serialized provider) and output placeholders to a dynamic resource's inputs. */
function stripPulumiFields(inputs: unknown): unknown {
  if (!inputs || typeof inputs !== "object") return inputs;
  const rest: Record<string, unknown> = { ...(inputs as Record<string, unknown>) };
  for (const k of ["__provider", "jobs", "summary", "checkedAt"]) delete rest[k];
  return rest;
}

function parseInputs(inputs: unknown): z.output<typeof gateInputsSchema> {
  const failures = checkGateInputs(inputs);
  if (failures.length) throw new Error(`invalid JobGate inputs: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
  return gateInputsSchema.parse(stripPulumiFields(inputs));
}

function selection(g: z.output<typeof gateInputsSchema>): { sel: JobSelection; target: WaitTarget } {
  return {
    sel: {
      service: g.service,
      ids: g.jobIds,
      filter: g.jobIds ? undefined : { instanceId: g.instanceId, name: g.name, status: g.status, startTime: g.startTime, endTime: g.endTime },
      dbUseType: g.dbUseType,
      minJobs: g.minJobs,
    },
    target: { phases: g.targetPhases, statuses: g.targetStatuses, failPhases: g.failPhases },
  };
}

/**
 * A client for a gate: connection settings from its inputs, credentials from its (secret) inputs,
 * then the stack's `otcjobs:*` config handed to the provider's `configure`, then the environment.
 * Nothing is captured when the provider is serialized: this runs at call time.
 */
function gateClient(g: z.output<typeof gateInputsSchema>, stackConfig: Settings | undefined, env: Record<string, string | undefined>): Client {
  const resolved = resolveConfig({ args: { ...g.connection, ...g.credentials }, pulumi: stackConfig, env });
  return new Client(resolved.clientOptions());
}

/** Waits until the gate's jobs are done (create/update). Throws naming each failed job, or on timeout. */
export async function runGate(
  inputs: unknown,
  stackConfig?: Settings,
  env: Record<string, string | undefined> = process.env,
): Promise<GateOutputs> {
  const g = parseInputs(inputs);
  const { sel, target } = selection(g);
  const client = gateClient(g, stackConfig, env);
  try {
    const outcome = await waitForJobs(client, sel, target, {
      maxWaitMs: parseDuration(g.timeout ?? "30m")!,
      maxDelayMs: parseDuration(g.pollInterval ?? "10s")!,
    });
    return { jobs: outcome.jobs, summary: outcome.summary, checkedAt: new Date().toISOString() };
  } finally {
    await client.close();
  }
}

/** Reads the gate's jobs as they are now, without waiting (refresh). */
export async function readGate(inputs: unknown, stackConfig?: Settings, env: Record<string, string | undefined> = process.env): Promise<GateOutputs> {
  const g = parseInputs(inputs);
  const client = gateClient(g, stackConfig, env);
  try {
    const { jobs } = await readSelection(client, selection(g).sel);
    return { jobs, summary: summarize(jobs), checkedAt: new Date().toISOString() };
  } finally {
    await client.close();
  }
}

/** The `otcjobs:*` keys the gate's provider reads from stack config in `configure`. */
export const STACK_CONFIG_KEYS: ReadonlyArray<keyof Settings> = [
  "cloud",
  "region",
  "projectId",
  "projectName",
  "token",
  "accessKey",
  "secretKey",
  "securityToken",
  "userName",
  "password",
  "domainName",
  "authUrl",
  "endpoint",
  "insecure",
  "cacert",
  "osCloud",
];

/** Turns `otcjobs:*` string values (as `configure` receives them) into settings. */
export function settingsFromStackConfig(get: (key: string) => string | undefined): Settings {
  const out: Record<string, unknown> = {};
  for (const key of STACK_CONFIG_KEYS) {
    const v = get(`otcjobs:${key}`);
    if (v === undefined || v === "") continue;
    out[key] = key === "insecure" ? v === "true" : v;
  }
  const endpoints = get("otcjobs:endpoints");
  if (endpoints) {
    try {
      out.endpoints = JSON.parse(endpoints);
    } catch {
      throw new Error("otcjobs:endpoints must be a JSON object like {\"ddm\": \"https://...\"}");
    }
  }
  return out as Settings;
}
