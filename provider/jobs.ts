import type { ServiceName } from "./errors";

/**
 * One vocabulary across the three services. `waiting` needs an operator (DDM `ToBeSwitched`, DRS
 * `CONFIGURATION`/`PAUSING`); `unknown` is a status this version does not know yet, never an error.
 */
export const PHASES = ["pending", "running", "waiting", "succeeded", "failed", "canceled", "unknown"] as const;
export type Phase = (typeof PHASES)[number];

/** Phases after which a job will not change on its own. */
export const FINISHED_PHASES: readonly Phase[] = ["succeeded", "failed", "canceled"];

export function isFinished(phase: Phase): boolean {
  return FINISHED_PHASES.includes(phase);
}

const DDM_PHASES: Record<string, Phase> = {
  Running: "running",
  Completed: "succeeded",
  Failed: "failed",
  Expanding: "running",
  Canceling: "running",
  Rollbacking: "running",
  Switching: "running",
  // The shard change was undone on purpose: the job ended without its effect.
  RollbackSuccess: "canceled",
  CancelSuccess: "canceled",
  ToBeSwitched: "waiting",
};

const DDS_PHASES: Record<string, Phase> = {
  Running: "running",
  Completed: "succeeded",
  Failed: "failed",
};

/**
 * DRS statuses as a real-time migration reads them (OTC's 23 statuses and the 6 Huawei Cloud adds).
 * The other scenarios differ where the reference gives a status another meaning (below).
 */
const DRS_MIGRATION_PHASES: Record<string, Phase> = {
  CREATING: "pending",
  CREATE_FAILED: "failed",
  CONFIGURATION: "waiting",
  STARTJOBING: "running",
  WAITING_FOR_START: "pending",
  START_JOB_FAILED: "failed",
  PAUSING: "waiting",
  FULL_TRANSFER_STARTED: "running",
  FULL_TRANSFER_FAILED: "failed",
  // A full migration is done.
  FULL_TRANSFER_COMPLETE: "succeeded",
  // The steady state of a healthy incremental task: it never completes by itself.
  INCRE_TRANSFER_STARTED: "running",
  INCRE_TRANSFER_FAILED: "failed",
  RELEASE_RESOURCE_STARTED: "running",
  RELEASE_RESOURCE_FAILED: "failed",
  // "Stopped": the task was ended normally, after its work.
  RELEASE_RESOURCE_COMPLETE: "succeeded",
  CHANGE_JOB_STARTED: "running",
  CHANGE_JOB_FAILED: "failed",
  CHILD_TRANSFER_STARTING: "pending",
  CHILD_TRANSFER_STARTED: "running",
  CHILD_TRANSFER_COMPLETE: "succeeded",
  CHILD_TRANSFER_FAILED: "failed",
  RELEASE_CHILD_TRANSFER_STARTED: "running",
  RELEASE_CHILD_TRANSFER_COMPLETE: "succeeded",
  REBUILD_NODE_STARTED: "running",
  REBUILD_NODE_FAILED: "failed",
  DELETED: "canceled",
  NODE_UPGRADE_START: "running",
  // An upgrade step finished; the task itself carries on.
  NODE_UPGRADE_COMPLETE: "running",
  NODE_UPGRADE_FAILED: "failed",
};

/** DRS scenarios (`db_use_type`), each with its own reading of the statuses. */
export const DRS_SCENARIOS = ["migration", "sync", "cloudDataGuard"] as const;
export type DrsScenario = (typeof DRS_SCENARIOS)[number];

/**
 * Phase tables per DRS scenario. Synchronization and disaster recovery run an incremental phase
 * after the full one, so `FULL_TRANSFER_COMPLETE` is a step, not the end: for cloudDataGuard the
 * reference calls it "initialization complete". Their target is `INCRE_TRANSFER_STARTED`, which
 * stays `running`: a gate on them names that status as its target.
 */
export const DRS_PHASES: Readonly<Record<DrsScenario, Readonly<Record<string, Phase>>>> = {
  migration: DRS_MIGRATION_PHASES,
  sync: { ...DRS_MIGRATION_PHASES, FULL_TRANSFER_COMPLETE: "running", CHILD_TRANSFER_COMPLETE: "running" },
  cloudDataGuard: { ...DRS_MIGRATION_PHASES, FULL_TRANSFER_COMPLETE: "running", CHILD_TRANSFER_COMPLETE: "running" },
};

const TABLES: Record<"ddm" | "dds", Record<string, Phase>> = { ddm: DDM_PHASES, dds: DDS_PHASES };

/** The statuses each service documents, for validating filters and for help texts. */
export const KNOWN_STATUSES: Record<ServiceName, readonly string[]> = {
  ddm: Object.keys(DDM_PHASES),
  dds: Object.keys(DDS_PHASES),
  drs: Object.keys(DRS_MIGRATION_PHASES),
};

/** The phase tables of every service and scenario, for documentation and tests. */
export const PHASE_TABLES = { ddm: DDM_PHASES, dds: DDS_PHASES, drs: DRS_PHASES } as const;

function drsTable(scenario: string | undefined): Readonly<Record<string, Phase>> {
  return scenario !== undefined && Object.hasOwn(DRS_PHASES, scenario) ? DRS_PHASES[scenario as DrsScenario] : DRS_MIGRATION_PHASES;
}

/**
 * The normalized phase of a status. DRS statuses mean different things per scenario: pass the
 * job's `db_use_type` (without one, the migration reading applies). A status the table does not
 * know is `unknown`, never an error and never `succeeded`.
 */
export function phaseOf(service: ServiceName, status: string | null | undefined, scenario?: string): Phase {
  if (!status) return "unknown";
  const table = service === "drs" ? drsTable(scenario) : TABLES[service];
  // Own keys only: a status named "constructor" or "toString" is unknown, not an Object method.
  return Object.hasOwn(table, status) ? table[status]! : "unknown";
}

/** Counts a result set once, so Pulumi programs and the CLI need not. */
export interface JobSummary {
  total: number;
  byPhase: Record<Phase, number>;
  byStatus: Record<string, number>;
  /** At least one job is `failed`. */
  anyFailed: boolean;
  /** Every job is `succeeded`, `failed` or `canceled` (true for an empty set). */
  allFinished: boolean;
}

export function summarize(jobs: ReadonlyArray<{ status: string; phase: Phase }>): JobSummary {
  const byPhase = Object.fromEntries(PHASES.map((p) => [p, 0])) as Record<Phase, number>;
  // A Map, so that statuses named like Object members ("constructor") count like any other.
  const statusCounts = new Map<string, number>();
  for (const job of jobs) {
    byPhase[job.phase] += 1;
    const key = job.status || "(empty)";
    statusCounts.set(key, (statusCounts.get(key) ?? 0) + 1);
  }
  const byStatus = Object.fromEntries(statusCounts);
  return {
    total: jobs.length,
    byPhase,
    byStatus,
    anyFailed: byPhase.failed > 0,
    allFinished: jobs.every((j) => isFinished(j.phase)),
  };
}
