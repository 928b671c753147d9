/**
 * The JobGate controller (as pulumi-command's `commandController`): create/update wait for the
 * selected jobs, read re-queries them for refresh. Pulumi-free; the dynamic provider and the native
 * plugin are thin adapters over it. Credentials come from the gate's secret inputs, then the stack
 * config the adapter received, then the environment and clouds.yaml, when a method runs.
 */
import { Client } from "../client";
import { resolveConfig, type Settings } from "../config";
import { JobNotFoundError, WaitTimeoutError } from "../errors";
import { type JobSummary, summarize } from "../jobs";
import { parseDuration } from "../time";
import { readSelection, waitForJobs, type JobSelection, type WaitTarget, type WatchedJob } from "../wait";
import { GATE_INPUT_KEYS, parseGateInputs, SECRET_GATE_INPUTS, type ParsedGateInputs } from "./inputs";

/** A job as the gate reports it. */
export type GateJob = WatchedJob;

export interface GateOutputs {
  /** The selected jobs as last seen. */
  jobs: GateJob[];
  summary: JobSummary;
  /** ISO time of the check. */
  checkedAt: string;
}

export const GATE_OUTPUT_KEYS = ["jobs", "summary", "checkedAt"] as const satisfies ReadonlyArray<keyof GateOutputs>;

export const GATE_DEFAULTS = { timeout: "30m", pollInterval: "10s", notFoundGrace: "5m" } as const;

export interface GateRunOptions {
  /** `otcjobs:*` stack config the adapter received in `configure`. */
  stackConfig?: Settings;
  env?: Record<string, string | undefined>;
  /** Cancel (Pulumi's Cancel, the request's timeout). */
  signal?: AbortSignal;
  /** One line per poll, for the user watching `pulumi up`. */
  onProgress?: (line: string) => void;
}

// ---- waiter adapter: the only place that knows the waiter's API -----------------------------------

interface WaitPlan {
  maxWaitMs: number;
  maxDelayMs: number;
  graceMs: number;
  signal?: AbortSignal;
  onPoll?: (jobs: GateJob[], state: { pending: GateJob[]; missing: string[]; elapsedMs: number }) => void;
}

/**
 * Waits with the core's waiter. Until the waiter takes `graceMs` itself, the grace is applied here:
 * an id never seen by then fails with `JobNotFoundError` rather than stalling the whole timeout.
 */
async function waitWithCoreWaiter(client: Client, sel: JobSelection, target: WaitTarget, plan: WaitPlan): Promise<{ jobs: GateJob[]; summary: JobSummary }> {
  const seen = new Set<string>();
  return waitForJobs(client, sel, target, {
    timeoutMs: plan.maxWaitMs,
    pollIntervalMs: plan.maxDelayMs,
    signal: plan.signal,
    onPoll: (jobs, state) => {
      for (const j of jobs) seen.add(j.id);
      plan.onPoll?.(jobs, state);
      const never = (sel.ids ?? []).filter((id) => !seen.has(id));
      if (never.length && state.elapsedMs >= plan.graceMs) {
        throw new JobNotFoundError(sel.service, never, `not seen within the not-found grace of ${Math.round(plan.graceMs / 1000)} s; check the id and the project/region`);
      }
    },
  });
}

// -------------------------------------------------------------------------------------------------

