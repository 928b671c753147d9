import { InvalidArgumentError } from "./errors";

/**
 * A point in time as callers like to write it: a `Date`, an ISO-8601 string, epoch milliseconds,
 * or a duration before now (`"90m"`, `"12h"`, `"7d"`, `"2w"`).
 */
export type TimeInput = Date | string | number;

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
/** Epoch values below this are almost certainly seconds, not milliseconds (it is 1973-03-03). */
const SMALLEST_EPOCH_MS = 1e11;

export const MS_PER_DAY = UNIT_MS.d!;

/** Parses `"7d"`-style durations to milliseconds, or returns undefined when the text is not one. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  if (!m) return undefined;
  return Math.round(Number(m[1]) * UNIT_MS[m[2]!]!);
}

/** Formats milliseconds the way `parseDuration` reads them, in the largest exact unit. */
export function formatDuration(ms: number): string {
  for (const unit of ["w", "d", "h", "m", "s"] as const) {
    const size = UNIT_MS[unit]!;
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/**
 * Resolves a `TimeInput` to epoch ms. Durations count back from `now`, which the caller pins once
 * per listing so every page sees the same window.
 */
export function resolveTime(argument: string, value: TimeInput, now: number): number {
  if (value instanceof Date) {
    const t = value.getTime();
    if (Number.isNaN(t)) throw new InvalidArgumentError(argument, "time", "is an invalid Date");
    return t;
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value) || !Number.isInteger(value) || value < 0) {
      throw new InvalidArgumentError(argument, "time", `must be epoch milliseconds (a non-negative integer), got ${value}`);
    }
    if (value < SMALLEST_EPOCH_MS) {
      throw new InvalidArgumentError(
        argument,
        "time",
        `${value} looks like epoch seconds; pass milliseconds (${value * 1000}) or an ISO string`,
      );
    }
    return value;
  }
  if (typeof value === "string") {
    const duration = parseDuration(value);
    if (duration !== undefined) return now - duration;
    if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
      const t = Date.parse(value);
      if (!Number.isNaN(t)) return t;
    }
    throw new InvalidArgumentError(
      argument,
      "time",
      `"${value}" is neither an ISO-8601 time (2026-11-20T08:00:00Z) nor a duration before now (90m, 12h, 7d, 2w)`,
    );
  }
  throw new InvalidArgumentError(argument, "time", `must be a Date, ISO string, epoch ms or duration, got ${typeof value}`);
}

/** `2026-11-20T08:00:00Z`: the form DDS v3.1 accepts (seconds, no fraction). */
export function formatIsoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

const OFFSET_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Normalizes the clouds' time strings to ISO-8601 UTC. DDM/DDS send `2025-05-20T15:05:13+0000`,
 * DRS lists send `2020-12-21 10:57:49` with no zone (read as UTC). Anything else, including an empty
 * string, is returned unchanged: a read must not fail on a time it cannot parse.
 */
export function normalizeApiTime(raw: string): string;
export function normalizeApiTime(raw: string | null | undefined): string | undefined;
export function normalizeApiTime(raw: string | null | undefined): string | undefined {
  if (raw === null || raw === undefined) return undefined;
  const fast = utcFastPath(raw);
  if (fast !== undefined) return fast;
  const m = OFFSET_TIME.exec(raw.trim());
  if (!m) return /^\d{12,14}$/.test(raw) ? new Date(Number(raw)).toISOString() : raw;
  let zone = m[3] ?? "Z";
  if (zone !== "Z" && !zone.includes(":")) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const t = Date.parse(`${m[1]}T${m[2]}${zone}`);
  return Number.isNaN(t) ? raw : new Date(t).toISOString();
}

const isDigitAt = (s: string, i: number) => {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
};
/** Digit positions of `yyyy-mm-ddThh:mm:ss`. */
const DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];

/**
 * The two forms the APIs send for nearly every job, already in UTC: `2025-05-20T15:05:13+0000`
 * and DRS's `2020-12-21 10:57:49`. Rewritten by slicing, without building a Date: listings normalize
 * two times per job, and this is their hottest path.
 */
