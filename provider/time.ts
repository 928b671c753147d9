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
      const ymd = value.slice(0, 10).split("-").map(Number) as [number, number, number];
      // Date.parse rolls 2025-02-30 over into March; a window must not move silently.
      if (!realFields(ymd[0], ymd[1], ymd[2], 0, 0, 0)) {
        throw new InvalidArgumentError(argument, "time", `"${value}" is not a real date (${value.slice(0, 10)} does not exist)`);
      }
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

const OFFSET_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?$/;
const EPOCH_TEXT = /^\d{12,14}$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** True when the fields name a real UTC wall-clock time (no Feb 30, no hour 24, no second 60). */
function realFields(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
  return d <= (mo === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[mo - 1]!);
}

/**
 * Reads one of the clouds' time strings as ISO-8601 UTC (`2025-05-20T15:05:13.000Z`), or returns
 * undefined when it names no real time. DDM/DDS send `2025-05-20T15:05:13+0000` (also `+0100`,
 * `+0800`), DRS lists `2020-12-21 10:57:49` with no zone (read as UTC), create-task replies epoch ms
 * as text. An impossible date (`2025-02-30`) is refused rather than rolled over into March, on both
 * the fast and the slow path.
 */
export function parseApiTime(raw: string): string | undefined {
  return utcFastPath(raw) ?? parseApiTimeSlow(raw);
}

/**
 * The general reader behind `parseApiTime`: any offset, optional fraction, epoch-ms text.
 * Exported so tests can check the fast path against it.
 * @internal
 */
