/**
 * DRS jobs: seeded generation, admin-added jobs and the JobInfo view. Migrations run CREATING ->
 * STARTJOBING -> FULL_TRANSFER_STARTED -> FULL_TRANSFER_COMPLETE; sync and cloudDataGuard jobs end in
 * INCRE_TRANSFER_STARTED and stay there. A parent with children shows a CHILD_TRANSFER_* status
 * derived from its children's. Seeded outcomes cover every status of both clouds: tasks left in
 * CONFIGURATION or WAITING_FOR_START, paused (PAUSING), changed (CHANGE_JOB_*), rebuilt
 * (REBUILD_NODE_*), upgraded (NODE_UPGRADE_*), released (RELEASE_RESOURCE_*) and DELETED.
 */
import type { Rng } from "../random";
import { HOUR, MINUTE, drsTime } from "../time";
import { createdAtOf, runForOf, type AddJobInput } from "./input";
import { planSlots, pool, type PlanProfile } from "./plan";
import { itemJson } from "./settled";
import { DEFAULT_SHAPES, putText, type ResolvedShapes } from "./shapes";
import { buildTimeline, statusAt, type Timeline } from "./timeline";

/** OTC's 23 statuses and the 6 HW adds. */
export const DRS_STATUSES = [
  "CREATING", "CREATE_FAILED", "CONFIGURATION", "STARTJOBING", "WAITING_FOR_START", "START_JOB_FAILED", "PAUSING",
  "FULL_TRANSFER_STARTED", "FULL_TRANSFER_FAILED", "FULL_TRANSFER_COMPLETE", "INCRE_TRANSFER_STARTED",
  "INCRE_TRANSFER_FAILED", "RELEASE_RESOURCE_STARTED", "RELEASE_RESOURCE_FAILED", "RELEASE_RESOURCE_COMPLETE",
  "CHANGE_JOB_STARTED", "CHANGE_JOB_FAILED", "CHILD_TRANSFER_STARTING", "CHILD_TRANSFER_STARTED",
  "CHILD_TRANSFER_COMPLETE", "CHILD_TRANSFER_FAILED", "RELEASE_CHILD_TRANSFER_STARTED",
  "RELEASE_CHILD_TRANSFER_COMPLETE",
  "REBUILD_NODE_STARTED", "REBUILD_NODE_FAILED", "DELETED", "NODE_UPGRADE_START", "NODE_UPGRADE_COMPLETE",
  "NODE_UPGRADE_FAILED",
] as const;

export const DB_USE_TYPES = ["migration", "sync", "cloudDataGuard"] as const;
export type DbUseType = (typeof DB_USE_TYPES)[number];
export type TaskType = "FULL_TRANS" | "FULL_INCR_TRANS" | "INCR_TRANS";
export const NET_TYPES = ["vpn", "vpc", "eip"] as const;

export interface DrsJob {
  id: string;
  name: string;
  description: string;
  created: number;
  timeline: Timeline;
  engineType: string;
  netType: string;
  billingTag: boolean;
  jobDirection: string;
  dbUseType: DbUseType;
  taskType: TaskType;
  nodeNewFramework: boolean;
  /** Shown in `error_msg` once the job has failed. */
  errorMsg: string;
  children: DrsJob[];
  /** Filter-only fields (not in JobInfo). */
  enterpriseProjectId: string;
  tags: Record<string, string>;
  instanceIds: string[];
}

/** Huawei Cloud's `job_action` (`JobActionResp`). */
export type DrsJobAction = {
  available_actions: string[];
  unavailable_actions: string[];
  current_action: string;
};

/** A `ChildrenJobInfo`: every field of the reference's table, plus Huawei Cloud's `job_action`. */
export type DrsChildInfo = {
  billing_tag: boolean;
  create_time: string;
  db_use_type: string;
  description?: string | null;
  engine_type: string;
  error_msg?: string;
  id: string;
  job_direction: string;
  name: string;
  net_type: string;
  node_newFramework: boolean;
  status: string;
  task_type: string;
  job_action?: DrsJobAction;
}

