/** DDM jobs: seeded generation, admin-added jobs, and the API views at a point in time. */
import type { Rng } from "../random";
import { MINUTE, SECOND } from "../time";
import { createdAtOf, outcomeOf, runForOf, type AddJobInput } from "./input";
import { planSlots, pool, type PlanProfile } from "./plan";
import { itemJson } from "./settled";
import { DEFAULT_SHAPES, offsetFor, offsetTimeAt, putText, type ResolvedShapes } from "./shapes";
import { buildTimeline, percentAt, runningAt, statusAt, type Timeline } from "./timeline";

export const DDM_STATUSES = [
  "Running", "Completed", "Failed", "Expanding", "Canceling", "Rollbacking",
  "RollbackSuccess", "CancelSuccess", "ToBeSwitched", "Switching",
] as const;
export type DdmStatus = (typeof DDM_STATUSES)[number];
/** Statuses a job may end in (everything but Running). */
const DDM_FINAL = DDM_STATUSES.filter((s) => s !== "Running");

export interface DdmJob {
  id: string;
  name: string;
  instanceId: string;
  instanceName: string;
  databaseName: string;
  created: number;
  timeline: Timeline;
  failReason: string;
  /** `operations` once the run has ended. */
  finalOperations: string[];
}

/** An item of `GET /v3/{project_id}/jobs` (optional texts may be null or absent, per `ShapeOptions.emptyText`). */
export type DdmJobItem = {
  id: string;
  name: string;
  status: string;
  created_time: string;
  end_time: string;
  process?: string | null;
  instance_id: string;
  instance_name: string;
  fail_reason?: string | null;
  database_name?: string | null;
  operations: string[];
}

/** The `job` of `GET /v3/{project_id}/jobs/{job_id}`. */
export type DdmJobDetail = {
  id: string;
  name: string;
  status: string;
  created_time: string;
  end_time: string;
  process?: string | null;
  instance: { id: string; name: string };
}

const NAME_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ["CreateInstance", 14], ["migrateLogicDb", 14], ["EnlargeNode", 10], ["RestartInstance", 10], ["loadMetadata", 6],
  ["BindEIP", 6], ["RestartNode", 6], ["ReduceNode", 5], ["deleteConsistentBackup", 5], ["UnbindEIP", 4],
  ["RestoreInstance", 4], ["CreateGroup", 4], ["DeleteInstance", 4], ["DeleteGroup", 3], ["retryMigrateLogicDb", 3],
];
/** Shard-configuration tasks: the ones that can wait for a switch, be rolled back or canceled. */
const SHARD_TASKS = ["migrateLogicDb", "retryMigrateLogicDb"];
const DATABASE_TASKS = new Set(["migrateLogicDb", "retryMigrateLogicDb", "loadMetadata"]);
const SHARD_OUTCOMES = new Set<string>(["ToBeSwitched", "RollbackSuccess", "CancelSuccess", "Expanding", "Switching", "Rollbacking", "Canceling"]);

const FAIL_REASONS = [
  "Failed to create the DDM instance: insufficient resources in the selected AZ.",
  "Failed to migrate the logical database: shard data verification timed out.",
  "The associated RDS instance is abnormal or being modified.",
  "Failed to bind the EIP: the EIP is already bound to another resource.",
  "Node restart timed out.",
  "Failed to load metadata: the schema information of the RDS instance cannot be read.",
];

const INSTANCE_WORDS = ["orders", "billing", "users", "analytics", "catalog", "dtc-src", "payments", "inventory"];

const PROFILE: PlanProfile<DdmStatus> = {
  outcomes: [["Completed", 80], ["Failed", 10], ["ToBeSwitched", 5], ["CancelSuccess", 3], ["RollbackSuccess", 2]],
  success: "Completed",
  failure: "Failed",
  durationMs: [20 * SECOND, 40 * MINUTE],
};

function finalOperations(name: string, outcome: string): string[] {
  if (outcome === "ToBeSwitched") return ["modifySwitchingStrategy", "toBeCanceled"];
  if (outcome === "Failed" && SHARD_TASKS.includes(name)) return ["toBeRetried", "toBeRolled"];
  return [];
}

interface JobFields {
  id: string;
  name: string;
  instance: { id: string; name: string };
  databaseName: string;
  created: number;
  durationMs: number;
  outcome: string;
  failReason: string;
}

/**
 * The statuses a run passes through before its outcome. Shard configurations (migrateLogicDb) go
 * through every shard state the reference lists: Expanding, then Switching, Canceling or
 * Rollbacking on the way to Completed, CancelSuccess or RollbackSuccess.
 */
function phasesOf(name: string, outcome: string): Array<readonly [string, number]> {
  if (!SHARD_TASKS.includes(name)) return [["Running", 0]];
  const steps: Array<readonly [string, number]> = [["Running", 0], ["Expanding", 0.15]];
  if (outcome === "Completed") steps.push(["ToBeSwitched", 0.6], ["Switching", 0.8]);
  else if (outcome === "CancelSuccess") steps.push(["Canceling", 0.7]);
  else if (outcome === "RollbackSuccess") steps.push(["Rollbacking", 0.7]);
  return steps;
}