export function parseApiTimeSlow(raw: string): string | undefined {
  const text = raw.trim();
  if (EPOCH_TEXT.test(text)) return new Date(Number(text)).toISOString();
  const m = OFFSET_TIME.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  if (!realFields(y, mo, d, h, mi, s)) return undefined;
  const ms = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  let offsetMin = 0;
  const zone = m[8];
  if (zone && zone !== "Z") {
    const digits = zone.replace(":", "");
    const oh = Number(digits.slice(1, 3));
    const om = Number(digits.slice(3, 5));
    if (oh > 23 || om > 59) return undefined;
    offsetMin = (digits[0] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  // setUTCFullYear, not Date.UTC: the latter reads years 0-99 as 1900-1999.
  const at = new Date(0);
  at.setUTCFullYear(y, mo - 1, d);
  at.setUTCHours(h, mi, s, ms);
  const t = at.getTime() - offsetMin * 60_000;
  return Number.isFinite(t) ? new Date(t).toISOString() : undefined;
}

/**
 * Normalizes a cloud time to ISO-8601 UTC for display; what cannot be read (including "") comes
 * back unchanged. Readers that must report unreadable times use `parseApiTime`.
 */
export function normalizeApiTime(raw: string): string;
export function normalizeApiTime(raw: string | null | undefined): string | undefined;
export function normalizeApiTime(raw: string | null | undefined): string | undefined {
  if (raw === null || raw === undefined) return undefined;
  return parseApiTime(raw) ?? raw;
}

const isDigitAt = (s: string, i: number) => {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
};
/** Digit positions of `yyyy-mm-ddThh:mm:ss`. */
const DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];
const two = (s: string, i: number) => (s.charCodeAt(i) - 48) * 10 + s.charCodeAt(i + 1) - 48;
const daysIn = (y: number, mo: number) => (mo === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[mo - 1]!);

/**
 * The offset of `±hhmm` / `±hh:mm` / `Z` / nothing after `yyyy-mm-ddThh:mm:ss`, in minutes east of
 * UTC; undefined when the tail is not one of these (or names no real offset).
 */
function offsetMinutes(raw: string): number | undefined {
  const len = raw.length;
  if (len === 19) return 0;
  if (len === 20) return raw.charCodeAt(19) === 90 /* Z */ ? 0 : undefined;
  if (len !== 24 && len !== 25) return undefined;
  const sign = raw.charCodeAt(19);
  if (sign !== 43 /* + */ && sign !== 45 /* - */) return undefined;
  const m = len === 25 ? 23 : 22;
  if (len === 25 && raw.charCodeAt(22) !== 58 /* : */) return undefined;
  if (!isDigitAt(raw, 20) || !isDigitAt(raw, 21) || !isDigitAt(raw, m) || !isDigitAt(raw, m + 1)) return undefined;
  const oh = two(raw, 20);
  const om = two(raw, m);
  if (oh > 23 || om > 59) return undefined;
  return (sign === 45 ? -1 : 1) * (oh * 60 + om);
}

/**
 * The forms the APIs send for nearly every job: `2025-05-20T15:05:13+0000` (also `+0800`, `-05:30`,
 * `Z`) and DRS's zoneless `2020-12-21 10:57:49`. Read field by field and shifted by the offset with
 * integer arithmetic (at most a day either way), without a Date or a regex: listings normalize two
 * times per job, and this is their hottest path. It answers only when it is sure (a real date in
 * one of these forms, years 1-9999 either side of the shift); everything else, impossible dates
 * included, goes the slow way, which refuses them too.
 */
function utcFastPath(raw: string): string | undefined {
  if (raw.length < 19 || raw[4] !== "-" || raw[7] !== "-" || raw[13] !== ":" || raw[16] !== ":") return undefined;
  const sep = raw.charCodeAt(10);
  if (sep !== 84 /* T */ && sep !== 32 /* space */) return undefined;
  for (let k = 0; k < DIGITS.length; k++) if (!isDigitAt(raw, DIGITS[k]!)) return undefined;
  const offset = offsetMinutes(raw);
  if (offset === undefined) return undefined;
  let y = two(raw, 0) * 100 + two(raw, 2);
  let mo = two(raw, 5);
  let d = two(raw, 8);
  const h = two(raw, 11);
  const mi = two(raw, 14);
  if (!realFields(y, mo, d, h, mi, two(raw, 17))) return undefined;
  let minutes = h * 60 + mi - offset;
  if (minutes < 0) {
    minutes += 1440;
    if (--d < 1) {
      if (--mo < 1) {
        mo = 12;
        y--;
      }
      d = daysIn(y, mo);
    }
  } else if (minutes >= 1440) {
    minutes -= 1440;
    if (++d > daysIn(y, mo)) {
      d = 1;
      if (++mo > 12) {
        mo = 1;
        y++;
      }
    }
  }
  if (offset !== 0 && (y < 1 || y > 9999)) return undefined;
  return isoUtc(y, mo, d, Math.floor(minutes / 60), minutes % 60, raw.charCodeAt(17), raw.charCodeAt(18));
}

/**
 * `yyyy-mm-ddThh:mm:ss.000Z` from its fields (seconds as the two character codes read), as one flat
 * string in one allocation: a string built with `+` or a template is a tree of pieces in V8 (three
 * times the memory, and a listing keeps two of these per job) and costs a dozen allocations.
 */
function isoUtc(y: number, mo: number, d: number, h: number, mi: number, s1: number, s2: number): string {
  const Z = 48;
  return String.fromCharCode(
    Z + Math.floor(y / 1000), Z + (Math.floor(y / 100) % 10), Z + (Math.floor(y / 10) % 10), Z + (y % 10), 45,
    Z + Math.floor(mo / 10), Z + (mo % 10), 45, Z + Math.floor(d / 10), Z + (d % 10), 84,
    Z + Math.floor(h / 10), Z + (h % 10), 58, Z + Math.floor(mi / 10), Z + (mi % 10), 58, s1, s2,
    46, 48, 48, 48, 90,
  );
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
  /**
   * The window must end within this much of now (DDS lists only "tasks within one month"): a
   * window lying wholly further back would find nothing, so it is refused.
   */
  minEndAgeMs?: number;
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
  if (rules.minEndAgeMs !== undefined && endMs < now - rules.minEndAgeMs) {
    throw new InvalidArgumentError(
      "endTime",
      "retention",
      `window ends ${Math.floor((now - endMs) / MS_PER_DAY)} days ago; ${rules.service} lists only tasks of the last ` +
        `${formatDuration(rules.minEndAgeMs)}: move endTime after ${formatIsoSeconds(now - rules.minEndAgeMs + 1000)}`,
    );
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