/** An item of `POST /v3/{project_id}/jobs`. */
export type DrsJobInfo = {
  id: string;
  name: string;
  status: string;
  description?: string | null;
  create_time: string;
  engine_type: string;
  net_type: string;
  billing_tag: boolean;
  job_direction: string;
  db_use_type: string;
  task_type: string;
  children: DrsChildInfo[];
  node_newFramework: boolean;
  /** Only on failed jobs by default, as in OTC's example. */
  error_msg?: string;
  job_action?: DrsJobAction;
}

type Outcome =
  | "success" | "failed" | "createFailed" | "released" | "releaseFailed" | "configuring" | "scheduled" | "paused"
  | "changeFailed" | "rebuildFailed" | "deleted" | "upgraded" | "upgradeFailed";

const PROFILE: PlanProfile<Outcome> = {
  outcomes: [
    ["success", 58], ["failed", 9], ["createFailed", 4], ["released", 10], ["releaseFailed", 1], ["configuring", 3],
    ["scheduled", 2], ["paused", 3], ["changeFailed", 2], ["rebuildFailed", 1], ["deleted", 3], ["upgraded", 3], ["upgradeFailed", 1],
  ],
  success: "success",
  failure: "failed",
  durationMs: [2 * MINUTE, 8 * HOUR],
};

/** Engine types per scenario, from both clouds' references and Huawei Cloud's SDK enums. */
const ENGINES: Record<DbUseType, ReadonlyArray<readonly [string, number]>> = {
  migration: [["mysql", 50], ["mongodb", 15], ["postgresql", 10], ["mysql-to-taurus", 15], ["gaussdbv5", 10]],
  sync: [["mysql", 40], ["postgresql", 20], ["mysql-to-taurus", 20], ["mysql-to-kafka", 8], ["taurus-to-kafka", 6], ["gaussdbv5ha-to-kafka", 6]],
  cloudDataGuard: [
    ["cloudDataGuard-mysql", 60], ["cloudDataGuard-ddm", 10], ["cloudDataGuard-mysql-to-taurus", 10],
    ["cloudDataGuard-taurus-to-mysql", 10], ["cloudDataGuard-cassandra", 10],
  ],
};

const ERRORS = [
  "Failed to connect to the source database: Communications link failure.",
  "The binlog_format of the source database is not ROW.",
  "Insufficient disk space on the destination database.",
  "Table `orders`.`order_items` has no primary key; full migration failed.",
  "The destination database account lacks the required privileges.",
];

const DESCRIPTIONS = ["nightly sync of orders", "migrate billing to the cloud", "DR for the shop database", "reporting replica"];
const NAME_SUFFIXES = ["lws", "prod", "test", "orders", "billing", "dr", "mig"];
const ID_ENDINGS = ["101", "502", "21", "11", "105", "201", "301"];

function drsId(rng: Rng): string {
  const ending = rng.pick(ID_ENDINGS);
  return `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-${rng.hex(4)}-${rng.hex(10 - ending.length)}jb${ending}`;
}

function drsName(rng: Rng): string {
  const base = `DRS-${rng.digits(4)}`;
  return rng.chance(0.4) ? `${base}-${rng.pick(NAME_SUFFIXES)}` : base;
}