function makeJob(f: JobFields): DdmJob {
  return {
    id: f.id,
    name: f.name,
    instanceId: f.instance.id,
    instanceName: f.instance.name,
    databaseName: f.databaseName,
    created: f.created,
    timeline: buildTimeline(f.created, f.durationMs, phasesOf(f.name, f.outcome), f.outcome),
    failReason: f.outcome === "Failed" ? f.failReason : "",
    finalOperations: finalOperations(f.name, f.outcome),
  };
}

function newInstance(rng: Rng): { id: string; name: string } {
  return { id: `${rng.hex(32)}in09`, name: `ddm-${rng.pick(INSTANCE_WORDS)}-${rng.hex(4)}` };
}

export function generateDdmJobs(rng: Rng, count: number, now: number): DdmJob[] {
  const instances = pool(rng, Math.max(3, Math.ceil(count / 15)), newInstance);
  return planSlots(rng, count, now, PROFILE).map((slot) => {
    const name = SHARD_OUTCOMES.has(slot.outcome) ? rng.pick(SHARD_TASKS) : rng.weighted(NAME_WEIGHTS);
    return makeJob({
      id: rng.uuid(),
      name,
      instance: rng.pick(instances),
      databaseName: DATABASE_TASKS.has(name) ? `db_${rng.hex(4)}` : "",
      created: slot.created,
      durationMs: slot.durationMs,
      outcome: slot.outcome,
      failReason: rng.pick(FAIL_REASONS),
    });
  });
}

export function ddmJobFromInput(rng: Rng, input: AddJobInput, now: number): DdmJob {
  const outcome = outcomeOf(input, DDM_FINAL, "Completed");
  const name = input.name ?? (SHARD_OUTCOMES.has(outcome) ? "migrateLogicDb" : "CreateInstance");
  const generated = newInstance(rng);
  return makeJob({
    id: input.id ?? rng.uuid(),
    name,
    instance: { id: input.instanceId ?? generated.id, name: input.instanceName ?? generated.name },
    databaseName: input.databaseName ?? (DATABASE_TASKS.has(name) ? `db_${rng.hex(4)}` : ""),
    created: createdAtOf(input, now),
    durationMs: runForOf(input),
    outcome,
    failReason: input.timeline?.failReason ?? FAIL_REASONS[0] ?? "",
  });
}

function endTime(job: DdmJob, status: string, t: number, offset: string): string {
  // A job waiting for its switch shows its creation time as end time (as in the API example).
  if (status === "ToBeSwitched") return offsetTimeAt(job.created, offset);
  if (runningAt(job.timeline, t)) return "";
  return offsetTimeAt(job.timeline.ended, offset);
}

/** Operations an operator may take now: a waiting switch can be switched or canceled, a failed shard task retried or rolled back. */
function operationsAt(job: DdmJob, status: string, t: number): string[] {
  if (status === "ToBeSwitched") return ["modifySwitchingStrategy", "toBeCanceled"];
  return runningAt(job.timeline, t) ? [] : [...job.finalOperations];
}

export function ddmItem(job: DdmJob, t: number, shapes: ResolvedShapes = DEFAULT_SHAPES): DdmJobItem {
  const status = statusAt(job.timeline, t);
  const offset = offsetFor(job.id, shapes);
  const item: DdmJobItem = {
    id: job.id,
    name: job.name,
    status,
    created_time: offsetTimeAt(job.created, offset),
    end_time: endTime(job, status, t, offset),
    instance_id: job.instanceId,
    instance_name: job.instanceName,
    operations: operationsAt(job, status, t),
  };
  // A switch waiting for its operator shows no progress, as in the reference's example.
  putText(item, "process", status === "ToBeSwitched" ? "" : percentAt(job.timeline, t), shapes);
  putText(item, "fail_reason", status === "Failed" ? job.failReason : "", shapes);
  putText(item, "database_name", job.databaseName, shapes);
  return item;
}

/** `ddmItem` as JSON, cached once the job has ended. */
export const ddmItemJson = itemJson(ddmItem, (job: DdmJob) => job.timeline.ended);

export function ddmDetail(job: DdmJob, t: number, shapes: ResolvedShapes = DEFAULT_SHAPES): DdmJobDetail {
  const status = statusAt(job.timeline, t);
  const offset = offsetFor(job.id, shapes);
  const detail: DdmJobDetail = {
    id: job.id,
    name: job.name,
    status,
    created_time: offsetTimeAt(job.created, offset),
    end_time: endTime(job, status, t, offset),
    instance: { id: job.instanceId, name: job.instanceName },
  };
  putText(detail, "process", status === "ToBeSwitched" ? "" : percentAt(job.timeline, t), shapes);
  return detail;
}
