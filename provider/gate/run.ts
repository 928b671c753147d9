/**
 * The JobGate controller (as pulumi-command's `commandController`): create/update wait for the
 * selected jobs, read re-queries them for refresh. Pulumi-free; the dynamic provider and the native
 * plugin are thin adapters over it. Credentials come from the gate's secret inputs, then the stack
 * config the adapter received, then the environment and clouds.yaml, when a method runs.
 */
import { createHash } from "node:crypto";
import { Client } from "../client";
import { resolveConfig, type Settings } from "../config";
import { type JobSummary, summarize } from "../jobs";
import type { JobRecord } from "../records";
import { formatDuration, parseDuration } from "../time";
import { readSelection, WAIT_DEFAULTS, waitForJobs, type JobSelection, type PollState, type WaitTarget } from "../wait";
import { GATE_INPUT_KEYS, parseGateInputs, SECRET_GATE_INPUTS, type GateInputs, type ParsedGateInputs } from "./inputs";
import { UNKNOWN } from "./wire";

/** A job as the gate reports it: the core's one job record. */
export type GateJob = JobRecord;

export interface GateOutputs {
  /** The selected jobs as last seen. */
  jobs: GateJob[];
  summary: JobSummary;
  /** ISO time of the check. */
  checkedAt: string;
}

export const GATE_OUTPUT_KEYS = ["jobs", "summary", "checkedAt"] as const satisfies ReadonlyArray<keyof GateOutputs>;

/** The gate's defaults, as its inputs spell them: the waiter's own, so the gate and `otc-jobs wait` agree. */
export const GATE_DEFAULTS = {
  timeout: formatDuration(WAIT_DEFAULTS.maxWaitMs),
  pollInterval: formatDuration(WAIT_DEFAULTS.maxDelayMs),
  notFoundGrace: formatDuration(WAIT_DEFAULTS.graceMs),
} as const;

export interface GateRunOptions {
  /** `otcjobs:*` stack config the adapter received in `configure`. */
  stackConfig?: Settings;
  env?: Record<string, string | undefined>;
  /** Cancel (Pulumi's Cancel, the request's timeout). */
  signal?: AbortSignal;
  /** One line per poll, for the user watching `pulumi up`. */
  onProgress?: (line: string) => void;
}

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

function progressLine(g: ParsedGateInputs, { jobs, pending, missing, elapsedMs, error }: PollState): string {
  const s = Math.round(elapsedMs / 1000);
  if (error) return `JobGate ${g.service}: poll failed after ${s} s, trying again: ${error.message}`;
  const wait = [...pending.map((j) => `${j.name || j.id} ${j.status}`), ...missing.map((m) => `${m} (not seen yet)`)];
  return `JobGate ${g.service}: ${jobs.length - pending.length} of ${jobs.length + missing.length} done after ${s} s${wait.length ? `; waiting for ${wait.slice(0, 5).join(", ")}${wait.length > 5 ? `, +${wait.length - 5} more` : ""}` : ""}`;
}

const ms = (text: string) => parseDuration(text)!;

/**
 * Waits until the gate's jobs are done (create/update) with the core's waiter: throws naming each
 * failed job, an id unseen past the not-found grace, or on timeout (with hints for targets that
 * waiting cannot reach, such as a DRS sync).
 */
export async function runGate(inputs: unknown, opts: GateRunOptions = {}): Promise<GateOutputs> {
  const g = parseGateInputs(inputs);
  const { sel, target } = selection(g);
  const client = gateClient(g, opts);
  try {
    const outcome = await waitForJobs(client, sel, target, {
      maxWaitMs: ms(g.timeout ?? GATE_DEFAULTS.timeout),
      maxDelayMs: ms(g.pollInterval ?? GATE_DEFAULTS.pollInterval),
      graceMs: ms(g.notFoundGrace ?? GATE_DEFAULTS.notFoundGrace),
      signal: opts.signal,
      onPoll: opts.onProgress && ((state) => opts.onProgress!(progressLine(g, state))),
    });
    return { jobs: outcome.jobs, summary: outcome.summary, checkedAt: new Date().toISOString() };
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

/** The inputs that choose a gate's jobs: a gate's id digests these, a secret among them makes `jobs` secret. */
export const SELECTING_GATE_INPUTS = ["service", "jobIds", "instanceId", "name", "status", "startTime", "endTime", "dbUseType"] as const satisfies readonly (keyof ParsedGateInputs)[];

/**
 * A gate's id: its service and a digest of its selection (`ddm:sel-1f2e...`), stable across runs. It
 * names no job: Pulumi keeps ids in clear text, and `jobIds` may be secret.
 */
export function gateId(inputs: ParsedGateInputs): string {
  const selection = Object.fromEntries(SELECTING_GATE_INPUTS.map((k) => [k, inputs[k] ?? null]));
  return `${inputs.service}:sel-${createHash("sha256").update(JSON.stringify(selection)).digest("hex").slice(0, 24)}`;
}

/**
 * The selection an id names when a gate is imported or looked up by id alone (`pulumi import
 * otcjobs:index:JobGate migration ddm:<job-id>[,<job-id>...]`, `JobGate.get`): undefined for a
 * digest id, which names no job.
 */
export function selectionOfId(id: string): Pick<GateInputs, "service" | "jobIds"> | undefined {
  const m = /^(ddm|dds|drs):(?!sel-)([^,]+(?:,[^,]+)*)$/.exec(id);
  return m ? { service: m[1] as GateInputs["service"], jobIds: m[2]!.split(",") } : undefined;
}

/**
 * What a gate answers in a preview (the engine sends Create/Update with `preview: true` to a plugin
 * that answered a Handshake): its inputs as given, unknowns kept, and every output unknown. No wait,
 * no request, no verdict: a failed or unknown job is judged at `up`, as pulumi-command does.
 */
export function gatePreviewState<I extends object>(inputs: I): Omit<I, "credentials"> & Record<(typeof GATE_OUTPUT_KEYS)[number], typeof UNKNOWN> {
  const unknownOutputs = Object.fromEntries(GATE_OUTPUT_KEYS.map((k) => [k, UNKNOWN])) as Record<(typeof GATE_OUTPUT_KEYS)[number], typeof UNKNOWN>;
  return { ...keptInputs(inputs), ...unknownOutputs };
}

function keptInputs<I extends object>(inputs: I): Omit<I, "credentials"> {
  const all = inputs as Record<string, unknown>;
  return Object.fromEntries(
    GATE_INPUT_KEYS.filter((k) => !SECRET_GATE_INPUTS.includes(k) && all[k] !== undefined).map((k) => [k, all[k]]),
  ) as Omit<I, "credentials">;
}

/** The outputs a gate keeps in state: its inputs without secrets, then what it saw. */
export function gateState<I extends object>(inputs: I, outs: GateOutputs): Omit<I, "credentials"> & GateOutputs {
  return { ...keptInputs(inputs), ...outs };
}
