/**
 * Flag parsers for commander. Loaded on every start, so it imports only modules without
 * dependencies (`provider/time`, `provider/jobs`, `provider/errors`).
 */
import { InvalidArgumentError } from "commander";
import { parseDuration } from "../provider/time";
import { PHASES } from "../provider/jobs";
import { RECORD_FIELDS, type RecordField } from "../provider/records";
import { WAIT_DEFAULTS as CORE_WAIT_DEFAULTS } from "../provider/wait/defaults";

export const SERVICES = ["ddm", "dds", "drs"] as const;
export type Service = (typeof SERVICES)[number];
export const OUTPUT_FORMATS = ["table", "wide", "json", "jsonl", "csv", "yaml"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export const DB_USE_TYPE_CHOICES = ["migration", "sync", "cloudDataGuard"] as const;

/** Node's timers overflow past 2^31 - 1 ms (24.8 days). */
const LONGEST_MS = 24 * 86_400_000;
/** How far back a time flag may reach: no job list goes back further, and Date overflows far beyond. */
const LONGEST_LOOKBACK_MS = 3650 * 86_400_000;

/** `--timeout 30m`, `--interval 200ms`: a positive duration in milliseconds, at most 24 days. */
export function durationFlag(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new InvalidArgumentError("use a duration such as 500ms, 10s, 30m, 2h or 7d.");
  if (ms <= 0) throw new InvalidArgumentError("must be longer than 0.");
  if (ms > LONGEST_MS) throw new InvalidArgumentError("must be at most 24d.");
  return ms;
}

/** `--since 7d`: a duration before now, kept as text for the core (which pins "now" itself). */
export function sinceFlag(value: string): string {
  const ms = parseDuration(value);
  if (ms === undefined) {
    throw new InvalidArgumentError("use a duration before now such as 90m, 12h, 7d or 2w (or --start with a time).");
  }
  if (ms > LONGEST_LOOKBACK_MS) throw new InvalidArgumentError("must be at most 3650d (no service keeps jobs longer).");
  return value.trim();
}

/** An ISO date-time with a time of day but no zone (`2026-11-29T08:00`). */
const ZONELESS = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/** `--start`/`--end`: an ISO-8601 time or a duration before now; checked fully by the core. */
export function timeFlag(value: string): string {
  const v = value.trim();
  const ms = parseDuration(v);
  if (ms !== undefined) {
    if (ms > LONGEST_LOOKBACK_MS) throw new InvalidArgumentError("must be at most 3650d before now.");
    return v;
  }
  // Every time the CLI prints is UTC, and a bare date already means UTC midnight: a time of day
  // without a zone is UTC too, never the machine's local time.
  if (ZONELESS.test(v)) return `${v.replace(" ", "T")}Z`;
  if (/^\d{4}-\d{2}-\d{2}/.test(v) && !Number.isNaN(Date.parse(v))) return v;
  throw new InvalidArgumentError("use an ISO-8601 time (2026-11-20T08:00:00Z) or a duration before now (12h, 7d).");
}

/** Repeatable and comma-separated: `--status Failed,Running --status ToBeSwitched`. */
export function listFlag(value: string, previous: string[] | undefined): string[] {
  const items = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (!items.length) throw new InvalidArgumentError("must not be empty.");
  return [...(previous ?? []), ...items];
}

/** `--fields id,status`: fields of the job record, in the order given. */
export function fieldsFlag(value: string, previous: RecordField[] | undefined): RecordField[] {
  const items = listFlag(value, undefined);
  const bad = items.find((f) => !(RECORD_FIELDS as readonly string[]).includes(f));
  if (bad) throw new InvalidArgumentError(`"${bad}" is not a field; use any of ${RECORD_FIELDS.join(", ")}.`);
  return [...(previous ?? []), ...(items as RecordField[])];
}

/** `--phase failed,running`: phases of the normalized vocabulary. */
export function phaseListFlag(value: string, previous: string[] | undefined): string[] {
  const items = listFlag(value, undefined);
  const bad = items.find((p) => !(PHASES as readonly string[]).includes(p));
  if (bad) throw new InvalidArgumentError(`"${bad}" is not a phase; use one of ${PHASES.join(", ")}.`);
  return [...(previous ?? []), ...items];
}

export function intFlag(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}.`);
    }
    return n;
  };
}

export function numberFlag(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n) || n < min || n > max) {
      throw new InvalidArgumentError(`must be a number from ${min} to ${max}.`);
    }
    return n;
  };
}

/** `wait` defaults (ms): the core waiter's own, so `otc-jobs wait` and `JobGate` agree. */
export const WAIT_DEFAULTS = {
  until: "finished",
  timeout: CORE_WAIT_DEFAULTS.maxWaitMs,
  interval: CORE_WAIT_DEFAULTS.maxDelayMs,
  grace: CORE_WAIT_DEFAULTS.graceMs,
} as const;

/** `emulator` defaults. */
export const EMULATOR_DEFAULTS = { port: 0, host: "127.0.0.1", seed: 1, jobs: 120, latency: 0, faultRate: 0 } as const;

/** Options every command accepts (the `args` layer of the core's config resolution). */
export interface GlobalOptions {
  cloud?: string;
  region?: string;
  projectId?: string;
  projectName?: string;
  endpoint?: string;
  profile?: string;
  osCloud?: string;
  verbose?: boolean;
}

/** The global flag that sets each setting of the core, for messages that say what to change. */
export const FLAG_OF: Readonly<Record<string, string>> = {
  cloud: "--cloud",
  region: "--region",
  projectId: "--project-id",
  projectName: "--project-name",
  endpoint: "--endpoint",
  osCloud: "--profile",
};
