/** The time formats the emulated APIs read and write. All output is UTC. */

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

function parts(ms: number): { date: string; time: string } {
  const d = new Date(ms);
  return {
    date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
    time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`,
  };
}

/** DDM and DDS: `2025-05-20T15:05:13+0000`. */
export function offsetTime(ms: number): string {
  const { date, time } = parts(ms);
  return `${date}T${time}+0000`;
}

/** DRS list: `2020-12-21 10:57:49`. */
export function drsTime(ms: number): string {
  const { date, time } = parts(ms);
  return `${date} ${time}`;
}

/** IAM: `2015-11-09T01:42:57.527000Z` (microseconds). */
export function iamTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

/** Admin API and logs: plain ISO 8601. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Epoch ms from a match of six UTC fields (year, month, day, hour, minute, second), or undefined
 * when they name no real time (2026-02-30 would roll over in Date.UTC; it is refused instead).
 */
export function utcFromMatch(m: RegExpExecArray | null): number | undefined {
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  const valid =
    back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d &&
    back.getUTCHours() === h && back.getUTCMinutes() === mi && back.getUTCSeconds() === s;
  return valid ? ms : undefined;
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Rounds an epoch-ms time down to whole seconds (the APIs show seconds only). */
export function floorSecond(ms: number): number {
  return Math.floor(ms / SECOND) * SECOND;
}