function finalStatus(rng: Rng, outcome: Outcome, use: DbUseType, taskType: TaskType): string {
  switch (outcome) {
    case "success":
      return use === "migration" ? "FULL_TRANSFER_COMPLETE" : "INCRE_TRANSFER_STARTED";
    case "createFailed":
      return "CREATE_FAILED";
    case "released":
      return "RELEASE_RESOURCE_COMPLETE";
    case "releaseFailed":
      return "RELEASE_RESOURCE_FAILED";
    case "configuring":
      return "CONFIGURATION";
    case "scheduled":
      return "WAITING_FOR_START";
    case "paused":
      return "PAUSING";
    case "changeFailed":
      return "CHANGE_JOB_FAILED";
    case "rebuildFailed":
      return "REBUILD_NODE_FAILED";
    case "deleted":
      return "DELETED";
    case "upgraded":
      return use === "migration" ? "FULL_TRANSFER_COMPLETE" : "INCRE_TRANSFER_STARTED";
    case "upgradeFailed":
      return "NODE_UPGRADE_FAILED";
    case "failed":
      if (use === "migration") return rng.weighted([["FULL_TRANSFER_FAILED", 3], ["START_JOB_FAILED", 1]] as const);
      return taskType === "INCR_TRANS" ? "INCRE_TRANSFER_FAILED" : rng.weighted([["INCRE_TRANSFER_FAILED", 2], ["FULL_TRANSFER_FAILED", 1]] as const);
  }
}

/** The statuses a job passes through before `final`; `outcome` tells runs that end alike apart (an upgrade). */
function pathTo(final: string, use: DbUseType, taskType: TaskType, outcome?: Outcome): string[] {
  const start = ["CREATING", "CONFIGURATION", "STARTJOBING"];
  const full = taskType === "INCR_TRANS" ? [] : use === "migration" ? ["FULL_TRANSFER_STARTED"] : ["FULL_TRANSFER_STARTED", "FULL_TRANSFER_COMPLETE"];
  const running = [...start, ...full, ...(use === "migration" ? [] : ["INCRE_TRANSFER_STARTED"])];
  if (outcome === "upgraded") return [...running, "NODE_UPGRADE_START", "NODE_UPGRADE_COMPLETE"];
  switch (final) {
    case "CREATE_FAILED":
    case "CONFIGURATION":
      return ["CREATING"];
    case "WAITING_FOR_START":
      return ["CREATING", "CONFIGURATION"];
    case "PAUSING":
      return running;
    case "CHANGE_JOB_FAILED":
      return [...running, "CHANGE_JOB_STARTED"];
    case "REBUILD_NODE_FAILED":
      return [...running, "REBUILD_NODE_STARTED"];
    case "NODE_UPGRADE_FAILED":
      return [...running, "NODE_UPGRADE_START"];
    case "DELETED":
      return [...running, "RELEASE_RESOURCE_STARTED", "RELEASE_RESOURCE_COMPLETE"];
    case "START_JOB_FAILED":
      return start;
    case "FULL_TRANSFER_COMPLETE":
    case "FULL_TRANSFER_FAILED":
      return [...start, "FULL_TRANSFER_STARTED"];
    case "INCRE_TRANSFER_STARTED":
      return [...start, ...full];
    case "INCRE_TRANSFER_FAILED":
      return [...start, ...full, "INCRE_TRANSFER_STARTED"];
    case "RELEASE_RESOURCE_COMPLETE":
    case "RELEASE_RESOURCE_FAILED": {
      const work = use === "migration" ? ["FULL_TRANSFER_STARTED", "FULL_TRANSFER_COMPLETE"] : [...full, "INCRE_TRANSFER_STARTED"];
      return [...start, ...work, "RELEASE_RESOURCE_STARTED"];
    }
    default:
      return ["CREATING"];
  }
}

function drsTimeline(created: number, durationMs: number, final: string, use: DbUseType, taskType: TaskType, outcome?: Outcome): Timeline {
  const path = pathTo(final, use, taskType, outcome);
  // CREATING at 0, STARTJOBING at 10 %, the rest spread over the remaining 80 %.
  const phases = path.map((status, i) => [status, i === 0 ? 0 : i === 1 ? 0.1 : 0.2 + ((i - 2) * 0.8) / Math.max(1, path.length - 2)] as const);
  return buildTimeline(created, durationMs, phases, final);
}

const isFailure = (status: string): boolean => status.endsWith("_FAILED");

interface Shape {
  use: DbUseType;
  taskType: TaskType;
  engineType: string;
  netType: string;
  jobDirection: string;
}

