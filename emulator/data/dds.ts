/** DDS jobs: seeded generation, admin-added jobs, and the v3.1 list / v3 detail views. */
import type { Rng } from "../random";
import { MINUTE, SECOND } from "../time";
import { createdAtOf, outcomeOf, runForOf, type AddJobInput } from "./input";
import { planSlots, pool, type PlanProfile } from "./plan";
import { itemJson } from "./settled";
import { DEFAULT_SHAPES, offsetFor, offsetTimeAt, putText, type ResolvedShapes } from "./shapes";
import { buildTimeline, percentAt, runningAt, statusAt, type Timeline } from "./timeline";

export const DDS_STATUSES = ["Running", "Completed", "Failed"] as const;
export type DdsStatus = (typeof DDS_STATUSES)[number];
const DDS_FINAL: DdsStatus[] = ["Completed", "Failed"];

/** The v3.1 `name` enum. */
export const DDS_JOB_NAMES = [
  "CreateMongoDB", "CreateMongoDBReplica", "CreateMongoDBReplicaSingle", "EnlargeMongoDBVolume", "ResizeMongoDBInstance",
  "ResizeDfvMongoDBInstance", "EnlargeMongoDBGroup", "ReplicaSetEnlargeNode", "AddReadonlyNode", "RestartInstance",
  "RestartGroup", "RestartNode", "RestartReplicaSetInstance", "RestartReplicaSingleInstance", "SwitchPrimary", "ModifyIp",
  "ModifySecurityGroup", "ModifyPort", "BindPublicIP", "UnbindPublicIP", "SwitchInstanceSSL", "AzMigrate", "CreateIp",
  "ModifyOpLogSize", "RestoreMongoDB", "RestoreMongoDB_Replica", "RestoreMongoDB_Replica_Single",
  "RestoreMongoDB_Replica_PITR", "MongodbSnapshotBackup", "MongodbSnapshotEBackup", "MongodbRestoreData2CurrentInstance",
  "MongodbRestoreData2NewInstance", "MongodbPitr2CurrentInstance", "MongodbPitr2NewInstance", "MongodbRecycleBackup",
  "MongodbRestoreTable", "UpgradeDatabaseVersion",
] as const;

/** Common tasks weigh more. */
const COMMON = new Set(["CreateMongoDB", "CreateMongoDBReplica", "RestartReplicaSetInstance", "EnlargeMongoDBVolume",
  "ResizeMongoDBInstance", "MongodbSnapshotBackup", "RestartInstance", "SwitchPrimary"]);
const NAME_WEIGHTS = DDS_JOB_NAMES.map((name) => [name, COMMON.has(name) ? 5 : 1] as const);

const FAIL_REASONS = [
  "Insufficient quota. Increase the quota and try again.",
  "The instance status is abnormal. Try again later.",
  "Failed to resize the storage space: the disk is being used by another operation.",
  "Restoration failed: the backup file is damaged or does not exist.",
  "Failed to switch the primary node: the replica set is not healthy.",
];

const INSTANCE_SUFFIXES = ["sh", "rs", "single", "prod", "orders", "fwyrestore", "test"];

const PROFILE: PlanProfile<DdsStatus> = {
  outcomes: [["Completed", 90], ["Failed", 10]],
  success: "Completed",
  failure: "Failed",
  durationMs: [15 * SECOND, 25 * MINUTE],
};

export interface DdsJob {
  id: string;
  name: string;
  instanceId: string;
  instanceName: string;
  created: number;
  timeline: Timeline;
  failReason: string;
}

/** An item of `GET /v3.1/{project_id}/jobs`. */
export type DdsJobItem = {
  id: string;
  name: string;
  instance_id: string;
  instance_name: string;
  status: string;
  progress?: string | null;
  fail_reason?: string | null;
  created_at: string;
  ended_at: string;
}

/** The `job` of `GET /v3/{project_id}/jobs?id=`. */
export type DdsJobDetail = {
  id: string;
  name: string;
  status: string;
  created: string;
  ended: string;
  progress: string;
  instance: { id: string; name: string };
  fail_reason: string | null;
}

function newInstance(rng: Rng): { id: string; name: string } {
  return { id: `${rng.hex(32)}in02`, name: `dds-${rng.hex(4)}-${rng.pick(INSTANCE_SUFFIXES)}` };
}

function makeJob(
  id: string, name: string, instance: { id: string; name: string }, created: number, durationMs: number,
  outcome: DdsStatus, failReason: string,
): DdsJob {
  return {
    id,
    name,
    instanceId: instance.id,
    instanceName: instance.name,
    created,
    timeline: buildTimeline(created, durationMs, [["Running", 0]], outcome),
    failReason: outcome === "Failed" ? failReason : "",
  };
}

export function generateDdsJobs(rng: Rng, count: number, now: number): DdsJob[] {
  const instances = pool(rng, Math.max(3, Math.ceil(count / 15)), newInstance);
  return planSlots(rng, count, now, PROFILE).map((slot) =>
    makeJob(rng.uuid(), rng.weighted(NAME_WEIGHTS), rng.pick(instances), slot.created, slot.durationMs, slot.outcome,
      rng.pick(FAIL_REASONS)),
  );
}

export function ddsJobFromInput(rng: Rng, input: AddJobInput, now: number): DdsJob {
  const generated = newInstance(rng);
  return makeJob(
    input.id ?? rng.uuid(),
    input.name ?? "CreateMongoDB",
    { id: input.instanceId ?? generated.id, name: input.instanceName ?? generated.name },
    createdAtOf(input, now),
    runForOf(input),
    outcomeOf(input, DDS_FINAL, "Completed"),
    input.timeline?.failReason ?? FAIL_REASONS[0] ?? "",
  );
}

function endedAt(job: DdsJob, t: number, offset: string): string {
  return runningAt(job.timeline, t) ? "" : offsetTimeAt(job.timeline.ended, offset);
}

export function ddsItem(job: DdsJob, t: number, shapes: ResolvedShapes = DEFAULT_SHAPES): DdsJobItem {
  const status = statusAt(job.timeline, t);
  const offset = offsetFor(job.id, shapes);
  const item: DdsJobItem = {
    id: job.id,
    name: job.name,
    instance_id: job.instanceId,
    instance_name: job.instanceName,
    status,
    created_at: offsetTimeAt(job.created, offset),
    ended_at: endedAt(job, t, offset),
  };
  putText(item, "progress", percentAt(job.timeline, t), shapes);
  putText(item, "fail_reason", status === "Failed" ? job.failReason : "", shapes);
  return item;
}

/** `ddsItem` as JSON, cached once the job has ended. */
export const ddsItemJson = itemJson(ddsItem, (job: DdsJob) => job.timeline.ended);

/** The v3 lookup: `fail_reason` is null unless the task failed, as in every example of the reference. */
export function ddsDetail(job: DdsJob, t: number, shapes: ResolvedShapes = DEFAULT_SHAPES): DdsJobDetail {
  const status = statusAt(job.timeline, t);
  const offset = offsetFor(job.id, shapes);
  return {
    id: job.id,
    name: job.name,
    status,
    created: offsetTimeAt(job.created, offset),
    ended: endedAt(job, t, offset),
    progress: percentAt(job.timeline, t),
    instance: { id: job.instanceId, name: job.instanceName },
    fail_reason: status === "Failed" ? job.failReason : null,
  };
}