function selection(g: ParsedGateInputs): { sel: JobSelection; target: WaitTarget } {
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

function gateClient(g: ParsedGateInputs, opts: GateRunOptions): Client {
  const resolved = resolveConfig({ args: { ...g.connection, ...g.credentials }, pulumi: opts.stackConfig, env: opts.env ?? process.env });
  return new Client(resolved.clientOptions());
}

/** What waiting cannot fix, told when a wait times out. */
function timeoutHints(g: ParsedGateInputs, pending: readonly GateJob[]): string[] {
  const hints: string[] = [];
  if (g.service === "drs" && !g.targetStatuses?.length && pending.some((j) => j.status === "INCRE_TRANSFER_STARTED")) {
    hints.push('A DRS sync never finishes: it runs on in INCRE_TRANSFER_STARTED. Gate on it with targetStatuses: ["INCRE_TRANSFER_STARTED"]');
  }
  if (pending.some((j) => j.phase === "waiting")) {
    hints.push("A job in the waiting phase (DDM ToBeSwitched) waits for an operator: switch or retry it in the console, or add \"waiting\" to targetPhases");
  }
  return hints;
}

function progressLine(g: ParsedGateInputs, jobs: readonly GateJob[], pending: readonly GateJob[], missing: readonly string[], elapsedMs: number): string {
  const s = Math.round(elapsedMs / 1000);
  const wait = [...pending.map((j) => `${j.name || j.id} ${j.status}`), ...missing.map((m) => `${m} (not seen yet)`)];
  return `JobGate ${g.service}: ${jobs.length - pending.length} of ${jobs.length + missing.length} done after ${s} s${wait.length ? `; waiting for ${wait.slice(0, 5).join(", ")}${wait.length > 5 ? `, +${wait.length - 5} more` : ""}` : ""}`;
}

const ms = (text: string) => parseDuration(text)!;

/** Waits until the gate's jobs are done (create/update). Throws naming each failed job, a missing id, or on timeout. */
export async function runGate(inputs: unknown, opts: GateRunOptions = {}): Promise<GateOutputs> {
  const g = parseGateInputs(inputs);
  const { sel, target } = selection(g);
  const client = gateClient(g, opts);
  try {
    const outcome = await waitWithCoreWaiter(client, sel, target, {
      maxWaitMs: ms(g.timeout ?? GATE_DEFAULTS.timeout),
      maxDelayMs: ms(g.pollInterval ?? GATE_DEFAULTS.pollInterval),
      graceMs: ms(g.notFoundGrace ?? GATE_DEFAULTS.notFoundGrace),
      signal: opts.signal,
      onPoll: opts.onProgress && ((jobs, st) => opts.onProgress!(progressLine(g, jobs, st.pending, st.missing, st.elapsedMs))),
    });
    return { jobs: outcome.jobs, summary: outcome.summary, checkedAt: new Date().toISOString() };
  } catch (e) {
    if (e instanceof WaitTimeoutError) {
      const hints = timeoutHints(g, e.pending as GateJob[]);
      if (hints.length) throw new WaitTimeoutError(e.maxWaitMs, e.pending, e.missing, [...e.hints, ...hints]);
    }
    throw e;
  } finally {
    await client.close();
  }
}

/** Reads the gate's jobs as they are now, without waiting (refresh). */
export async function readGate(inputs: unknown, opts: GateRunOptions = {}): Promise<GateOutputs> {
  const g = parseGateInputs(inputs);
  const client = gateClient(g, opts);
  try {
    const { jobs } = await readSelection(client, selection(g).sel, opts.signal);
    return { jobs, summary: summarize(jobs), checkedAt: new Date().toISOString() };
  } finally {
    await client.close();
  }
}

/** A gate's id: its selection, stable across runs. */
export function gateId(inputs: ParsedGateInputs): string {
  if (inputs.jobIds) return `${inputs.service}:${inputs.jobIds.join(",")}`;
  return `${inputs.service}:filter:${inputs.instanceId ?? ""}:${[inputs.name ?? ""].flat().join(",")}`;
}

/** The outputs a gate keeps in state: its inputs without secrets, then what it saw. */
export function gateState<I extends object>(inputs: I, outs: GateOutputs): Omit<I, "credentials"> & GateOutputs {
  const all = inputs as Record<string, unknown>;
  const kept = Object.fromEntries(
    GATE_INPUT_KEYS.filter((k) => !SECRET_GATE_INPUTS.includes(k) && all[k] !== undefined).map((k) => [k, all[k]]),
  );
  return { ...kept, ...outs } as Omit<I, "credentials"> & GateOutputs;
}