function randomShape(rng: Rng, use: DbUseType): Shape {
  const taskType: TaskType =
    use === "migration" ? "FULL_TRANS" : use === "sync" ? rng.weighted([["FULL_INCR_TRANS", 7], ["INCR_TRANS", 3]] as const) : "FULL_INCR_TRANS";
  return {
    use,
    taskType,
    engineType: rng.weighted(ENGINES[use]),
    netType: rng.weighted([["vpc", 5], ["eip", 3], ["vpn", 2]] as const),
    jobDirection: use === "cloudDataGuard" ? rng.weighted([["up", 6], ["down", 4]] as const) : rng.weighted([["up", 17], ["non-dbs", 2], ["down", 1]] as const),
  };
}

interface Common {
  description: string;
  billingTag: boolean;
  nodeNewFramework: boolean;
  enterpriseProjectId: string;
  tags: Record<string, string>;
  instanceIds: string[];
}

function makeJob(
  id: string, name: string, shape: Shape, common: Common, created: number, durationMs: number, final: string,
  errorMsg: string, children: DrsJob[], outcome?: Outcome,
): DrsJob {
  return {
    id,
    name,
    description: common.description,
    created,
    timeline: drsTimeline(created, durationMs, final, shape.use, shape.taskType, outcome),
    engineType: shape.engineType,
    netType: shape.netType,
    billingTag: common.billingTag,
    jobDirection: shape.jobDirection,
    dbUseType: shape.use,
    taskType: shape.taskType,
    nodeNewFramework: common.nodeNewFramework,
    errorMsg: isFailure(final) ? errorMsg : "",
    children,
    enterpriseProjectId: common.enterpriseProjectId,
    tags: common.tags,
    instanceIds: common.instanceIds,
  };
}

/** Children run alongside the parent; the last ends with it. With a failed parent only the first child fails. */
function makeChildren(
  rng: Rng, count: number, parentName: string, shape: Shape, common: Common, created: number, durationMs: number,
  final: string, errorMsg: string, success: string,
): DrsJob[] {
  return Array.from({ length: count }, (_, i) => {
    const last = i === count - 1;
    const childDuration = last ? durationMs : Math.floor(durationMs * (0.8 + 0.2 * rng.next()));
    const childFinal = isFailure(final) && i > 0 ? success : final;
    const childShape = shape.use === "cloudDataGuard" ? { ...shape, jobDirection: i === 0 ? "up" : "down" } : shape;
    return makeJob(drsId(rng), `${parentName}-${i + 1}`, childShape, common, created, childDuration, childFinal, errorMsg, []);
  });
}

export function generateDrsJobs(rng: Rng, count: number, now: number): DrsJob[] {
  const enterpriseProjects = ["0", "0", "0", rng.uuid(), rng.uuid()];
  const rdsInstances = pool(rng, Math.max(4, Math.ceil(count / 10)), (r) => `${r.hex(32)}in01`);
  return planSlots(rng, count, now, PROFILE).map((slot, index) => {
    // The first job (the one ending soonest) is a migration, so a demo can wait for FULL_TRANSFER_COMPLETE.
    const use: DbUseType = index === 0 ? "migration" : rng.weighted([["migration", 60], ["sync", 25], ["cloudDataGuard", 15]] as const);
    const shape = randomShape(rng, use);
    const final = finalStatus(rng, slot.outcome, use, shape.taskType);
    const common: Common = {
      description: rng.chance(0.4) ? rng.pick(DESCRIPTIONS) : "",
      billingTag: rng.chance(0.1),
      nodeNewFramework: rng.chance(0.7),
      enterpriseProjectId: rng.pick(enterpriseProjects),
      tags: rng.chance(0.3) ? { env: rng.pick(["prod", "test"]), team: rng.pick(["data", "shop", "platform"]) } : {},
      instanceIds: [rng.pick(rdsInstances), rng.pick(rdsInstances)],
    };
    const errorMsg = rng.pick(ERRORS);
    const name = drsName(rng);
    const childCount = use !== "migration" && final !== "CREATE_FAILED" && rng.chance(0.3) ? rng.int(1, 2) : 0;
    const success = use === "migration" ? "FULL_TRANSFER_COMPLETE" : "INCRE_TRANSFER_STARTED";
    const children = makeChildren(rng, childCount, name, shape, common, slot.created, slot.durationMs, final, errorMsg, success);
    return makeJob(drsId(rng), name, shape, common, slot.created, slot.durationMs, final, errorMsg, children, slot.outcome);
  });
}

