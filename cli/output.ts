/**
 * Output formats. `table` is for people (fits the terminal, colours only on a terminal); `json`,
 * `csv` and `yaml` are for scripts: the fields of `RECORD_FIELDS`, in that order, never coloured.
 */
import Table from "cli-table3";
import { createColors } from "picocolors";
import { stringify as toYaml } from "yaml";
import type { Phase } from "../provider";
import type { Io } from "./context";
import { type JobRecord, RECORD_FIELDS } from "../provider/records";
import type { OutputFormat } from "./options";

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

/** `2026-11-20T08:00:00.000Z` → `2026-11-20 08:00` (UTC, to the minute); anything else unchanged. */
export function shortTime(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : iso;
}

export const SHORT_ID_LENGTH = 8;

const BLANK_CHARS = {
  top: "",
  "top-mid": "",
  "top-left": "",
  "top-right": "",
  bottom: "",
  "bottom-mid": "",
  "bottom-left": "",
  "bottom-right": "",
  left: "",
  "left-mid": "",
  mid: "",
  "mid-mid": "",
  right: "",
  "right-mid": "",
  middle: "  ",
};

/** A table without borders: columns separated by two spaces, no trailing blanks; no header row for `head: []`. */
function renderBorderless(head: string[], rows: string[][], colWidths: number[], wordWrap = false): string {
  const table = new Table({
    head,
    chars: BLANK_CHARS,
    style: { head: [], border: [], "padding-left": 0, "padding-right": 0 },
    colWidths,
    wordWrap,
  });
  table.push(...rows);
  return table
    .toString()
    .split("\n")
    .map((line) => line.trimEnd())
    .filter((line) => line !== "")
    .join("\n");
}

/** Shrinks the widest of the `flexible` columns one character at a time until the row fits. */
export function fitColumns(natural: number[], flexible: number[], width: number, gap: number, min = 10): number[] {
  const widths = [...natural];
  const total = () => widths.reduce((a, b) => a + b, 0) + gap * (widths.length - 1);
  while (total() > width) {
    const widest = flexible.reduce((best, i) => (widths[i]! > widths[best]! ? i : best), flexible[0]!);
    if (widths[widest]! <= min) break;
    widths[widest]! -= 1;
  }
  return widths;
}

export function truncateEnd(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/**
 * Shortens a status keeping its last word, which tells how it ended: FULL_TRANSFER_COMPLETE in 15
 * columns is `FULL_T…COMPLETE`, not `FULL_TRANSFER_…`.
 */
export function truncateStatus(text: string, width: number): string {
  if (text.length <= width) return text;
  const cut = text.lastIndexOf("_");
  const tail = cut > 0 ? text.slice(cut + 1) : "";
  const head = width - 1 - tail.length;
  return tail && head >= 3 ? `${text.slice(0, head)}…${tail}` : truncateEnd(text, width);
}

/** The jobs table: service, name, status, phase, created (UTC), id (short unless `wide`). */
export function renderJobTable(jobs: JobRecord[], opts: { colors: Colors; width: number; wide?: boolean }): string {
  const c = opts.colors;
  const head = ["service", "name", "status", "phase", "created (UTC)", "id"];
  const plain = jobs.map((j) => [j.service, j.name, j.status, j.phase, shortTime(j.created), opts.wide ? j.id : j.id.slice(0, SHORT_ID_LENGTH)]);
  const natural = head.map((h, i) => Math.max(h.length, ...plain.map((r) => r[i]!.length)));
  // Name and status give way when the terminal is narrow; the rest never needs to.
  const widths = opts.wide ? natural : fitColumns(natural, [1, 2], opts.width, 2);
  const rows = plain.map((r, k) =>
    r.map((cell, i) => (i === 3 ? paintPhase(c, jobs[k]!.phase) : i === 2 ? truncateStatus(cell, widths[i]!) : truncateEnd(cell, widths[i]!))),
  );
  return renderBorderless(
    head.map((h) => c.bold(h)),
    rows,
    widths,
  );
}

/** One job, field by field (for `get`). */
export function renderJobDetail(job: JobRecord, opts: { colors: Colors; width: number }): string {
  const c = opts.colors;
  const label = Math.max(...RECORD_FIELDS.map((f) => f.length));
  const valueWidth = Math.max(20, opts.width - label - 2);
  const rows = RECORD_FIELDS.map((f) => {
    const value = f === "phase" ? paintPhase(c, job.phase) : job[f] || "-";
    return [c.bold(f), value];
  });
  // No header row: the field names are the first column.
  return renderBorderless([], rows, [label, valueWidth], true);
}

/** Plain objects with exactly `RECORD_FIELDS`, in order. */
export function plainJob(job: JobRecord): Record<(typeof RECORD_FIELDS)[number], string> {
  return Object.fromEntries(RECORD_FIELDS.map((f) => [f, job[f]])) as Record<(typeof RECORD_FIELDS)[number], string>;
}

function csvCell(v: string): string {
  return /[",\r\n]/.test(v) || /^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** RFC 4180 CSV with a header row of `RECORD_FIELDS`; lines end in `\n`. */
export function toCsv(jobs: JobRecord[]): string {
  const lines = [RECORD_FIELDS.join(","), ...jobs.map((j) => RECORD_FIELDS.map((f) => csvCell(j[f])).join(","))];
  return `${lines.join("\n")}\n`;
}

/** Machine formats of a list (`json`: an array) or of one job (`json`: an object). */
export function formatData(format: Exclude<OutputFormat, "table">, data: JobRecord | JobRecord[]): string {
  const plain = Array.isArray(data) ? data.map(plainJob) : plainJob(data);
  switch (format) {
    case "json":
      return `${JSON.stringify(plain, null, 2)}\n`;
    case "yaml":
      return toYaml(plain);
    case "csv":
      return toCsv(Array.isArray(data) ? data : [data]);
  }
}
