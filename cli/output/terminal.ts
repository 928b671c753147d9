/** What a terminal needs: colours, width, safe text, compact times. */
import { createColors } from "picocolors";
import type { Phase } from "../../provider/jobs";
import type { Io } from "../context";

export type Colors = ReturnType<typeof createColors>;

/**
 * Colour when stdout is a terminal (and TERM is not "dumb"); `NO_COLOR` turns it off, `FORCE_COLOR`
 * (other than 0/false) turns it on for a pipe.
 */
export function colorEnabled(io: Io): boolean {
  const env = io.env;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && !["0", "false"].includes(env.FORCE_COLOR)) return true;
  return Boolean(io.stdout.isTTY) && env.TERM !== "dumb";
}

export function colorsFor(io: Io): Colors {
  return createColors(colorEnabled(io));
}

/** The terminal's width; for a pipe `COLUMNS` if set, else 80. */
export function outputWidth(io: Io): number {
  if (io.stdout.isTTY && io.stdout.columns) return io.stdout.columns;
  const fromEnv = Number(io.env.COLUMNS);
  return Number.isInteger(fromEnv) && fromEnv >= 40 ? fromEnv : 80;
}

export function paintPhase(c: Colors, phase: Phase): string {
  switch (phase) {
    case "succeeded":
      return c.green(phase);
    case "failed":
      return c.red(c.bold(phase));
    case "canceled":
      return c.dim(phase);
    case "running":
      return c.cyan(phase);
    case "waiting":
      return c.yellow(phase);
    case "pending":
      return c.blue(phase);
    default:
      return c.magenta(phase);
  }
}

/** Text from a server, fit for a terminal (see `stripControl`). */
export { stripControl as safeText } from "../../provider/text";

/** `2026-11-20T08:00:00.000Z` → `2026-11-20 08:00` (UTC, to the minute); anything else unchanged. */
export function shortTime(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : iso;
}

/** `3m`, `5h`, `2d`: how long ago, to one unit; "" for an unreadable or future time. */
export function relativeAge(iso: string, now: number): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t) || t > now + 60_000) return "";
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 172_800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}

/** `1h12m`, `45s`: a job's run time from created to ended; "" when either is unknown. */
export function runTime(created: string, ended: string): string {
  const a = Date.parse(created);
  const b = Date.parse(ended);
  if (Number.isNaN(a) || Number.isNaN(b) || b < a) return "";
  const s = Math.round((b - a) / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}