/** "Completed"/"Failed" or any DRS status. */
function inputFinal(outcome: string | undefined, use: DbUseType): string {
  if (outcome === undefined || outcome === "Completed") return use === "migration" ? "FULL_TRANSFER_COMPLETE" : "INCRE_TRANSFER_STARTED";
  if (outcome === "Failed") return use === "migration" ? "FULL_TRANSFER_FAILED" : "INCRE_TRANSFER_FAILED";
  if ((DRS_STATUSES as readonly string[]).includes(outcome)) return outcome;
  throw new RangeError(`timeline.outcome must be Completed, Failed or a DRS status (${DRS_STATUSES.join(", ")}); got ${outcome}`);
}

export function drsJobFromInput(rng: Rng, input: AddJobInput, now: number): DrsJob {
  const use = input.dbUseType ?? "migration";
  const random = randomShape(rng, use);
  const shape: Shape = {
    use,
    taskType: input.taskType ?? random.taskType,
    engineType: input.engineType ?? (use === "cloudDataGuard" ? "cloudDataGuard-mysql" : "mysql"),
    netType: input.netType ?? "vpc",
    jobDirection: input.jobDirection ?? "up",
  };
  const final = inputFinal(input.timeline?.outcome, use);
  const common: Common = {
    description: input.description ?? "",
    billingTag: input.billingTag ?? false,
    nodeNewFramework: input.nodeNewFramework ?? true,
    enterpriseProjectId: input.enterpriseProjectId ?? "0",
    tags: { ...(input.tags ?? {}) },
    instanceIds: [...(input.instanceIds ?? [])],
  };
  const created = createdAtOf(input, now);
  const runFor = runForOf(input);
  const errorMsg = input.timeline?.failReason ?? ERRORS[0] ?? "";
  const name = input.name ?? drsName(rng);
  const success = use === "migration" ? "FULL_TRANSFER_COMPLETE" : "INCRE_TRANSFER_STARTED";
  const children = makeChildren(rng, input.children ?? 0, name, shape, common, created, runFor, final, errorMsg, success);
  return makeJob(input.id ?? drsId(rng), name, shape, common, created, runFor, final, errorMsg, children);
}

function parentStatus(childStatuses: string[]): string {
  if (childStatuses.some(isFailure)) return "CHILD_TRANSFER_FAILED";
  if (childStatuses.every((s) => s === "CREATING" || s === "CONFIGURATION" || s === "STARTJOBING")) return "CHILD_TRANSFER_STARTING";
  if (childStatuses.every((s) => s === "RELEASE_RESOURCE_COMPLETE")) return "RELEASE_CHILD_TRANSFER_COMPLETE";
  if (childStatuses.some((s) => s.startsWith("RELEASE_RESOURCE"))) return "RELEASE_CHILD_TRANSFER_STARTED";
  if (childStatuses.every((s) => s === "FULL_TRANSFER_COMPLETE")) return "CHILD_TRANSFER_COMPLETE";
  return "CHILD_TRANSFER_STARTED";
}

/** The operation commands of Huawei Cloud's `JobActionResp` the emulator hands out. */
const ACTIONS = [
  "CREATE", "CHOOSE_OBJECT", "PRE_CHECK", "PAUSE", "START", "RETRY", "RESET", "DELETE", "SWITCH_OVER", "STOP_JOB",
  "CONTINUE_JOB", "MODIFY_CONFIGURATION", "RESET_DB_PWD", "CHANGE_FLAVOR", "CLONE",
] as const;