function utcFastPath(raw: string): string | undefined {
  const utcOffset = raw.length === 24 && raw.endsWith("+0000") && raw[10] === "T";
  const zoneless = raw.length === 19 && raw[10] === " ";
  if (!utcOffset && !zoneless) return undefined;
  if (raw[4] !== "-" || raw[7] !== "-" || raw[13] !== ":" || raw[16] !== ":") return undefined;
  for (const i of DIGITS) if (!isDigitAt(raw, i)) return undefined;
  const month = (raw.charCodeAt(5) - 48) * 10 + raw.charCodeAt(6) - 48;
  const day = (raw.charCodeAt(8) - 48) * 10 + raw.charCodeAt(9) - 48;
  const hour = (raw.charCodeAt(11) - 48) * 10 + raw.charCodeAt(12) - 48;
  // Out-of-range fields go the slow way, which leaves what Date cannot read unchanged.
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || raw[14]! > "5" || raw[17]! > "5") return undefined;
  return `${raw.slice(0, 10)}T${raw.slice(11, 19)}.000Z`;
}

/** The window a listing used, after defaults and durations were resolved. */
export interface ResolvedWindow {
  /** ISO-8601 UTC. */
  start: string;
  /** ISO-8601 UTC; pinned when the listing began. */
  end: string;
}

export interface WindowRules {
  service: string;
  /** Oldest start accepted, counted back from now (DDM: 30 days). */
  maxAgeMs?: number;
  /** Widest span accepted (DDS: 30 days). */
  maxSpanMs?: number;
  defaultStart: string;
  /** The API's time resolution (DDS: whole seconds); both ends are rounded up to it before checks. */
  granularityMs?: number;
}

/**
 * A window reaching back exactly to the service's retention edge would be rejected by the server,
 * whose clock reads a little later than ours; we move such a start forward by this much.
 */
export const RETENTION_EDGE_MARGIN_MS = 120_000;

/** Resolves and checks a window before any request; errors say how to fix it. */
export function resolveWindow(
  args: { startTime?: TimeInput; endTime?: TimeInput },
  rules: WindowRules,
  now: number,
): { startMs: number; endMs: number; window: ResolvedWindow } {
  const step = rules.granularityMs ?? 1;
  const roundUp = (ms: number) => Math.ceil(ms / step) * step;
  const endMs = roundUp(args.endTime === undefined ? now : resolveTime("endTime", args.endTime, now));
  let startMs = roundUp(resolveTime("startTime", args.startTime ?? rules.defaultStart, now));
  if (endMs > now + 60_000) {
    throw new InvalidArgumentError("endTime", "future", `is in the future (${new Date(endMs).toISOString()}); omit it to mean now`);
  }
  if (startMs >= endMs) {
    throw new InvalidArgumentError(
      "startTime",
      "order",
      `must be before endTime (${new Date(startMs).toISOString()} is not before ${new Date(endMs).toISOString()})`,
    );
  }
  if (rules.maxAgeMs !== undefined) {
    const oldest = now - rules.maxAgeMs;
    if (startMs < oldest) {
      const days = Math.ceil((now - startMs) / MS_PER_DAY);
      throw new InvalidArgumentError(
        "startTime",
        "retention",
        `window starts ${days} days ago; ${rules.service} keeps ${formatDuration(rules.maxAgeMs)}: ` +
          `move startTime after ${formatIsoSeconds(oldest + 1000)}`,
      );
    }
    startMs = Math.min(Math.max(startMs, roundUp(oldest + RETENTION_EDGE_MARGIN_MS)), endMs - step);
  }
  if (rules.maxSpanMs !== undefined && endMs - startMs > rules.maxSpanMs) {
    throw new InvalidArgumentError(
      "startTime",
      "span",
      `window spans ${((endMs - startMs) / MS_PER_DAY).toFixed(1)} days; ${rules.service} accepts at most ` +
        `${formatDuration(rules.maxSpanMs)}: move startTime after ${formatIsoSeconds(endMs - rules.maxSpanMs)}`,
    );
  }
  return {
    startMs,
    endMs,
    window: { start: new Date(startMs).toISOString(), end: new Date(endMs).toISOString() },
  };
}
