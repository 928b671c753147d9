/**
 * The acceptor of the waiter (as aws-sdk-js-v3 keeps acceptors apart from the poll loop): where a
 * job stands against a target. Pure, so a table test covers every phase × target.
 */
import { FINISHED_PHASES, isFinished, type Phase, phaseOf } from "../jobs";
import type { JobRecord } from "../records";

/**
 * What counts as done. Empty (the default) means "finished successfully": `succeeded`. A job is
 * done when it is in one of `phases` or has one of `statuses`; a job that succeeded has passed any
 * earlier target (a `running` target, a DRS `FULL_TRANSFER_STARTED`).
 */
export interface WaitTarget {
  phases?: readonly Phase[];
  /** API statuses, exact (`ToBeSwitched`, `INCRE_TRANSFER_STARTED`). */
  statuses?: readonly string[];
  /** Phases that fail the wait even before the job finishes (e.g. `waiting`: no operator will come). */
  failPhases?: readonly Phase[];
}

export type Verdict = "done" | "failed" | "waiting";

/** The default target: succeeded. */
export const SUCCEEDED: WaitTarget = { phases: ["succeeded"] };

function targetPhases(job: Pick<JobRecord, "service">, t: WaitTarget): Phase[] {
  const fromStatuses = (t.statuses ?? []).map((s) => phaseOf(job.service, s));
  const phases = t.phases?.length || t.statuses?.length ? (t.phases ?? []) : ["succeeded" as const];
  return [...phases, ...fromStatuses];
}

export function judge(job: Pick<JobRecord, "service" | "status" | "phase">, t: WaitTarget): Verdict {
  const phases = t.phases?.length || t.statuses?.length ? (t.phases ?? []) : SUCCEEDED.phases!;
  if (phases.includes(job.phase) || (t.statuses?.includes(job.status) ?? false)) return "done";
  if (t.failPhases?.includes(job.phase)) return "failed";
  if (!isFinished(job.phase)) return "waiting";
  // Succeeded after the target's (intermediate) phase or status: it went past it.
  const passed = job.phase === "succeeded" && targetPhases(job, t).some((p) => !FINISHED_PHASES.includes(p) && p !== "unknown");
  return passed ? "done" : "failed";
}

/** `succeeded`, `running`, `INCRE_TRANSFER_STARTED or succeeded`: the target as people say it. */
export function describeTarget(t: WaitTarget): string {
  const parts = [...(t.phases ?? []), ...(t.statuses ?? [])];
  return parts.length ? parts.join(" or ") : "succeeded";
}

/**
 * What waiting longer cannot change, said when a wait times out: a DRS sync or disaster-recovery
 * task stays in INCRE_TRANSFER_STARTED while healthy; a job in the `waiting` phase needs an operator.
 */
export function hintsFor(pending: readonly JobRecord[], t: WaitTarget): string[] {
  const hints = new Set<string>();
  for (const job of pending) {
    if (job.service === "drs" && job.status === "INCRE_TRANSFER_STARTED" && !t.statuses?.includes("INCRE_TRANSFER_STARTED")) {
      hints.add(
        `DRS ${job.id} is in incremental transfer, the steady state of a ${job.dbUseType || "sync"} task: it never finishes by itself; ` +
          "wait for the status INCRE_TRANSFER_STARTED instead (CLI --until INCRE_TRANSFER_STARTED, JobGate targetStatuses)",
      );
    } else if (job.problems?.length) {
      hints.add(`${job.service.toUpperCase()} ${job.id || "(no id)"} could not be read as documented (${job.problems.join("; ")}): it stays not done`);
    } else if (job.phase === "waiting") {
      hints.add(`${job.service.toUpperCase()} ${job.id} is ${job.status}: it waits for an operator (e.g. a DDM switch-over) and will not move on its own`);
    }
  }
  return [...hints];
}