/** What a task in `status` allows, and the operation under way: the console's buttons as `job_action`. */
export function jobActionFor(status: string, use: string): DrsJobAction {
  let available: string[] = [];
  let current = "";
  if (status === "CONFIGURATION") available = ["CHOOSE_OBJECT", "PRE_CHECK", "MODIFY_CONFIGURATION", "DELETE"];
  else if (status === "WAITING_FOR_START") available = ["START", "MODIFY_CONFIGURATION", "DELETE"];
  else if (status === "PAUSING") available = ["CONTINUE_JOB", "RESET", "STOP_JOB", "DELETE"];
  else if (status === "CREATE_FAILED") available = ["RETRY", "DELETE"];
  else if (status.endsWith("_FAILED")) available = ["RETRY", "RESET", "STOP_JOB", "DELETE"];
  else if (status.startsWith("RELEASE_") && status.endsWith("_STARTED")) current = "STOP_JOB";
  else if (status === "RELEASE_RESOURCE_COMPLETE" || status === "RELEASE_CHILD_TRANSFER_COMPLETE") available = ["DELETE", "CLONE"];
  else if (status === "FULL_TRANSFER_COMPLETE" && use === "migration") available = ["DELETE", "CLONE"];
  else if (["FULL_TRANSFER_STARTED", "FULL_TRANSFER_COMPLETE", "INCRE_TRANSFER_STARTED", "CHILD_TRANSFER_STARTED", "CHILD_TRANSFER_COMPLETE", "NODE_UPGRADE_COMPLETE"].includes(status)) {
    available = ["PAUSE", "STOP_JOB", "RESET_DB_PWD", "CHANGE_FLAVOR", ...(use === "cloudDataGuard" ? ["SWITCH_OVER"] : [])];
  }
  return { available_actions: available, unavailable_actions: ACTIONS.filter((a) => !available.includes(a)), current_action: current };
}

/** The fields a task and its children share, shaped as `shapes` says. */
function taskInfo(job: DrsJob, status: string, errorMsg: string, shapes: ResolvedShapes): DrsChildInfo {
  const info: DrsChildInfo = {
    billing_tag: job.billingTag,
    create_time: drsTime(job.created),
    db_use_type: job.dbUseType,
    engine_type: job.engineType,
    id: job.id,
    job_direction: job.jobDirection,
    name: job.name,
    net_type: job.netType,
    node_newFramework: job.nodeNewFramework,
    status,
    task_type: job.taskType,
  };
  putText(info, "description", job.description, shapes);
  if (errorMsg !== "" || shapes.drsErrorMsgWhenEmpty === "empty") info.error_msg = errorMsg;
  if (shapes.drsJobAction) info.job_action = jobActionFor(status, job.dbUseType);
  return info;
}

function childInfo(job: DrsJob, t: number, shapes: ResolvedShapes): DrsChildInfo {
  const status = statusAt(job.timeline, t);
  return taskInfo(job, status, isFailure(status) ? job.errorMsg : "", shapes);
}

export function drsStatusAt(job: DrsJob, t: number): string {
  return job.children.length > 0 ? parentStatus(job.children.map((c) => statusAt(c.timeline, t))) : statusAt(job.timeline, t);
}

export function drsInfo(job: DrsJob, t: number, shapes: ResolvedShapes = DEFAULT_SHAPES): DrsJobInfo {
  const children = job.children.map((c) => childInfo(c, t, shapes));
  const status = drsStatusAt(job, t);
  const failedChild = children.find((c) => c.error_msg !== undefined && c.error_msg !== "");
  const info = taskInfo(job, status, isFailure(status) ? (failedChild?.error_msg ?? job.errorMsg) : "", shapes);
  return { ...info, children };
}

/** When neither the job nor any child changes any more. */
function drsSettledAt(job: DrsJob): number {
  let at = job.timeline.ended;
  for (const child of job.children) at = Math.max(at, drsSettledAt(child));
  return at;
}

/** `drsInfo` as JSON, cached once the job and its children have ended. */
export const drsInfoJson = itemJson(drsInfo, drsSettledAt);
