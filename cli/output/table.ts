/**
 * Tables for people: borderless, two spaces between columns, linear in the number of rows (a
 * million jobs render in one pass), fitted to the terminal by shrinking the free-text columns first
 * and the ids last. Every cell from a server goes through `safeText`.
 */
import type { JobRecord, RecordField } from "../../provider/records";
import { RECORD_FIELDS } from "../../provider/records";
import { type Colors, paintPhase, relativeAge, runTime, safeText, shortTime } from "./terminal";

export const SHORT_ID_LENGTH = 8;
const GAP = "  ";

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

/**
 * Shrinks the widest of the `flexible` columns until the row fits `width` (none below `min`). Each
 * step cuts the widest down to the next widest (or just enough), so it takes at most a few steps.
 */
export function fitColumns(natural: number[], flexible: number[], width: number, gap: number, min = 10): number[] {
  const widths = [...natural];
  let total = widths.reduce((a, b) => a + b, 0) + gap * (widths.length - 1);
  while (total > width && flexible.length) {
    const widest = flexible.reduce((best, i) => (widths[i]! > widths[best]! ? i : best), flexible[0]!);
    if (widths[widest]! <= min) break;
    const runnerUp = Math.max(min, ...flexible.filter((i) => i !== widest).map((i) => Math.min(widths[i]!, widths[widest]! - 1)));
    const target = Math.max(runnerUp, widths[widest]! - (total - width));
    total -= widths[widest]! - target;
    widths[widest] = target;
  }
  return widths;
}

/** A column: its header, how to read a cell, and how to paint it (after padding). */
interface Column {
  head: string;
  cell: (job: JobRecord) => string;
  /** Shrinks first when the terminal is narrow. */
  flexible?: boolean;
  truncate?: (text: string, width: number) => string;
  paint?: (c: Colors, job: JobRecord, padded: string) => string;
}

const FIELD_COLUMNS: Record<RecordField, Column> = {
  service: { head: "service", cell: (j) => j.service },
  id: { head: "id", cell: (j) => j.id },
  name: { head: "name", cell: (j) => j.name, flexible: true },
  status: { head: "status", cell: (j) => j.status, flexible: true, truncate: truncateStatus },
  phase: { head: "phase", cell: (j) => j.phase, paint: (c, j, padded) => padded.replace(j.phase, paintPhase(c, j.phase)) },
  created: { head: "created (UTC)", cell: (j) => shortTime(j.created) },
  ended: { head: "ended (UTC)", cell: (j) => shortTime(j.ended) },
  progress: { head: "progress", cell: (j) => j.progress },
  instanceId: { head: "instance", cell: (j) => j.instanceId },
  instanceName: { head: "instance name", cell: (j) => j.instanceName, flexible: true },
  dbUseType: { head: "db use type", cell: (j) => j.dbUseType },
  failReason: { head: "fail reason", cell: (j) => j.failReason, flexible: true },
};

export interface JobTableOptions {
  colors: Colors;
  width: number;
  /** Ended, run time, progress and fail reason too; full ids; nothing truncated. */
  wide?: boolean;
  /** These record fields as the columns, in this order. */
  fields?: readonly RecordField[];
  headers?: boolean;
  now?: number;
}

function columnsFor(opts: JobTableOptions): Column[] {
  const now = opts.now ?? Date.now();
  if (opts.fields?.length) return opts.fields.map((f) => FIELD_COLUMNS[f]);
  const created: Column = { head: "created (UTC)", cell: (j) => (j.created ? `${shortTime(j.created)} ${relativeAge(j.created, now) ? `(${relativeAge(j.created, now)} ago)` : ""}`.trimEnd() : "") };
  const base = [FIELD_COLUMNS.service, FIELD_COLUMNS.name, FIELD_COLUMNS.status, FIELD_COLUMNS.phase, created];
  if (!opts.wide) return [...base, FIELD_COLUMNS.id];
  const duration: Column = { head: "run time", cell: (j) => runTime(j.created, j.ended) };
  return [...base, FIELD_COLUMNS.ended, duration, FIELD_COLUMNS.progress, FIELD_COLUMNS.id, FIELD_COLUMNS.failReason];
}

/** The jobs table. Ids are in full when the terminal is wide enough, else their first 8 characters. */
export function renderJobTable(jobs: readonly JobRecord[], opts: JobTableOptions): string {
  const c = opts.colors;
  const columns = columnsFor(opts);
  const cells = jobs.map((j) => columns.map((col) => safeText(col.cell(j))));
  const natural = columns.map((col, i) => cells.reduce((w, row) => Math.max(w, row[i]!.length), opts.headers === false ? 0 : col.head.length));
  const flexible = columns.flatMap((col, i) => (col.flexible ? [i] : []));
  let widths = opts.wide ? natural : fitColumns(natural, flexible, opts.width, GAP.length);
  const idAt = columns.indexOf(FIELD_COLUMNS.id);
  const total = (w: number[]) => w.reduce((a, b) => a + b, 0) + GAP.length * (w.length - 1);
  if (!opts.wide && idAt >= 0 && total(widths) > opts.width) {
    // Still too wide with the free text at its narrowest: shorten the ids, and fit again.
    for (const row of cells) row[idAt] = row[idAt]!.slice(0, SHORT_ID_LENGTH);
    natural[idAt] = Math.max(opts.headers === false ? 0 : 2, Math.min(natural[idAt]!, SHORT_ID_LENGTH));
    widths = fitColumns(natural, flexible, opts.width, GAP.length);
  }
  const last = columns.length - 1;
  const line = (texts: string[], job?: JobRecord) =>
    texts
      .map((t, i) => {
        const col = columns[i]!;
        const cut = t.length > widths[i]! ? (col.truncate ?? truncateEnd)(t, widths[i]!) : t;
        const padded = i === last ? cut : cut.padEnd(widths[i]!);
        return job && col.paint ? col.paint(c, job, padded) : padded;
      })
      .join(GAP)
      .trimEnd();
  const out: string[] = [];
  if (opts.headers !== false) out.push(c.bold(line(columns.map((col) => col.head))));
  for (let k = 0; k < cells.length; k++) out.push(line(cells[k]!, jobs[k]));
  return out.join("\n");
}

/** Wraps `text` at word boundaries into lines of at most `width` (a word longer than that is cut). */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    for (let w = word; w; ) {
      const piece = w.length > width ? w.slice(0, width) : w;
      w = w.slice(piece.length);
      if (!current) current = piece;
      else if (current.length + 1 + piece.length <= width) current += ` ${piece}`;
      else {
        lines.push(current);
        current = piece;
      }
    }
  }
  if (current || !lines.length) lines.push(current);
  return lines;
}

/** One job, field by field (for `get`), long values wrapped at word boundaries. */
export function renderJobDetail(job: JobRecord, opts: { colors: Colors; width: number; fields?: readonly RecordField[] }): string {
  const c = opts.colors;
  const fields = opts.fields?.length ? opts.fields : RECORD_FIELDS;
  const label = Math.max(...fields.map((f) => f.length));
  const valueWidth = Math.max(20, opts.width - label - GAP.length);
  const out: string[] = [];
  for (const f of fields) {
    const value = safeText(job[f] || "-");
    const [first, ...rest] = wrapWords(value, valueWidth);
    const shown = f === "phase" ? paintPhase(c, job.phase) : first!;
    out.push(`${c.bold(f.padEnd(label))}${GAP}${shown}`.trimEnd());
    for (const more of rest) out.push(`${" ".repeat(label)}${GAP}${more}`);
  }
  return out.join("\n");
}
